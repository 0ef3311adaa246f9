import { describe, expect, it } from "vitest";
import { StateCache } from "../src/state-cache.js";

describe("StateCache", () => {
  it("tells configurations apart by bitset and state, even under one key, and grows", () => {
    const cache = new StateCache<string>(2, (a, b) => a === b, 1_000_000);
    const bits = new Uint32Array(2);
    for (let i = 0; i < 1500; i++) {
      bits[0] = i;
      bits[1] = i * 7;
      expect(cache.addIfAbsent(42, bits, "s")).toBe(true); // same key: collisions resolved by comparison
      expect(cache.addIfAbsent(42, bits, "t")).toBe(true); // same bits, other state
    }
    expect(cache.size).toBe(3000);
    bits[0] = 1234;
    bits[1] = 1234 * 7;
    expect(cache.addIfAbsent(42, bits, "s")).toBe(false);
    expect(cache.addIfAbsent(42, bits, "t")).toBe(false);
    expect(cache.addIfAbsent(43, bits, "s")).toBe(true); // a different key is a different slot chain
  });

  it("stops storing at maxEntries but still reports new configurations as new", () => {
    const cache = new StateCache<number>(1, (a, b) => a === b, 2);
    const bits = new Uint32Array([1]);
    expect(cache.addIfAbsent(1, bits, 1)).toBe(true);
    expect(cache.addIfAbsent(2, bits, 2)).toBe(true);
    expect(cache.addIfAbsent(3, bits, 3)).toBe(true);
    expect(cache.size).toBe(2);
    expect(cache.addIfAbsent(1, bits, 1)).toBe(false);
    expect(cache.addIfAbsent(3, bits, 3)).toBe(true); // not remembered: explored again, never wrongly pruned
  });
});
