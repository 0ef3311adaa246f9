import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReplayWindow } from "../src/index.js";

describe("ReplayWindow", () => {
  it("accepts each (epoch, seq) at most once, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), fc.integer({ min: 1, max: 40 })), { maxLength: 200 }), fc.integer({ min: 1, max: 16 }), (events, size) => {
        const window = new ReplayWindow(size);
        const accepted = new Set<string>();
        for (const [epoch, seq] of events) {
          if (!window.isFresh(epoch, seq)) continue;
          const id = `${epoch}.${seq}`;
          expect(accepted.has(id)).toBe(false);
          accepted.add(id);
          window.record(epoch, seq);
        }
      }),
      { seed: 12, numRuns: 200 },
    );
  });
  it("accepts in-window reordering and rejects older epochs and out-of-window numbers", () => {
    const window = new ReplayWindow(4);
    window.record(0, 10);
    expect(window.isFresh(0, 8)).toBe(true);
    expect(window.isFresh(0, 6)).toBe(false);
    window.record(1, 1);
    expect(window.isFresh(0, 11)).toBe(false);
    expect(window.isFresh(1, 1)).toBe(false);
    expect(window.isFresh(1, 2)).toBe(true);
  });
});
