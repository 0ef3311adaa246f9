import { SynodError } from "@synod/core";

/**
 * A text edit addressed visible positions outside the document (code `usage`): an insert index
 * outside [0, length], or a delete range outside [0, length). `Rga.insert`/`Rga.delete` throw it;
 * `CrdtReplicaNode.request` answers it with a `rejected` output — one behaviour, never clamped.
 */
export class RgaIndexError extends SynodError {
  /** The document's visible length when the edit was refused. */
  readonly length: number;

  constructor(edit: "insert" | "delete", index: number, count: number, length: number) {
    const what = edit === "insert" ? `insert index ${index} is outside [0, ${length}]` : `delete range [${index}, ${index + count}) is outside [0, ${length})`;
    super("usage", `${what} (the text has ${length} characters; read its length before editing)`, { edit, index, count, length });
    this.name = "RgaIndexError";
    this.length = length;
  }
}

/**
 * @returns undefined when `insert(index, …)` fits a text of `length`, else the error to throw
 */
export function insertIndexError(index: number, length: number): RgaIndexError | undefined {
  return Number.isSafeInteger(index) && index >= 0 && index <= length ? undefined : new RgaIndexError("insert", index, 0, length);
}

/**
 * @returns undefined when `delete(index, count)` fits a text of `length`, else the error to throw
 */
export function deleteRangeError(index: number, count: number, length: number): RgaIndexError | undefined {
  const fits = Number.isSafeInteger(index) && Number.isSafeInteger(count) && index >= 0 && count >= 0 && index + count <= length;
  return fits ? undefined : new RgaIndexError("delete", index, count, length);
}
