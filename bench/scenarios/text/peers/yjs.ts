import * as Y from "yjs";
import type { TextCrdt, TextReplica } from "../text-replica.js";

/** Yjs: one transaction per edit (a `Y.Text` edit outside `transact` is one); updates are `encodeStateAsUpdate` since the state vector at the last sync. */
class YjsReplica implements TextReplica {
  private readonly doc = new Y.Doc();
  private readonly text = this.doc.getText("text");
  private exported = Y.encodeStateVector(this.doc);

  constructor(clientId: number, state?: Uint8Array) {
    this.doc.clientID = clientId;
    if (state !== undefined) Y.applyUpdate(this.doc, state);
  }

  insert(index: number, text: string): void {
    this.text.insert(index, text);
  }

  delete(index: number, count: number): void {
    this.text.delete(index, count);
  }

  get length(): number {
    return this.text.length;
  }

  toString(): string {
    return this.text.toString();
  }

  encode(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  exportUpdate(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, this.exported);
  }

  synced(): void {
    this.exported = Y.encodeStateVector(this.doc);
  }

  importUpdate(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update);
  }
}

export const yjs: TextCrdt = {
  name: "Yjs",
  create: (authors) => Array.from({ length: authors }, (_, i) => new YjsReplica(i + 1)),
  load: (bytes) => new YjsReplica(1_000, bytes),
};
