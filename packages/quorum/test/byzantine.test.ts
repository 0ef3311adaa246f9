import { describe, expect, it } from "vitest";
import { nodeIds } from "@synod/core";
import { byzantine, byzantineQuorumSize } from "../src/index.js";
import { acksOf, setOf } from "./support/tables.js";

describe("byzantine", () => {
  it.each([
    // n, f (default) → quorum, weak quorum
    [4, 1, 3, 2],
    [7, 2, 5, 3],
    [10, 3, 7, 4],
    [1, 0, 1, 1],
    [5, 1, 4, 2], // n > 3f+1: quorum ceil((n+f+1)/2) keeps the f+1 overlap
  ])("n=%i → f=%i, quorum %i, weak %i", (n, f, quorum, weak) => {
    const q = byzantine(nodeIds(n));
    expect(q.f).toBe(f);
    expect(q.quorumSize).toBe(quorum);
    expect(q.weakQuorumSize).toBe(weak);
    expect(byzantineQuorumSize(n, f)).toBe(quorum);
  });

  it("n = 3f+1 gives quorums of 2f+1", () => {
    for (let f = 0; f <= 10; f++) expect(byzantineQuorumSize(3 * f + 1, f)).toBe(2 * f + 1);
  });

  it.each([
    // members   → quorum?, weak quorum (one honest)?
    ["n1 n2 n3", true, true],
    ["n1 n2", false, true],
    ["n4", false, false],
  ])("%s: quorum %s, weak %s", (members, quorum, weak) => {
    const q = byzantine(nodeIds(4));
    expect(q.isQuorum(setOf(members))).toBe(quorum);
    expect(q.isWeakQuorum(setOf(members))).toBe(weak);
  });

  it("commits what 2f+1 acknowledged", () => {
    expect(byzantine(nodeIds(4)).committedIndex(acksOf("n1:9 n2:8 n3:7 n4:100"))).toBe(8);
  });

  it.each([
    [3, 1, "no-intersection"],
    [6, 2, "no-intersection"],
    [4, -1, "invalid-size"],
    [4, 0.5, "invalid-size"],
  ])("rejects n=%i f=%s (%s)", (n, f, reason) => {
    expect(() => byzantine(nodeIds(n), { f })).toThrow(expect.objectContaining({ reason, field: "f" }));
  });

  it("accepts f=0 on any n (plain majority-like overlap)", () => {
    expect(byzantine(nodeIds(2), { f: 0 }).quorumSize).toBe(2);
  });
});
