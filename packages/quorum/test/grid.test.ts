import { describe, expect, it } from "vitest";
import { grid } from "../src/index.js";
import { acksOf, setOf, votesOf } from "./support/tables.js";

/**
 *   a b c
 *   d e f
 */
const G = grid(["a", "b", "c", "d", "e", "f"], { rows: 2, columns: 3 });

describe("grid", () => {
  it("lays voters out row-major", () => {
    expect(G.cell(0, 0)).toBe("a");
    expect(G.cell(1, 2)).toBe("f");
    expect(() => G.cell(2, 0)).toThrow(expect.objectContaining({ reason: "invalid-size" }));
  });

  it.each([
    // members       → quorum? (needs a full row and a full column)
    ["a b c d", true], // row 0 + column 0
    ["a b c e", true], // row 0 + column 1
    ["a b c", false], // a row, no column
    ["a d b e", false], // two columns, no row
    ["d e f c", true], // row 1 + column 2
    ["a b c d e f", true],
  ])("isQuorum(%s) = %s", (members, expected) => {
    expect(G.isQuorum(setOf(members))).toBe(expected);
  });

  it.each([
    ["a:5 b:5 c:5 d:5", 5],
    ["a:9 b:8 c:7 d:6 e:5 f:4", 6], // best row min 7 (row 0), best column min 6 (column 0)
    ["a:9 b:9 c:9", 0],
    ["d:3 e:3 f:3 a:1 b:2 c:3", 3], // row 1 (3) + column 2 (3)
  ])("acks %s commit %i", (acks, expected) => {
    expect(G.committedIndex(acksOf(acks))).toBe(expected);
  });

  it.each([
    ["+a +b +c +d", "won"],
    ["+a +b +c", "pending"],
    ["-a -e", "lost"], // each row has a rejection: no full row can form
  ])("votes %s → %s", (votes, expected) => {
    expect(G.voteResult(votesOf(votes))).toBe(expected);
  });

  it.each([
    ["-a -b -c", "lost"], // every column lost a member
    ["-a", "pending"],
    ["-a -d", "lost"], // column 0 gone is fine, but both rows are broken
  ])("votes %s → %s", (votes, expected) => {
    expect(G.voteResult(votesOf(votes))).toBe(expected);
  });

  it.each([
    [{ rows: 2, columns: 2 }, "invalid-size"],
    [{ rows: 0, columns: 6 }, "invalid-size"],
    [{ rows: 1.5, columns: 4 }, "invalid-size"],
  ])("rejects shape %o", (shape, reason) => {
    expect(() => grid(["a", "b", "c", "d", "e", "f"], shape)).toThrow(expect.objectContaining({ reason }));
  });
});
