import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CausalContext, VersionVector, type Dot } from "../src/index.js";

const SEED = 20261122;

describe("VersionVector", () => {
  it("joins, meets and orders pointwise", () => {
    const a = new VersionVector([["a", 2], ["b", 1]]);
    const b = new VersionVector([["a", 1], ["c", 3]]);
    expect(a.join(b).toEntries()).toEqual([["a", 2], ["b", 1], ["c", 3]]);
    expect(a.meet(b).toEntries()).toEqual([["a", 1]]);
    expect(a.concurrentWith(b)).toBe(true);
    expect(a.meet(b).leq(a)).toBe(true);
    expect(a.leq(a.join(b))).toBe(true);
    expect(a.with("b", 0).equals(new VersionVector([["a", 2]]))).toBe(true);
  });
});

describe("CausalContext", () => {
  it("keeps out-of-order dots in the cloud and compacts them once contiguous", () => {
    const ctx = new CausalContext();
    ctx.add(["a", 3]);
    ctx.add(["a", 2]);
    expect(ctx.versionVector().get("a")).toBe(0);
    expect(ctx.cloudDots()).toEqual([["a", 2], ["a", 3]]);
    ctx.add(["a", 1]);
    expect(ctx.versionVector().get("a")).toBe(3);
    expect(ctx.cloudDots()).toEqual([]);
    expect(ctx.nextDot("a")).toEqual(["a", 4]);
    expect(ctx.contains(["a", 4])).toBe(false);
  });

  it("is a set of dots: merge is union, equality is structural, wire round trips (property)", () => {
    const dotsArb = fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 1, max: 6 })), { maxLength: 12 });
    fc.assert(
      fc.property(dotsArb, dotsArb, (xs, ys) => {
        const a = CausalContext.of(xs as Dot[]);
        const b = CausalContext.of(ys as Dot[]);
        const ab = a.clone();
        ab.merge(b);
        const ba = b.clone();
        ba.merge(a);
        expect(ab.equals(ba)).toBe(true);
        expect(ab.equals(CausalContext.of([...xs, ...ys] as Dot[]))).toBe(true);
        for (const d of [...xs, ...ys]) expect(ab.contains(d as Dot)).toBe(true);
        expect(CausalContext.fromWire(ab.toWire()).equals(ab)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
