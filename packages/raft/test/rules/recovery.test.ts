import { describe, expect, it } from "vitest";
import { recover } from "../../src/rules/recovery.js";
import { entries, raftState } from "../support/state.js";

describe("recovery from records", () => {
  it("restores term, vote, commit and entries", () => {
    const r = raftState();
    recover(r, [{ type: "entries", entries: entries([1, 1], [2, 2]) }, { type: "hardState", term: 2, vote: "n2", commit: 1 }], 0);
    expect([r.term, r.vote, r.log.lastIndex, r.log.committed, r.haltReason]).toEqual([2, "n2", 2, 1, undefined]);
  });

  it("halts on corrupted records, entries that do not follow, or a commit index beyond the log", () => {
    const corrupt = raftState();
    recover(corrupt, [], 1);
    expect(corrupt.haltReason).toMatch(/corrupted/);
    const gap = raftState();
    recover(gap, [{ type: "entries", entries: entries([1, 3]) }], 0);
    expect(gap.haltReason).toMatch(/do not follow/);
    const beyond = raftState();
    recover(beyond, [{ type: "hardState", term: 1, vote: null, commit: 4 }], 0);
    expect(beyond.haltReason).toMatch(/beyond the last entry/);
  });
});
