import { s, validate, type HistoryEvent } from "@synod/core";
import { HistoryFormatError } from "../errors.js";
import type { KvOp, KvResult } from "../kv-op.js";
import { MAX_LINE_CHARS, nonBlankLines, type ParsedHistory } from "./parsed-history.js";

/** Longest key or value accepted in a synod history line. */
const MAX_VALUE_CHARS = 65_536;

const value = s.optional(s.string({ maxLength: MAX_VALUE_CHARS }));
const kvOpSchema = s.object({
  type: s.enumOf(["get", "put", "cas", "delete", "append"]),
  key: s.string({ maxLength: MAX_VALUE_CHARS }),
  value,
  expected: value,
});
const kvResultSchema = s.object({ ok: s.boolean(), value });
const common = { id: s.uint(), client: s.uint(), timeMs: s.number() };
const eventSchema = s.variant("type", {
  invoke: { ...common, op: kvOpSchema, node: s.optional(s.nodeId()) },
  ok: { ...common, result: kvResultSchema },
  fail: { ...common, reason: s.string() },
  unknown: { ...common, reason: s.string() },
});

/**
 * Parse a synod history: newline-delimited JSON, one {@link HistoryEvent} of {@link KvOp} /
 * {@link KvResult} per line, in the order the events happened (as the simulator records them).
 * Absent and `null` values are the same (the key is absent / nothing was read).
 *
 * @param text - the whole file
 * @returns the events and their line numbers
 * @throws {HistoryFormatError} naming the line and field, on bad JSON or a line that is not a valid event
 * @example operationsFromParsed(parseSynodHistory('{"type":"invoke","id":0,"client":1,"timeMs":0,"op":{"type":"get","key":"x"}}'))
 */
export function parseSynodHistory(text: string): ParsedHistory {
  const events: HistoryEvent<KvOp, KvResult>[] = [];
  const lines: number[] = [];
  for (const { line, text: content } of nonBlankLines(text)) {
    if (content.length > MAX_LINE_CHARS) throw new HistoryFormatError(`line longer than ${MAX_LINE_CHARS} characters`, { line });
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new HistoryFormatError(`invalid JSON (${error instanceof Error ? error.message : String(error)})`, { line });
    }
    const checked = validate(eventSchema, json);
    if (!checked.ok) throw new HistoryFormatError(`not a history event: ${checked.error.message}`, { line });
    const event: HistoryEvent<KvOp, KvResult> = checked.value;
    events.push(event);
    lines.push(line);
  }
  return { events, lines };
}
