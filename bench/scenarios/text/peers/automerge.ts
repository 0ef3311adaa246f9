import * as Automerge from "@automerge/automerge";
import type { TextCrdt, TextReplica } from "../text-replica.js";

// A type alias, not an interface: Automerge.from wants a Record<string, unknown>.
type Text = { text: string };

/** Automerge: one `change` (a `splice`) per edit; updates are `saveSince` the heads at the last sync, imported by `loadIncremental`; `encode` is `save`. */
class AutomergeReplica implements TextReplica {
  private doc: Automerge.Doc<Text>;
  private syncedHeads: Automerge.Heads;

  constructor(doc: Automerge.Doc<Text>) {
    this.doc = doc;
    this.syncedHeads = Automerge.getHeads(doc);
  }

  insert(index: number, text: string): void {
    this.doc = Automerge.change(this.doc, (d) => Automerge.splice(d, ["text"], index, 0, text));
  }

  delete(index: number, count: number): void {
    this.doc = Automerge.change(this.doc, (d) => Automerge.splice(d, ["text"], index, count));
  }

  get length(): number {
    return this.doc.text.length;
  }

  toString(): string {
    return this.doc.text;
  }

  encode(): Uint8Array {
    return Automerge.save(this.doc);
  }

  exportUpdate(): Uint8Array {
    return Automerge.saveSince(this.doc, this.syncedHeads);
  }

  synced(): void {
    this.syncedHeads = Automerge.getHeads(this.doc);
  }

  importUpdate(update: Uint8Array): void {
    this.doc = Automerge.loadIncremental(this.doc, update);
  }
}

/** A fixed actor id per author (hex, as Automerge requires), so that runs are deterministic. */
const actor = (author: number): string => (author + 1).toString(16).padStart(32, "0");

export const automerge: TextCrdt = {
  name: "Automerge",
  create(authors) {
    const base = Automerge.from<Text>({ text: "" }, actor(0));
    return Array.from({ length: authors }, (_, i) => new AutomergeReplica(i === 0 ? base : Automerge.clone(base, actor(i))));
  },
  load: (bytes) => new AutomergeReplica(Automerge.load<Text>(bytes, actor(1_000))),
};
