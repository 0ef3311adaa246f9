import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "../src/index.js";

describe("TokenBucketLimiter", () => {
  it("allows a burst of `capacity`, then `refillPerTick` per tick", () => {
    const limiter = new TokenBucketLimiter({ capacity: 3, refillPerTick: 1 });
    expect([1, 2, 3, 4].map(() => limiter.tryTake("p1"))).toEqual([true, true, true, false]);
    expect(limiter.tryTake("p2")).toBe(true); // per key
    limiter.tick();
    expect(limiter.tryTake("p1")).toBe(true);
    expect(limiter.tryTake("p1")).toBe(false);
    limiter.tick(10);
    expect(limiter.available("p1")).toBe(3); // capped at capacity
    expect(limiter.counters).toMatchObject({ allowed: 5, denied: 2 });
  });

  it("never allows more than capacity + refill × elapsed ticks per key (any schedule)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(0.25, 0.5, 1, 2),
        fc.array(fc.oneof(fc.constant<"tick">("tick"), fc.integer({ min: 1, max: 3 })), { maxLength: 200 }),
        (capacity, refill, schedule) => {
          const limiter = new TokenBucketLimiter({ capacity, refillPerTick: refill });
          let allowedCost = 0;
          let ticks = 0;
          for (const step of schedule) {
            if (step === "tick") {
              limiter.tick();
              ticks += 1;
            } else if (limiter.tryTake("k", step)) allowedCost += step;
          }
          expect(allowedCost).toBeLessThanOrEqual(capacity + refill * ticks + 1e-9);
        },
      ),
      { seed: 71, numRuns: 200 },
    );
  });

  it("bounds the keys it tracks, evicting the least recently used", () => {
    const limiter = new TokenBucketLimiter({ capacity: 1, refillPerTick: 0.001, maxKeys: 2 });
    limiter.tryTake("a");
    limiter.tryTake("b");
    limiter.tryTake("c");
    expect(limiter.size).toBe(2);
    expect(limiter.counters.evicted).toBe(1);
    expect(limiter.available("a")).toBe(1); // forgotten: back to a full bucket
    expect(limiter.available("c")).toBe(0);
  });

  it("rejects invalid configuration with a ConfigError", () => {
    expect(() => new TokenBucketLimiter({ capacity: 0, refillPerTick: 1 })).toThrow(expect.objectContaining({ code: "config" }));
    expect(() => new TokenBucketLimiter({ capacity: 1, refillPerTick: 0 })).toThrow(expect.objectContaining({ code: "config" }));
  });
});
