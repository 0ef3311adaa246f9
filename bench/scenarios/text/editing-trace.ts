import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { sharedData } from "../../../test/support/shared-data.js";

/** One edit of a trace: delete `deleteCount` characters at `position`, then insert `text` there. */
export type TraceEdit = readonly [position: number, deleteCount: number, text: string];

/** A sequential editing trace (the diamond-types JSON form; see the data set's ABOUT.md). */
export interface EditingTrace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly TraceEdit[] }[];
}

/** The B4 trace: the LaTeX source of the Automerge paper typed by its authors (259,778 edits). */
export const B4_TRACE = "editing-traces/automerge-paper.json.gz";

/**
 * Read a gzip-compressed JSON trace from the shared data.
 * @returns the trace, or why it is missing (`SYNOD_DATA_DIR`)
 */
export function loadTrace(relative: string): { trace: EditingTrace } | { missing: string } {
  const data = sharedData(relative);
  if (data.missing !== undefined) return { missing: data.missing };
  return { trace: JSON.parse(gunzipSync(readFileSync(data.path)).toString()) as EditingTrace };
}

/** @returns the edits of the first `limit` transactions, in order */
export function traceEdits(trace: EditingTrace, limit = trace.txns.length): TraceEdit[] {
  return trace.txns.slice(0, limit).flatMap((txn) => txn.patches);
}
