import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecentlySeen } from "../src/index.js";

describe("RecentlySeen", () => {
  it("suppresses duplicates among the last `capacity` ids and never grows beyond it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.nat({ max: 30 }), { maxLength: 300 }), (capacity, ids) => {
        const seen = new RecentlySeen({ capacity });
        const model: string[] = []; // FIFO of remembered ids
        for (const n of ids) {
          const id = `m${n}`;
          const fresh = seen.checkAndAdd(id);
          expect(fresh).toBe(!model.includes(id));
          if (fresh) {
            if (model.length >= capacity) model.shift();
            model.push(id);
          }
          expect(seen.size).toBeLessThanOrEqual(capacity);
        }
      }),
      { seed: 81, numRuns: 100 },
    );
  });

  it("forgets ids after ttlTicks", () => {
    const seen = new RecentlySeen({ capacity: 10, ttlTicks: 3 });
    expect(seen.checkAndAdd("a")).toBe(true);
    seen.tick(2);
    expect(seen.checkAndAdd("a")).toBe(false);
    expect(seen.checkAndAdd("b")).toBe(true);
    seen.tick(1);
    expect(seen.has("a")).toBe(false);
    expect(seen.has("b")).toBe(true);
    expect(seen.duplicates).toBe(1);
  });
});
