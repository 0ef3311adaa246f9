import { describe, expect, it } from "vitest";
import { flexible, isFlexible, majority } from "../src/index.js";
import { acksOf, setOf, votesOf } from "./support/tables.js";

const V = ["a", "b", "c", "d", "e"];
/** Phase-1 of 4, phase-2 of 2, over 5 voters (4 + 2 > 5). */
const F = flexible(V, { phase1Size: 4, phase2Size: 2 });

describe("flexible", () => {
  it("exposes both phases", () => {
    expect(isFlexible(F)).toBe(true);
    expect(isFlexible(majority(V))).toBe(false);
    expect(F.phase1.quorumSize).toBe(4);
    expect(F.phase2.quorumSize).toBe(2);
  });

  it.each([
    // members   → phase-1?, phase-2?
    ["a b", false, true],
    ["a b c d", true, true],
    ["e", false, false],
  ])("%s: phase-1 %s, phase-2 %s", (members, p1, p2) => {
    expect(F.phase1.isQuorum(setOf(members))).toBe(p1);
    expect(F.phase2.isQuorum(setOf(members))).toBe(p2);
    expect(F.isQuorum(setOf(members))).toBe(p2);
  });

  it.each([
    ["a:9 b:8", 8], // two acks commit
    ["a:9", 0],
    ["a:9 b:3 c:7", 7],
  ])("committedIndex uses phase-2: %s → %i", (acks, expected) => {
    expect(F.committedIndex(acksOf(acks))).toBe(expected);
  });

  it.each([
    ["+a +b +c", "pending"],
    ["+a +b +c +d", "won"],
    ["-a -b", "lost"], // only 3 left, phase-1 needs 4
  ])("voteResult uses phase-1: %s → %s", (votes, expected) => {
    expect(F.voteResult(votesOf(votes))).toBe(expected);
  });

  it.each([
    [{ phase1Size: 3, phase2Size: 2 }, "no-intersection"],
    [{ phase1Size: 6, phase2Size: 2 }, "unreachable"],
    [{ phase1Size: 0, phase2Size: 5 }, "invalid-size"],
    [{ phase1Size: 2.5, phase2Size: 4 }, "invalid-size"],
    [{ phase1Size: 2, phase2Size: 4, requirePhase1Intersection: true }, "no-intersection"],
  ])("rejects %o (%s)", (options, reason) => {
    expect(() => flexible(V, options)).toThrow(expect.objectContaining({ reason }));
  });

  it("accepts a phase-1 majority when Raft asks for intersecting elections", () => {
    expect(flexible(V, { phase1Size: 3, phase2Size: 3, requirePhase1Intersection: true }).phase1.quorumSize).toBe(3);
  });
});
