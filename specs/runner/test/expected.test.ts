import { describe, expect, it } from "vitest";
import { compareExpectedCounts, parseExpectedCounts } from "../expected.js";

describe("parseExpectedCounts", () => {
  it("reads expected lines, in plain text, code spans and list items, and ignores the rest", () => {
    const summary = [
      "# Verification summary",
      "expected: MCA.cfg distinct=1365 depth=14",
      "- `expected: MCB.cfg distinct=7 depth=2`",
      "expected: MCC.cfg distinct=many depth=1",
      "we expected: nothing",
    ].join("\n");
    expect([...parseExpectedCounts(summary).values()]).toEqual([
      { config: "MCA.cfg", distinct: 1365, depth: 14 },
      { config: "MCB.cfg", distinct: 7, depth: 2 },
    ]);
  });
});

describe("compareExpectedCounts", () => {
  const expected = { config: "MCA.cfg", distinct: 1365, depth: 14 };

  it("matches equal counts", () => {
    expect(compareExpectedCounts(expected, { distinctStates: 1365, depth: 14 })).toEqual({ status: "match" });
  });

  it("reports a changed distinct count or depth, with the line to write", () => {
    const changed = compareExpectedCounts(expected, { distinctStates: 1400, depth: 14 });
    expect(changed.status).toBe("changed");
    if (changed.status !== "changed") return;
    expect(changed.message).toContain("distinct states 1400 (expected 1365)");
    expect(changed.message).toContain('"expected: MCA.cfg distinct=1400 depth=14"');
    expect(compareExpectedCounts(expected, { distinctStates: 1365, depth: 15 }).status).toBe("changed");
  });

  it("compares depth strictly with one worker, and only notes a depth difference under parallel search", () => {
    expect(compareExpectedCounts(expected, { distinctStates: 1365, depth: 15 }, true).status).toBe("changed");
    const parallel = compareExpectedCounts(expected, { distinctStates: 1365, depth: 15 }, false);
    expect(parallel.status).toBe("match");
    if (parallel.status === "match") expect(parallel.note).toContain("depth 15 (expected 14)");
    // The distinct-state count stays strict whatever the workers.
    expect(compareExpectedCounts(expected, { distinctStates: 1366, depth: 14 }, false).status).toBe("changed");
    expect(compareExpectedCounts(expected, { distinctStates: 1365 }, false).status).toBe("changed");
  });

  it("treats unknown measured figures as changed, and a missing line as missing", () => {
    expect(compareExpectedCounts(expected, {}).status).toBe("changed");
    expect(compareExpectedCounts(undefined, { distinctStates: 1, depth: 1 })).toEqual({ status: "missing" });
  });
});
