import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DENSE_SEQ_LIMIT, SeqSet } from "../../../src/reference/broadcast/seq-set.js";

describe("SeqSet", () => {
  it("behaves like a Set of numbers, dense and sparse ranges alike", () => {
    const seqArb = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: DENSE_SEQ_LIMIT - 3, max: DENSE_SEQ_LIMIT + 3 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(fc.array(seqArb, { maxLength: 200 }), fc.array(seqArb, { maxLength: 50 }), (added, probes) => {
        const set = new SeqSet();
        const reference = new Set<number>();
        for (const seq of added) {
          expect(set.add(seq)).toBe(!reference.has(seq));
          reference.add(seq);
        }
        expect(set.size).toBe(reference.size);
        for (const seq of [...probes, ...added]) expect(set.has(seq)).toBe(reference.has(seq));
        const visited: number[] = [];
        set.forEach((seq) => visited.push(seq));
        expect(visited.sort((a, b) => a - b)).toEqual([...reference].sort((a, b) => a - b));
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it("keeps a forged huge number out of the bitmap", () => {
    const set = new SeqSet();
    expect(set.add(2 ** 40)).toBe(true);
    expect(set.has(2 ** 40)).toBe(true);
    expect(set.add(2 ** 40)).toBe(false);
    expect(set.has(31)).toBe(false);
  });
});
