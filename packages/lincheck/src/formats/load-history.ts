import { HistoryFormatError, UsageError } from "../errors.js";
import { operationsFromHistory } from "../from-history.js";
import type { KvOp, KvResult } from "../kv-op.js";
import type { Model } from "../model.js";
import { createKvModel } from "../models/kv-model.js";
import { createRegisterModel } from "../models/register-model.js";
import type { ValueState } from "../models/value-step.js";
import type { Operation } from "../operation.js";
import { parseJepsenEtcd } from "./jepsen-etcd.js";
import { parseJepsenKv } from "./jepsen-kv.js";
import type { ParsedHistory } from "./parsed-history.js";
import { parseSynodHistory } from "./synod-ndjson.js";

/** The history file formats the loader and the CLI read. */
export const HISTORY_FORMATS = ["jepsen-etcd", "jepsen-kv", "synod"] as const;
/** One of {@link HISTORY_FORMATS}. */
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** A history file ready to check: its operations, the model its format implies, and line mapping. */
export interface LoadedHistory {
  readonly operations: readonly Operation<KvOp, KvResult>[];
  /** Invocations in the file (including operations that failed and are left out of the check). */
  readonly invocations: number;
  /** register for jepsen-etcd; kv (absent reads as "") for jepsen-kv; kv for synod. */
  readonly model: Model<ValueState, KvOp, KvResult>;
  /**
   * Invocations the file never completes (no ok, fail or info line). They are checked as unknown
   * outcomes; a file cut short leaves such operations behind, so the CLI warns about them.
   */
  readonly uncompleted: number;
  /** Names a position as its file line, for witnesses. */
  readonly describePosition: (position: number) => string;
}

/**
 * Parse a history file's text in one of the known formats and pair its events into operations.
 * @param format - jepsen-etcd | jepsen-kv | synod
 * @param text - the file contents
 * @returns the operations and the model to check them against
 * @throws {HistoryFormatError} naming the line, when the file cannot be read as that format
 * @throws {UsageError} on an unknown format
 * @example const h = loadHistory("jepsen-etcd", text); checkOperations(h.model, h.operations, { describePosition: h.describePosition });
 */
export function loadHistory(format: HistoryFormat, text: string): LoadedHistory {
  let parsed: ParsedHistory;
  let model: Model<ValueState, KvOp, KvResult>;
  switch (format) {
    case "jepsen-etcd":
      parsed = parseJepsenEtcd(text);
      model = createRegisterModel();
      break;
    case "jepsen-kv":
      parsed = parseJepsenKv(text);
      model = createKvModel({ absentValue: "" });
      break;
    case "synod":
      parsed = parseSynodHistory(text);
      model = createKvModel();
      break;
    default:
      throw new UsageError(`unknown history format ${JSON.stringify(format)}; expected one of ${HISTORY_FORMATS.join(", ")}`);
  }
  const lines = parsed.lines;
  let operations: Operation<KvOp, KvResult>[];
  try {
    operations = operationsFromHistory(parsed.events);
  } catch (error) {
    if (error instanceof HistoryFormatError && error.event !== undefined) {
      throw new HistoryFormatError(error.message.replace(/^event #\d+: /, ""), { line: lines[error.event] });
    }
    throw error;
  }
  const invocations = parsed.events.reduce((n, e) => (e.type === "invoke" ? n + 1 : n), 0);
  const uncompleted = 2 * invocations - parsed.events.length;
  return { operations, invocations, uncompleted, model, describePosition: (p) => `line ${lines[p] ?? "?"}` };
}
