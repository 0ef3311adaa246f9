import { describe, expect, it } from "vitest";
import { maybeCommit } from "../../src/rules/commit.js";
import { elect, entries, raftState } from "../support/state.js";

describe("commit rule (Figure 8)", () => {
  it("an entry of an older term on a majority does not commit; one of the current term does, and everything before it", () => {
    const r = raftState();
    r.log.truncateAndAppend(entries([1, 1], [2, 2]));
    r.term = 2;
    elect(r); // term 3, appends its empty entry at index 3
    expect(r.term).toBe(3);
    const n2 = r.progress.get("n2");
    if (n2 === undefined) throw new Error("no progress for n2");
    n2.match = 2; // n1 and n2 hold index 2 (term 2): a majority, but not of this term
    expect(maybeCommit(r)).toBe(false);
    expect(r.log.committed).toBe(0);
    n2.match = 3;
    expect(maybeCommit(r)).toBe(true);
    expect(r.log.committed).toBe(3);
  });

  it("a minority holding an entry does not commit it", () => {
    const r = elect(raftState({ members: ["n1", "n2", "n3", "n4", "n5"] }));
    const n2 = r.progress.get("n2");
    if (n2 === undefined) throw new Error("no progress for n2");
    n2.match = 1; // n1 and n2 of five
    expect(maybeCommit(r)).toBe(false);
  });
});
