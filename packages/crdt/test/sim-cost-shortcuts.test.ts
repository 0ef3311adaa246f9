import { describe, expect, it } from "vitest";
import type { ClusterView } from "@synod/core";
import { CausalContext, LWWRegister, ReplicaDocument, Rga, strongConvergence, type CrdtReplicaNode, type CrdtResult, type DocumentOp } from "../src/index.js";
import { sortSmall } from "../src/sort-small.js";

/** The shortcuts that make a CRDT simulation event cheaper (issue 21) give the answers of the long way. */
describe("StrongConvergence's shortcut through a document already found equal", () => {
  it("still compares a document whose state changed since it was found equal to that one", () => {
    const docs = ["n1", "n2", "n3"].map((id) => new ReplicaDocument(id));
    const nodes = new Map(docs.map((d) => [d.replica, { id: d.replica, document: d } as unknown as CrdtReplicaNode]));
    const view: ClusterView<CrdtReplicaNode, DocumentOp, CrdtResult> = { nowMs: 0, members: ["n1", "n2", "n3"], nodes, history: [] };
    const invariant = strongConvergence();
    expect(invariant.check?.(view, "n2")).toBeUndefined(); // n2 = n1 and n2 = n3, at these revisions
    // n3's counter moves without an update (what a bug would do), and its revision with a no-op.
    (docs[2] as ReplicaDocument).counter.add(5);
    expect((docs[2] as ReplicaDocument).applyLocal({ type: "remove", element: "absent" })).toBeUndefined();
    expect((docs[0] as ReplicaDocument).applyLocal({ type: "remove", element: "absent" })).toBeUndefined();
    // n1 = n2 is found again; n2 = n3 was found at n3's old revision, so n1 and n3 are compared.
    expect(invariant.check?.(view, "n1")).toMatch(/^n1 and n3 delivered the same updates but differ: counter 0 vs 5/);
  });
});

describe("cheaper equal forms", () => {
  it("sortSmall orders as Array.prototype.sort (stable, same comparator)", () => {
    let x = 7;
    const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
    const byFirst = (a: [number, number], b: [number, number]): number => a[0] - b[0];
    for (let n = 0; n < 60; n++) {
      const items: [number, number][] = Array.from({ length: n }, (_, i) => [next() % 5, i]);
      expect(sortSmall(items.slice(), byFirst)).toEqual(items.slice().sort(byFirst));
    }
  });

  it("LWWRegister.equals compares as the JSON of the wire forms did (non-finite numbers are all null there)", () => {
    const reg = (value: number | string): LWWRegister => LWWRegister.fromWire([1, 2, "a", value]);
    expect(reg(Number.NaN).equals(reg(Number.POSITIVE_INFINITY))).toBe(true);
    expect(reg(0).equals(reg(-0))).toBe(true);
    expect(reg(0).equals(reg("0"))).toBe(false);
    expect(reg("x").equals(LWWRegister.fromWire([1, 2, "b", "x"]))).toBe(false);
    expect(LWWRegister.fromWire(null).equals(LWWRegister.fromWire(null))).toBe(true);
    expect(LWWRegister.fromWire(null).equals(reg("x"))).toBe(false);
  });

  it("CausalContext.coveredByEntries says what coveredBy says of the entries' map", () => {
    const ctx = CausalContext.fromWire({ vv: [["a", 3], ["b", 1]], cloud: [] });
    for (const entries of [[["a", 3], ["b", 1]], [["a", 3], ["b", 0]], [["a", 4], ["b", 2], ["c", 1]], [["a", 2], ["b", 5]], []] as [string, number][][]) {
      expect(ctx.coveredByEntries(entries)).toBe(ctx.coveredBy(new Map(entries)));
    }
    expect(CausalContext.fromWire({ vv: [["a", 1]], cloud: [["a", 3]] }).coveredByEntries([["a", 9]])).toBe(false);
  });
});

describe("the RGA's canonical form reusing unchanged runs' inserts", () => {
  it("equals the form built with nothing cached, after every edit", () => {
    let x = 11;
    const next = (n: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % n;
    for (let round = 0; round < 20; round++) {
      const a = new Rga("a"), b = new Rga("b"), fresh = new Rga("c");
      for (let step = 0; step < 80; step++) {
        const edit = a.length > 0 && next(3) === 0 ? a.delete(next(a.length), 1) : a.insert(next(a.length + 1), "xyz".slice(0, 1 + next(3)));
        if (next(2) === 0) {
          const other = b.length > 0 && next(2) === 0 ? b.delete(next(b.length), 1) : b.insert(next(b.length + 1), "pq");
          expect(a.applyDelta(other).ok).toBe(true);
          expect(fresh.applyDelta(other).ok).toBe(true);
        }
        expect(b.applyDelta(edit).ok).toBe(true);
        expect(fresh.applyDelta(edit).ok).toBe(true);
        // `a` and `b` build their forms after every edit (reusing inserts); `fresh` only at the end.
        expect(a.equals(b)).toBe(JSON.stringify(a.toDelta()) === JSON.stringify(b.toDelta()));
      }
      expect(JSON.stringify(a.toDelta())).toBe(JSON.stringify(fresh.toDelta()));
    }
  });
});
