import { describe, expect, it } from "vitest";
import { isJoint, joint, majority, weighted, flexible } from "../src/index.js";
import { acksOf, setOf, votesOf } from "./support/tables.js";

/** C_old = {a b c}, C_new = {c d e}. */
const J = joint(majority(["c", "d", "e"]), majority(["a", "b", "c"]));

describe("joint", () => {
  it("lists incoming voters, then outgoing-only ones", () => {
    expect(J.voters).toEqual(["c", "d", "e", "a", "b"]);
    expect(isJoint(J)).toBe(true);
    expect(isJoint(majority(["a"]))).toBe(false);
  });

  it.each([
    // members → quorum? (majority of both)
    ["a b d e", true],
    ["a c d", true], // c counts in both halves
    ["a b c", false], // no majority of the new
    ["c d e", false], // no majority of the old
  ])("isQuorum(%s) = %s", (members, expected) => {
    expect(J.isQuorum(setOf(members))).toBe(expected);
  });

  it.each([
    // acks              → committed = min(old, new)
    ["a:9 b:9 c:9 d:9 e:9", 9],
    ["a:9 b:9 d:5 e:5", 5],
    ["a:9 b:9 c:9", 0], // the new half never acked
    ["c:7 d:7 a:3", 3],
  ])("acks %s commit %i", (acks, expected) => {
    expect(J.committedIndex(acksOf(acks))).toBe(expected);
  });

  it.each([
    // votes → won only when both won, lost when either lost
    ["+a +b +d +e", "won"],
    ["+a +b", "pending"],
    ["-d -e +a +b", "lost"],
    ["-a -c", "lost"],
  ])("votes %s → %s", (votes, expected) => {
    expect(J.voteResult(votesOf(votes))).toBe(expected);
  });

  it("joins systems of different kinds", () => {
    const mixed = joint(weighted([["x", 3], ["y", 1], ["z", 1]]), flexible(["a", "b", "c"], { phase1Size: 3, phase2Size: 1 }));
    expect(mixed.isQuorum(setOf("x a"))).toBe(true);
    expect(mixed.voteResult(votesOf("+x +a"))).toBe("pending"); // flexible phase-1 needs all of a b c
    expect(mixed.committedIndex(acksOf("x:4 a:6"))).toBe(4);
  });
});
