import { describe, expect, it } from "vitest";
import { majority, majoritySize, QuorumConfigError } from "../src/index.js";
import { acksOf, votesOf } from "./support/tables.js";

const FIVE = ["n1", "n2", "n3", "n4", "n5"];

describe("majority", () => {
  it.each([
    // voters, quorum size
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [31, 16],
  ])("%i voters need %i", (n, size) => {
    expect(majoritySize(n)).toBe(size);
    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    expect(majority(ids).quorumSize).toBe(size);
  });

  it.each([
    // members present            → quorum?
    ["n1 n2 n3", true],
    ["n1 n2", false],
    ["n1 n2 x y z", false], // non-voters count for nothing
    ["n5 n4 n3 n2 n1", true],
    ["", false],
  ])("isQuorum(%s) = %s", (members, expected) => {
    expect(majority(FIVE).isQuorum(new Set(members.split(" ").filter(Boolean)))).toBe(expected);
  });

  it.each([
    // acks (id:index, missing = 0)          → committed
    ["n1:7 n2:5 n3:2", "3 voters", 5],
    ["n1:9 n2:9 n3:9 n4:1 n5:1", "5 voters", 9],
    ["n1:9 n2:9 n4:1 n5:1", "5 voters", 1],
    ["n1:3 n2:8 n3:6 n4:4 n5:10", "5 voters", 6],
    ["", "5 voters", 0],
    ["n1:4 n2:4 n3:4 n4:4", "4 voters", 4],
    ["n1:4 n2:3 n3:2 n4:1", "4 voters", 2],
  ])("acks %s on %s commit %i", (acks, size, expected) => {
    const voters = size === "3 voters" ? FIVE.slice(0, 3) : size === "4 voters" ? FIVE.slice(0, 4) : FIVE;
    expect(majority(voters).committedIndex(acksOf(acks))).toBe(expected);
  });

  it.each([
    // votes (+ granted, - rejected, absent: not heard) → result
    ["+n1 +n2 +n3", "won"],
    ["+n1 +n2 -n3 -n4", "pending"],
    ["-n1 -n2 -n3", "lost"],
    ["+n1 -n2 -n3 -n4", "lost"],
    ["", "pending"],
  ])("votes %s → %s", (votes, expected) => {
    expect(majority(FIVE).voteResult(votesOf(votes))).toBe(expected);
  });

  it.each([
    ["empty", [], "empty"],
    ["duplicate", ["a", "b", "a"], "duplicate"],
    ["bad id", ["a", ""], "invalid-id"],
  ] as const)("rejects %s voters", (_, voters, reason) => {
    expect(() => majority(voters)).toThrow(QuorumConfigError);
    expect(() => majority(voters)).toThrow(expect.objectContaining({ reason, code: "config" }));
  });

  it("rejects more than the member limit", () => {
    const ids = Array.from({ length: 1025 }, (_, i) => `n${i}`);
    expect(() => majority(ids)).toThrow(expect.objectContaining({ reason: "too-many" }));
  });

  it("copies and freezes its voters", () => {
    const ids = ["a", "b", "c"];
    const q = majority(ids);
    ids.push("d");
    expect(q.voters).toEqual(["a", "b", "c"]);
    expect(Object.isFrozen(q.voters)).toBe(true);
  });

  it("reuses its scratch space: repeated calls give the same answers", () => {
    const q = majority(FIVE);
    expect(q.committedIndex(acksOf("n1:9 n2:9 n3:9"))).toBe(9);
    expect(q.committedIndex(acksOf("n4:2 n5:3"))).toBe(0);
    expect(q.committedIndex(acksOf("n1:9 n2:9 n3:9"))).toBe(9);
  });
});
