import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Leaf, Run } from "../src/rga-tree.js";
import { RunIndex } from "../src/run-index.js";

const SEED = 2121;

/** A run of ids [lamport, lamport + length) of replica "a" (the other fields do not matter to the index). */
const run = (lamport: number, length: number): Run => new Run("a", lamport, length, undefined, 0, false, "", new Leaf());

/**
 * The index against a flat sorted array of disjoint id ranges: enough operations to split chunks
 * many times (a chunk splits past 256 runs), runs added in any order and removed again.
 */
describe("RunIndex against a flat sorted array", () => {
  it("finds, overlaps and iterates as the flat model after random adds and removes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2_000), fc.boolean()), { minLength: 1, maxLength: 2_500 }), (steps) => {
        const index = new RunIndex();
        const model = new Map<number, Run>();
        for (const [slot, remove] of steps) {
          const lamport = 1 + slot * 3;
          const known = model.get(lamport);
          if (known !== undefined && remove) {
            index.remove(known);
            model.delete(lamport);
          } else if (known === undefined) {
            const added = run(lamport, 1 + (slot % 3));
            index.add(added);
            model.set(lamport, added);
          }
        }
        const sorted = [...model.values()].sort((x, y) => x.lamport - y.lamport);
        const visited: Run[] = [];
        index.forEach((r) => visited.push(r));
        expect(visited).toEqual(sorted);
        const holders: (Run | undefined)[] = new Array(6_006).fill(undefined);
        for (const r of sorted) for (let id = r.lamport; id < r.lamport + r.length; id++) holders[id] = r;
        for (let id = 0; id <= 6_004; id += 1) {
          if (index.find(id) !== holders[id]) expect(index.find(id), `find(${id})`).toBe(holders[id]);
          const overlapping = holders[id] !== undefined || holders[id + 1] !== undefined;
          if (index.overlaps(id, id + 2) !== overlapping) expect(index.overlaps(id, id + 2), `overlaps(${id}, ${id + 2})`).toBe(overlapping);
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it("loads sorted runs in chunks and still adds and removes in the middle", () => {
    const runs = Array.from({ length: 1_000 }, (_, i) => run(1 + i * 4, 2));
    const index = RunIndex.fromSorted(runs);
    expect(index.find(4 * 600 + 2)).toBe(runs[600]);
    // Runs 127 and 128 ([509, 511) and [513, 515)) end one chunk and start the next.
    expect(index.overlaps(511, 513)).toBe(false);
    expect(index.overlaps(511, 514)).toBe(true);
    expect(index.find(4 * 600 + 3)).toBeUndefined();
    const middle = run(4 * 600 + 3, 1);
    index.add(middle);
    expect(index.find(4 * 600 + 3)).toBe(middle);
    index.remove(runs[600] as Run);
    expect(index.find(4 * 600 + 2)).toBeUndefined();
    expect(index.overlaps(4 * 600 + 1, 4 * 600 + 3)).toBe(false);
    expect(index.overlaps(4 * 600 + 1, 4 * 600 + 4)).toBe(true);
    expect(() => index.remove(runs[600] as Run)).toThrow(/not in the index/);
  });
});
