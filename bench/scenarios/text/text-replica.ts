/**
 * One replica of a collaborative text document, as the sequence-CRDT comparison drives it: every
 * `insert` and `delete` is one transaction of its own (one op, delta or change, as a replication
 * layer would ship it), updates since the last `exportUpdate` travel as bytes, and `encode` is the
 * library's own whole-document save format.
 */
export interface TextReplica {
  insert(index: number, text: string): void;
  delete(index: number, count: number): void;
  readonly length: number;
  toString(): string;
  /** @returns the whole document in the library's save format (with the history it keeps) */
  encode(): Uint8Array;
  /** @returns this replica's own edits since its previous call, encoded for peers */
  exportUpdate(): Uint8Array;
  /** Apply a peer's {@link TextReplica.exportUpdate}; throws when the library refuses it. */
  importUpdate(update: Uint8Array): void;
  /** A sync round ended: every peer now has all this replica has (the next export starts here). */
  synced(): void;
}

/** A sequence-CRDT library under comparison. */
export interface TextCrdt {
  /** The name in tables, e.g. `synod RGA`. */
  readonly name: string;
  /**
   * @param authors - how many replicas: author 0 creates the document, the others start from its
   *   (empty) state with ids of their own
   * @returns the replicas, all of the same empty document
   */
  create(authors: number): TextReplica[];
  /** @returns a replica loaded from {@link TextReplica.encode}'s bytes (throws when they are refused) */
  load(bytes: Uint8Array): TextReplica;
}
