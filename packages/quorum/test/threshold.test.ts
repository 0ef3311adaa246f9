import { describe, expect, it } from "vitest";
import { threshold } from "../src/index.js";
import { setOf } from "./support/tables.js";

describe("threshold", () => {
  it.each([
    // voters, k → accepted?
    [4, 3, true],
    [4, 2, false], // {a b} and {c d} are disjoint
    [5, 5, true],
    [1, 1, true],
  ])("%i voters, k=%i → accepted %s", (n, k, accepted) => {
    const ids = ["a", "b", "c", "d", "e"].slice(0, n);
    if (accepted) expect(threshold(ids, k).isQuorum(new Set(ids.slice(0, k)))).toBe(true);
    else expect(() => threshold(ids, k)).toThrow(expect.objectContaining({ reason: "no-intersection" }));
  });

  it("rejects an unreachable size", () => {
    expect(() => threshold(["a", "b"], 3)).toThrow(expect.objectContaining({ reason: "unreachable" }));
  });

  it("counts only voters", () => {
    expect(threshold(["a", "b", "c"], 2).isQuorum(setOf("a x"))).toBe(false);
  });
});
