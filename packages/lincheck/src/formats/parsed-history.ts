import type { History } from "@synod/core";
import type { KvOp, KvResult } from "../kv-op.js";

/** The most characters one line of a history file may hold. */
export const MAX_LINE_CHARS = 1_048_576;

/** A history read from a file: the events, and the 1-based file line of each event. */
export interface ParsedHistory {
  readonly events: History<KvOp, KvResult>;
  /** `lines[i]` is the line event `i` came from. */
  readonly lines: readonly number[];
}

/**
 * Split a file into lines (LF or CRLF), with 1-based numbers, skipping blank ones.
 * @internal shared by the parsers
 */
export function* nonBlankLines(text: string): Generator<{ readonly line: number; readonly text: string }> {
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    line++;
    let content = text.slice(start, end);
    if (content.endsWith("\r")) content = content.slice(0, -1);
    if (content.trim() !== "") yield { line, text: content };
    start = end + 1;
  }
}
