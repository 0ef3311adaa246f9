import { describe, expect, it } from "vitest";
import { handleAppend } from "../../src/rules/log-matching.js";
import { entries, raftState, sent } from "../support/state.js";

const append = (prevIndex: number, prevTerm: number, list: ReturnType<typeof entries>, commit = 0) => ({ type: "append" as const, term: 3, prevIndex, prevTerm, entries: list, commit });

describe("log matching", () => {
  it("accepts entries after a matching previous entry, and commits no further than they prove", () => {
    const r = raftState();
    r.term = 3;
    handleAppend(r, "n2", append(0, 0, entries([1, 1], [1, 2]), 5));
    expect(r.log.lastIndex).toBe(2);
    expect(r.log.committed).toBe(2);
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "appendResponse", term: 3, index: 2, reject: false, hintIndex: 0, hintTerm: 0 }]);
  });

  it("rejects a mismatched previous entry with a hint that skips the conflicting term", () => {
    const r = raftState();
    r.log.truncateAndAppend(entries([1, 1], [2, 2], [2, 3], [2, 4]));
    r.term = 3;
    // The leader's entry 4 is of term 1: none of our term-2 entries can match; the hint skips them all.
    handleAppend(r, "n2", append(4, 1, []));
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "appendResponse", term: 3, index: 4, reject: true, hintIndex: 1, hintTerm: 1 }]);
  });

  it("replaces conflicting uncommitted entries, keeps matching ones", () => {
    const r = raftState();
    r.log.truncateAndAppend(entries([1, 1], [2, 2], [2, 3]));
    r.term = 3;
    handleAppend(r, "n2", append(1, 1, entries([2, 2], [3, 3])));
    expect([r.log.term(2), r.log.term(3), r.log.lastIndex]).toEqual([2, 3, 3]);
  });

  it("answers an append older than the commit index with the commit index", () => {
    const r = raftState();
    r.log.truncateAndAppend(entries([1, 1], [1, 2]));
    r.log.commitTo(2);
    r.term = 3;
    handleAppend(r, "n2", append(1, 1, entries([1, 2])));
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "appendResponse", term: 3, index: 2, reject: false, hintIndex: 0, hintTerm: 0 }]);
  });
});
