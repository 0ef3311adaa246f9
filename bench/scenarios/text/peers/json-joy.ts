import { Model } from "json-joy/lib/json-crdt/index.js";
import { Patch } from "json-joy/lib/json-crdt-patch/index.js";
import type { TextCrdt, TextReplica } from "../text-replica.js";

/** A string node's editing API (json-joy's `StrApi`). */
type StrApi = ReturnType<Model["api"]["str"]>;

/**
 * json-joy (v17, the JSON CRDT `Model`): every edit is flushed as a patch of its own; an update is
 * the patches since the last export, binary and length-prefixed; `encode` is `toBinary()` (structural
 * snapshot).
 */
class JsonJoyReplica implements TextReplica {
  private readonly str: StrApi;
  private pending: Patch[] = [];

  /** @param ships - whether edits' patches are kept for {@link exportUpdate} (a lone replica drops them) */
  constructor(
    private readonly model: Model,
    private readonly ships: boolean,
  ) {
    this.str = model.api.str(["text"]);
  }

  insert(index: number, text: string): void {
    this.str.ins(index, text);
    const patch = this.model.api.flush();
    if (this.ships) this.pending.push(patch);
  }

  delete(index: number, count: number): void {
    this.str.del(index, count);
    const patch = this.model.api.flush();
    if (this.ships) this.pending.push(patch);
  }

  get length(): number {
    return this.str.length();
  }

  toString(): string {
    return this.str.view();
  }

  encode(): Uint8Array {
    return this.model.toBinary();
  }

  exportUpdate(): Uint8Array {
    const patches = this.pending.map((patch) => patch.toBinary());
    const total = patches.reduce((sum, p) => sum + 4 + p.length, 0);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    let at = 0;
    for (const patch of patches) {
      view.setUint32(at, patch.length);
      out.set(patch, at + 4);
      at += 4 + patch.length;
    }
    this.pending = [];
    return out;
  }

  synced(): void {
    // The pending patches hold only local edits, and exportUpdate emptied them.
  }

  importUpdate(update: Uint8Array): void {
    const view = new DataView(update.buffer, update.byteOffset, update.byteLength);
    for (let at = 0; at < update.length; ) {
      const length = view.getUint32(at);
      this.model.applyPatch(Patch.fromBinary(update.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
  }
}

export const jsonJoy: TextCrdt = {
  name: "json-joy",
  create(authors) {
    const base = Model.create(undefined, 100_000);
    base.api.set({ text: "" });
    base.api.flush();
    return Array.from({ length: authors }, (_, i) => new JsonJoyReplica(i === 0 ? base : base.fork(100_000 + i), authors > 1));
  },
  load: (bytes) => new JsonJoyReplica(Model.load(bytes, 101_000), false),
};
