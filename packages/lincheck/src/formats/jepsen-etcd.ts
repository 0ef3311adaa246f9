import type { HistoryEvent } from "@synod/core";
import { HistoryFormatError } from "../errors.js";
import type { KvOp, KvResult } from "../kv-op.js";
import { printable } from "../printable.js";
import { MAX_LINE_CHARS, nonBlankLines, type ParsedHistory } from "./parsed-history.js";

/** The key every operation of an etcd register history is given (the register model ignores keys). */
export const ETCD_REGISTER_KEY = "register";

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)(?:\s+(.*?))?\s*$/;
const CAS_ARGS = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/;
const INTEGER = /^-?\d+$/;

type Kind = "invoke" | "ok" | "fail" | "info";
type Fn = "read" | "write" | "cas";

/**
 * Parse a Jepsen etcd log (Knossos' `etcd` test; lines
 * `INFO  jepsen.util - P<TAB>:invoke|:ok|:fail|:info<TAB>:read|:write|:cas<TAB>VALUE`) into a
 * register history. Mapping:
 * - `:read nil` invoke, `:ok :read V` → get returning V (`nil` = no value yet);
 * - `:write V` → put; `:cas [FROM TO]` → cas expected FROM, value TO (values become decimal strings);
 * - `:ok :cas` → swapped; `:fail :cas [FROM TO]` → completed, compare failed (etcd answered "no");
 * - `:fail :read :timed-out` and every `:info` → outcome unknown; other `:fail`s → did not happen;
 * - an invocation never completed → outcome unknown (handled by {@link operationsFromHistory}).
 * Each process runs one operation at a time. The files carry no times: `timeMs` is the line number.
 *
 * @param text - the whole file
 * @returns the events and their line numbers
 * @throws {HistoryFormatError} naming the line, on a malformed line, a completion without a
 *   pending invocation of the same function, or an invocation while the process has one pending
 * @example operationsFromParsed(parseJepsenEtcd(readFileSync(path, "utf8")))
 */
export function parseJepsenEtcd(text: string): ParsedHistory {
  const events: HistoryEvent<KvOp, KvResult>[] = [];
  const lines: number[] = [];
  const pending = new Map<number, { readonly id: number; readonly fn: Fn; readonly line: number }>();
  let nextId = 0;
  for (const { line, text: content } of nonBlankLines(text)) {
    if (content.length > MAX_LINE_CHARS) throw new HistoryFormatError(`line longer than ${MAX_LINE_CHARS} characters`, { line });
    const m = LINE.exec(content);
    if (m === null) {
      throw new HistoryFormatError(`not a Jepsen etcd line (expected "INFO  jepsen.util - P\t:invoke|:ok|:fail|:info\t:read|:write|:cas\tVALUE"): ${clip(content)}`, { line });
    }
    const client = Number(m[1]);
    if (!Number.isSafeInteger(client)) throw new HistoryFormatError(`process number ${m[1]} out of range`, { line });
    const kind = m[2] as Kind;
    const fn = m[3] as Fn;
    const raw = m[4] ?? "";
    const timeMs = line;
    if (kind === "invoke") {
      const open = pending.get(client);
      if (open !== undefined) throw new HistoryFormatError(`process ${client} invokes while its ${open.fn} from line ${open.line} is still pending`, { line });
      const id = nextId++;
      pending.set(client, { id, fn, line });
      events.push({ type: "invoke", id, client, timeMs, op: invocation(fn, raw, line) });
      lines.push(line);
      continue;
    }
    const open = pending.get(client);
    if (open === undefined) throw new HistoryFormatError(`:${kind} for process ${client}, which has no pending operation`, { line });
    if (open.fn !== fn) throw new HistoryFormatError(`:${kind} :${fn} for process ${client}, whose pending operation (line ${open.line}) is a :${open.fn}`, { line });
    pending.delete(client);
    const { id } = open;
    if (kind === "info" || (kind === "fail" && fn === "read" && raw === ":timed-out")) {
      events.push({ type: "unknown", id, client, timeMs, reason: `:${kind} ${raw}`.trim() });
    } else if (kind === "fail") {
      if (fn === "cas" && CAS_ARGS.test(raw)) events.push({ type: "ok", id, client, timeMs, result: { ok: false } });
      else events.push({ type: "fail", id, client, timeMs, reason: `:fail ${raw}`.trim() });
    } else if (fn === "read") {
      events.push({ type: "ok", id, client, timeMs, result: { ok: true, value: registerValue(raw, line) } });
    } else {
      invocation(fn, raw, line); // validate the echoed value
      events.push({ type: "ok", id, client, timeMs, result: { ok: true } });
    }
    lines.push(line);
  }
  return { events, lines };
}

function invocation(fn: Fn, raw: string, line: number): KvOp {
  if (fn === "read") return { type: "get", key: ETCD_REGISTER_KEY };
  if (fn === "write") {
    const value = registerValue(raw, line);
    if (value === null) throw new HistoryFormatError("a :write needs an integer value, got nil", { line });
    return { type: "put", key: ETCD_REGISTER_KEY, value };
  }
  const m = CAS_ARGS.exec(raw);
  if (m === null) throw new HistoryFormatError(`a :cas needs [FROM TO] integers, got ${clip(raw)}`, { line });
  return { type: "cas", key: ETCD_REGISTER_KEY, expected: String(Number(m[1])), value: String(Number(m[2])) };
}

function registerValue(raw: string, line: number): string | null {
  if (raw === "nil") return null;
  if (!INTEGER.test(raw)) throw new HistoryFormatError(`expected an integer or nil, got ${clip(raw)}`, { line });
  return String(Number(raw));
}

function clip(text: string): string {
  return `"${printable(text)}"`;
}
