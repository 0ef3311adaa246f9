import { describe, expect, it } from "vitest";
import { MAX_ANALYSIS_MEMBERS, MAX_QUORUM_MEMBERS, MAX_VOTER_WEIGHT, majority, weighted } from "../src/index.js";

describe("limits (src/limits.ts), asserted where they must hold", () => {
  it("a system of the most members, each of the largest weight, still sums exactly", () => {
    const ids = Array.from({ length: MAX_QUORUM_MEMBERS }, (_, i) => `n${i}`);
    const q = weighted(ids.map((id) => [id, MAX_VOTER_WEIGHT] as const));
    expect(q.isQuorum(new Set(ids.slice(0, MAX_QUORUM_MEMBERS / 2 + 1)))).toBe(true);
    expect(q.isQuorum(new Set(ids.slice(0, MAX_QUORUM_MEMBERS / 2)))).toBe(false);
  });

  it("one member more than the limit is refused", () => {
    const ids = Array.from({ length: MAX_QUORUM_MEMBERS + 1 }, (_, i) => `n${i}`);
    expect(() => majority(ids)).toThrow(/at most/);
    expect(MAX_ANALYSIS_MEMBERS).toBeLessThanOrEqual(MAX_QUORUM_MEMBERS);
  });
});
