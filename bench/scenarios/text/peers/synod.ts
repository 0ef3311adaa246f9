import { Rga, rgaDeltaCodec, rgaStateCodec, type RgaDelta, type RgaInsert } from "@synod/crdt";
import type { TextCrdt, TextReplica } from "../text-replica.js";

const stateCodec = rgaStateCodec("reader");

/**
 * synod's RGA (`@synod/crdt`): every edit returns its delta (the op a replication node ships);
 * an update is the join of the deltas since the last one, consecutive typed characters merged into
 * one span (the same ids and origins), encoded by `rgaDeltaCodec`.
 */
class SynodReplica implements TextReplica {
  private pending: RgaDelta[] = [];

  /** @param ships - whether edits' deltas are kept for {@link exportUpdate} (a lone replica drops them) */
  constructor(
    private readonly doc: Rga,
    private readonly ships: boolean,
  ) {}

  insert(index: number, text: string): void {
    const delta = this.doc.insert(index, text);
    if (this.ships) this.pending.push(delta);
  }

  delete(index: number, count: number): void {
    const delta = this.doc.delete(index, count);
    if (this.ships) this.pending.push(delta);
  }

  get length(): number {
    return this.doc.length;
  }

  toString(): string {
    return this.doc.toString();
  }

  encode(): Uint8Array {
    return stateCodec.encode(this.doc);
  }

  exportUpdate(): Uint8Array {
    const inserts: RgaInsert[] = [];
    for (const delta of this.pending) for (const insert of delta.inserts) appendInsert(inserts, insert);
    const deletes = this.pending.flatMap((delta) => delta.deletes);
    this.pending = [];
    return rgaDeltaCodec.encode({ inserts, deletes });
  }

  synced(): void {
    // The pending deltas hold only local edits, and exportUpdate emptied them.
  }

  importUpdate(update: Uint8Array): void {
    const delta = rgaDeltaCodec.decode(update);
    if (!delta.ok) throw delta.error;
    const applied = this.doc.applyDelta(delta.value);
    if (!applied.ok) throw applied.error;
  }
}

/** Append `insert`, extending the last span when it continues it (next ids, origin = its last character). */
function appendInsert(inserts: RgaInsert[], insert: RgaInsert): void {
  const last = inserts[inserts.length - 1];
  const [replica, lamport, origin, content] = insert;
  if (last !== undefined && typeof last[3] === "string" && typeof content === "string" && last[0] === replica && origin !== null) {
    const end = last[1] + last[3].length;
    if (lamport === end && origin[0] === replica && origin[1] === end - 1) {
      last[3] += content;
      return;
    }
  }
  inserts.push([replica, lamport, origin, content]);
}

export const synod: TextCrdt = {
  name: "synod RGA",
  create: (authors) => Array.from({ length: authors }, (_, i) => new SynodReplica(new Rga(`author-${i}`), authors > 1)),
  load(bytes) {
    const doc = stateCodec.decode(bytes);
    if (!doc.ok) throw doc.error;
    return new SynodReplica(doc.value, false);
  },
};
