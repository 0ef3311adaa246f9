import { LoroDoc, type LoroText, type VersionVector } from "loro-crdt";
import type { TextCrdt, TextReplica } from "../text-replica.js";

/** Loro: `commit()` after every edit; updates are `export({ mode: "update", from })` since the version at the last sync; `encode` is a snapshot. */
class LoroReplica implements TextReplica {
  private readonly text: LoroText;
  private exported: VersionVector;

  constructor(private readonly doc: LoroDoc, peer: number) {
    this.doc.setPeerId(peer);
    this.text = this.doc.getText("text");
    this.exported = this.doc.oplogVersion();
  }

  insert(index: number, text: string): void {
    this.text.insert(index, text);
    this.doc.commit();
  }

  delete(index: number, count: number): void {
    this.text.delete(index, count);
    this.doc.commit();
  }

  get length(): number {
    return this.text.length;
  }

  toString(): string {
    return this.text.toString();
  }

  encode(): Uint8Array {
    return this.doc.export({ mode: "snapshot" });
  }

  exportUpdate(): Uint8Array {
    return this.doc.export({ mode: "update", from: this.exported });
  }

  synced(): void {
    this.exported = this.doc.oplogVersion();
  }

  importUpdate(update: Uint8Array): void {
    this.doc.import(update);
  }
}

export const loro: TextCrdt = {
  name: "Loro",
  create: (authors) => Array.from({ length: authors }, (_, i) => new LoroReplica(new LoroDoc(), i + 1)),
  load: (bytes) => new LoroReplica(LoroDoc.fromSnapshot(bytes), 1_000),
};
