import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng } from "@synod/core";
import { Rga, rgaStateCodec, type RgaDelta } from "../src/index.js";
import { sharedData } from "../../../test/support/shared-data.js";

const SEED = 4242;

describe("RGA against a plain string model (single replica)", () => {
  it("random inserts and deletes give the same text as the string model", () => {
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant("ins" as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant("del" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const doc = new Rga("a");
        let model = "";
        for (const op of ops) {
          if (op.kind === "ins") {
            const at = op.at % (model.length + 1);
            doc.insert(at, op.text);
            model = model.slice(0, at) + op.text + model.slice(at);
          } else if (model.length > 0) {
            const at = op.at % model.length;
            const count = Math.min(op.count, model.length - at);
            doc.delete(at, count);
            model = model.slice(0, at) + model.slice(at + count);
          }
          expect(doc.length).toBe(model.length);
        }
        expect(doc.toString()).toBe(model);
        expect([...doc].join("")).toBe(model);
        const decoded = rgaStateCodec("b").decode(rgaStateCodec("a").encode(doc));
        expect(decoded.ok && decoded.value.toString() === model && decoded.value.equals(doc)).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("deleting backwards or forwards character by character grows one tombstone, locally and remotely", () => {
    const doc = new Rga("a");
    doc.insert(0, "abcdefghij");
    const mirror = new Rga("b");
    mirror.applyDelta(doc.toDelta());
    const deltas: RgaDelta[] = [];
    for (let i = 9; i >= 6; i--) deltas.push(doc.delete(i, 1)); // backspace j, i, h, g
    for (let i = 0; i < 3; i++) deltas.push(doc.delete(0, 1)); // forward delete a, b, c
    expect(doc.toString()).toBe("def");
    // One tombstone per end, the text between: the layout a split then a merge would leave.
    expect(doc.runCount).toBe(3);
    expect(doc.toDelta().inserts).toEqual([
      ["a", 1, null, 3],
      ["a", 4, ["a", 3], "def"],
      ["a", 7, ["a", 6], 4],
    ]);
    for (const delta of deltas) expect(mirror.applyDelta(delta).ok).toBe(true);
    expect(mirror.runCount).toBe(3);
    expect(mirror.equals(doc)).toBe(true);
    // A tombstone that does not continue the run is left alone: a new one starts.
    doc.insert(3, "xy");
    doc.delete(4, 1);
    expect(doc.toString()).toBe("defx");
    expect(doc.runCount).toBe(5);
  });

  it("replicas that integrated the same insert share its tuple in their canonical forms (equality by identity)", () => {
    const a = new Rga("a"), b = new Rga("b");
    const first = a.insert(0, "hello");
    const second = a.insert(2, "XY");
    for (const delta of [first, second]) expect(b.applyDelta(delta).ok).toBe(true);
    const [ia, ib] = [a.toDelta().inserts, b.toDelta().inserts];
    expect(ia).toHaveLength(3);
    expect(ib[1]).toBe(second.inserts[0]);
    expect(ia[1]).toBe(ib[1]);
    expect(ia[0]).toEqual(["a", 1, null, "he"]); // split runs get inserts of their own
    expect(a.equals(b) && b.equals(a)).toBe(true);
  });

  it("typing forwards makes one run (run-length encoding), and index lookups cross many leaves", () => {
    const doc = new Rga("a");
    for (let i = 0; i < 5000; i++) doc.insert(i, "x");
    expect(doc.runCount).toBe(1);
    for (let i = 0; i < 2000; i++) doc.insert((i * 7919) % doc.length, "y");
    expect(doc.length).toBe(7000);
    expect(doc.runCount).toBeGreaterThan(64 * 2); // several leaves and an inner level
    const text = doc.toString();
    for (let i = 0; i < 1000; i++) doc.delete((i * 104729) % doc.length, 1);
    expect(doc.length).toBe(6000);
    expect(text.length).toBe(7000);
  });
});

/**
 * Yjs TestConnector spirit: replicas edit concurrently, deltas are delivered in a random order
 * (respecting only that an op waits until it is causally ready), some replicas disconnect and
 * later reconnect by exchanging whole states, then every replica must hold the same text.
 */
function randomSession(seed: number, replicas: number, steps: number): Rga[] {
  const rng = createRng(seed);
  const ids = Array.from({ length: replicas }, (_, i) => `r${i}`);
  const docs = ids.map((id) => new Rga(id));
  const logs: RgaDelta[][] = ids.map(() => []);
  const next = ids.map(() => ids.map(() => 0));
  const offline = new Set<number>();
  for (let step = 0; step < steps; step++) {
    const i = rng.int(0, replicas);
    const doc = docs[i] as Rga;
    const roll = rng.int(0, 20);
    if (roll < 7) logs[i]?.push(doc.insert(rng.int(0, doc.length + 1), "abcdef".slice(0, rng.int(1, 4))));
    else if (roll < 10 && doc.length > 0) {
      const at = rng.int(0, doc.length);
      logs[i]?.push(doc.delete(at, Math.min(doc.length - at, rng.int(1, 4))));
    } else if (roll === 10) {
      if (offline.has(i)) offline.delete(i);
      else offline.add(i);
    } else if (roll === 11) {
      // Reconnect by full-state exchange with a random peer.
      const j = rng.int(0, replicas);
      if (j !== i) expect(doc.merge(docs[j] as Rga).ok).toBe(true);
    } else {
      const j = rng.int(0, replicas);
      if (j === i || offline.has(i) || offline.has(j)) continue;
      const row = next[i] as number[];
      const delta = logs[j]?.[row[j] as number];
      if (delta !== undefined && doc.applyDelta(delta).ok) row[j] = (row[j] as number) + 1;
    }
  }
  // Heal: everyone exchanges everything.
  for (let round = 0; round < 2; round++) for (const a of docs) for (const b of docs) if (a !== b) expect(a.merge(b).ok).toBe(true);
  return docs;
}

describe("RGA convergence under random concurrent edits (TestConnector style)", () => {
  it("converges on 60 seeds of 3–5 replicas", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const docs = randomSession(seed, 3 + (seed % 3), 300);
      const first = docs[0] as Rga;
      for (const doc of docs) {
        if (doc.toString() !== first.toString() || !doc.equals(first)) {
          throw new Error(`RGA replicas diverged for seed ${seed}: ${JSON.stringify(doc.toString())} vs ${JSON.stringify(first.toString())}`);
        }
      }
    }
  });

  it("concurrent inserts at the same position are ordered the same everywhere, ops commute", () => {
    const base = new Rga("a");
    const d0 = base.insert(0, "ac");
    const x = new Rga("x"), y = new Rga("y");
    x.applyDelta(d0);
    y.applyDelta(d0);
    const dx = x.insert(1, "X"), dy = y.insert(1, "Y");
    const p = x.clone(), q = y.clone();
    expect(p.applyDelta(dy).ok && q.applyDelta(dx).ok).toBe(true);
    expect(p.toString()).toBe(q.toString());
    expect(p.equals(q)).toBe(true);
    // Insert vs delete of the origin commute too.
    const r = p.clone("r"), t = q.clone("t");
    const del = r.delete(0, 1);
    const ins = t.insert(1, "Z");
    expect(r.applyDelta(ins).ok && t.applyDelta(del).ok).toBe(true);
    expect(r.toString()).toBe(t.toString());
  });

  it("applying a delta equals joining the full state it came from", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const [a, b] = randomSession(seed, 2, 60) as [Rga, Rga];
        const before = a.clone("a");
        const delta = a.insert(Math.min(3, a.length), "Q");
        const viaDelta = b.clone("b");
        const viaState = b.clone("b");
        expect(viaDelta.merge(before).ok && viaDelta.applyDelta(delta).ok).toBe(true);
        expect(viaState.merge(a).ok).toBe(true);
        expect(viaDelta.equals(viaState)).toBe(true);
        // Idempotent: applying again changes nothing.
        expect(viaDelta.applyDelta(delta).ok).toBe(true);
        expect(viaDelta.equals(viaState)).toBe(true);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

const trace = sharedData("editing-traces/automerge-paper.json.gz");

describe.skipIf(trace.missing !== undefined)(`real editing trace (automerge-paper)${trace.missing ? `: ${trace.missing}` : ""}`, () => {
  it("replays all 259,778 edits and ends with endContent", () => {
    const data = JSON.parse(gunzipSync(readFileSync(trace.path)).toString()) as {
      startContent: string;
      endContent: string;
      txns: { patches: [number, number, string][] }[];
    };
    expect(data.txns.length).toBe(259_778);
    const doc = new Rga("author");
    if (data.startContent.length > 0) doc.insert(0, data.startContent);
    for (const txn of data.txns) {
      for (const [position, deleteCount, insertText] of txn.patches) {
        if (deleteCount > 0) doc.delete(position, deleteCount);
        if (insertText.length > 0) doc.insert(position, insertText);
      }
    }
    expect(doc.length).toBe(data.endContent.length);
    expect(doc.toString()).toBe(data.endContent);
    // The encoded document loads back to the same text, ids and tombstones.
    const decoded = rgaStateCodec("reader").decode(rgaStateCodec("author").encode(doc));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.value.toString()).toBe(data.endContent);
      expect(decoded.value.equals(doc)).toBe(true);
    }
  });
});
