import type { HistoryEvent } from "@synod/core";
import { HistoryFormatError } from "../errors.js";
import type { KvOp, KvResult } from "../kv-op.js";
import { parseEdnMapLine, type EdnScalar } from "./edn-map.js";
import { MAX_LINE_CHARS, nonBlankLines, type ParsedHistory } from "./parsed-history.js";

type Kind = "invoke" | "ok" | "fail" | "info";
type Fn = "get" | "put" | "append";
const KINDS: readonly string[] = ["invoke", "ok", "fail", "info"];
const FNS: readonly string[] = ["get", "put", "append"];

/**
 * Parse a Jepsen key-value history (EDN, one map per line:
 * `{:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value V}`).
 * `:ok :get` carries the value read (the service reads a missing key as `""`: check with
 * `createKvModel({ absentValue: "" })`); `:fail` = did not happen; `:info` or no completion =
 * outcome unknown. Each process runs one operation at a time. `timeMs` is the line number.
 *
 * @param text - the whole file
 * @returns the events and their line numbers
 * @throws {HistoryFormatError} naming the line, on malformed EDN, a missing or ill-typed field, or
 *   events that do not pair up per process
 * @example operationsFromParsed(parseJepsenKv(readFileSync(path, "utf8")))
 */
export function parseJepsenKv(text: string): ParsedHistory {
  const events: HistoryEvent<KvOp, KvResult>[] = [];
  const lines: number[] = [];
  const pending = new Map<number, { readonly id: number; readonly fn: Fn; readonly key: string; readonly line: number }>();
  let nextId = 0;
  for (const { line, text: content } of nonBlankLines(text)) {
    if (content.length > MAX_LINE_CHARS) throw new HistoryFormatError(`line longer than ${MAX_LINE_CHARS} characters`, { line });
    const map = parseEdnMapLine(content, line);
    const client = field(map, "process", line, (v) => (typeof v === "number" && v >= 0 ? v : undefined), "a non-negative integer");
    const kind = field(map, "type", line, (v) => keywordIn(v, KINDS), ":invoke, :ok, :fail or :info") as Kind;
    const fn = field(map, "f", line, (v) => keywordIn(v, FNS), ":get, :put or :append") as Fn;
    const key = field(map, "key", line, (v) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined), "a string or integer key");
    const value = field(map, "value", line, (v) => (v === null || typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined), "a string or nil");
    const timeMs = line;
    if (kind === "invoke") {
      const open = pending.get(client);
      if (open !== undefined) throw new HistoryFormatError(`process ${client} invokes while its :${open.fn} from line ${open.line} is still pending`, { line });
      if (fn !== "get" && value === null) throw new HistoryFormatError(`a :${fn} needs a string :value, got nil`, { line });
      const id = nextId++;
      pending.set(client, { id, fn, key, line });
      const op: KvOp = fn === "get" ? { type: "get", key } : { type: fn, key, value };
      events.push({ type: "invoke", id, client, timeMs, op });
      lines.push(line);
      continue;
    }
    const open = pending.get(client);
    if (open === undefined) throw new HistoryFormatError(`:${kind} for process ${client}, which has no pending operation`, { line });
    if (open.fn !== fn || open.key !== key) {
      throw new HistoryFormatError(`:${kind} :${fn} on key ${JSON.stringify(key)} for process ${client}, whose pending operation (line ${open.line}) is :${open.fn} on key ${JSON.stringify(open.key)}`, { line });
    }
    pending.delete(client);
    const { id } = open;
    if (kind === "ok") events.push({ type: "ok", id, client, timeMs, result: fn === "get" ? { ok: true, value } : { ok: true } });
    else if (kind === "fail") events.push({ type: "fail", id, client, timeMs, reason: ":fail" });
    else events.push({ type: "unknown", id, client, timeMs, reason: ":info" });
    lines.push(line);
  }
  return { events, lines };
}

function field<T>(map: Map<string, EdnScalar>, name: string, line: number, read: (v: EdnScalar) => T | undefined, expected: string): T {
  if (!map.has(name)) throw new HistoryFormatError(`missing :${name}`, { line });
  const value = map.get(name) as EdnScalar;
  const parsed = read(value);
  if (parsed === undefined) throw new HistoryFormatError(`:${name} must be ${expected}, got ${describe(value)}`, { line });
  return parsed;
}

function keywordIn(value: EdnScalar, allowed: readonly string[]): string | undefined {
  return typeof value === "object" && value !== null && "keyword" in value && allowed.includes(value.keyword) ? value.keyword : undefined;
}

function describe(value: EdnScalar): string {
  if (value === null) return "nil";
  if (Array.isArray(value)) return "a vector";
  if (typeof value === "object" && "keyword" in value) return `:${value.keyword}`;
  return JSON.stringify(value);
}

