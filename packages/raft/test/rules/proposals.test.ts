import { describe, expect, it } from "vitest";
import { NotLeaderError } from "../../src/errors.js";
import { handlePropose } from "../../src/rules/proposals.js";
import { elect, raftState, sent } from "../support/state.js";

const reasonOf = (r: ReturnType<typeof raftState>): unknown[] =>
  r.out.finish().output.map((o) => (o.type !== "refused" ? o.type : o.error instanceof NotLeaderError ? "not-leader" : o.error.reason));

describe("proposals", () => {
  it("a leader appends one entry per item, reports the index, and replicates", () => {
    const r = elect(raftState());
    handlePropose(r, 3, [new Uint8Array([1]), new Uint8Array([2])]);
    expect([r.log.lastIndex, r.log.term(3)]).toEqual([3, 1]);
    expect(r.out.finish().output).toContainEqual({ type: "proposed", tag: 3, index: 2, count: 2 });
    expect(sent(r)).toEqual([]); // both followers are still probing
  });

  it("refuses beyond each limit: batch size, entry size, uncommitted entries", () => {
    const r = elect(raftState({ config: { maxProposalBatch: 2, maxEntryBytes: 4, maxUncommittedEntries: 3 } }));
    r.out.finish();
    const one = new Uint8Array([1]);
    handlePropose(r, 1, [one, one, one]);
    handlePropose(r, 2, [new Uint8Array(5)]);
    handlePropose(r, 3, [one, one]);
    handlePropose(r, 4, [one]);
    expect(reasonOf(r)).toEqual(["batch-too-large", "entry-too-large", "proposed", "too-many-uncommitted"]);
  });

  it("a follower refuses", () => {
    const r = raftState();
    handlePropose(r, 1, [new Uint8Array([1])]);
    expect(reasonOf(r)).toEqual(["not-leader"]);
  });
});
