import { describe, expect, it } from "vitest";
import { MAX_VOTER_WEIGHT, QuorumConfigError, weighted } from "../src/index.js";
import { acksOf, setOf, votesOf } from "./support/tables.js";

/** a:3 b:1 c:1 d:2 → total 7, default threshold 4. */
const W = weighted([["a", 3], ["b", 1], ["c", 1], ["d", 2]]);

describe("weighted", () => {
  it("defaults to a weighted majority", () => {
    expect(W.totalWeight).toBe(7);
    expect(W.threshold).toBe(4);
    expect(W.weightOf("a")).toBe(3);
    expect(W.weightOf("zz")).toBe(0);
  });

  it.each([
    // members → weight → quorum?
    ["a", false],
    ["a b", true],
    ["b c d", true],
    ["b c", false],
    ["a zz", false],
  ])("isQuorum(%s) = %s", (members, expected) => {
    expect(W.isQuorum(setOf(members))).toBe(expected);
  });

  it.each([
    // acks                    → committed (weights a3 b1 c1 d2, threshold 4)
    ["a:10 b:9 c:8 d:7", 9], // a(3)+b(1) reach 4 at index 9
    ["a:10 d:7", 7], // a(3)+d(2)=5 at 7
    ["b:10 c:10 d:10", 10], // 1+1+2
    ["b:10 c:10", 0],
    ["a:5 b:5 c:5 d:5", 5],
  ])("acks %s commit %i", (acks, expected) => {
    expect(W.committedIndex(acksOf(acks))).toBe(expected);
  });

  it.each([
    ["+a +b", "won"],
    ["+a -d", "pending"],
    ["-a -b", "lost"], // 7 - 4 = 3 < 4
    ["-a +b +c +d", "won"],
  ])("votes %s → %s", (votes, expected) => {
    expect(W.voteResult(votesOf(votes))).toBe(expected);
  });

  it("accepts a Map and an explicit threshold", () => {
    const q = weighted(new Map([["x", 2], ["y", 2], ["z", 1]]), { threshold: 5 });
    expect(q.isQuorum(setOf("x y"))).toBe(false);
    expect(q.isQuorum(setOf("x y z"))).toBe(true);
  });

  it.each([
    ["negative weight", [["a", -1], ["b", 1]], {}, "invalid-weight"],
    ["zero weight", [["a", 0], ["b", 1]], {}, "invalid-weight"],
    ["fractional weight", [["a", 1.5], ["b", 1]], {}, "invalid-weight"],
    ["huge weight", [["a", MAX_VOTER_WEIGHT + 1]], {}, "invalid-weight"],
    ["unreachable threshold", [["a", 1], ["b", 1]], { threshold: 3 }, "unreachable"],
    ["zero threshold", [["a", 1], ["b", 1]], { threshold: 0 }, "invalid-size"],
    ["half threshold", [["a", 1], ["b", 1]], { threshold: 1 }, "no-intersection"],
    ["duplicate id", [["a", 1], ["a", 2]], {}, "duplicate"],
    ["no voters", [], {}, "empty"],
  ] as const)("rejects %s", (_, pairs, options, reason) => {
    const build = () => weighted(pairs as unknown as [string, number][], options);
    expect(build).toThrow(QuorumConfigError);
    expect(build).toThrow(expect.objectContaining({ reason }));
  });

  it("names the offending voter in the field", () => {
    expect(() => weighted([["a", 1], ["b", -2]])).toThrow(expect.objectContaining({ field: "weights.b" }));
  });
});
