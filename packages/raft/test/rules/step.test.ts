import { describe, expect, it } from "vitest";
import { campaign } from "../../src/rules/election.js";
import { step } from "../../src/step.js";
import { elect, raftState, sent } from "../support/state.js";

describe("term rules (step.ts)", () => {
  it("only known peers, and never ourselves", () => {
    const r = raftState();
    step(r, "n9", { type: "timeoutNow", term: 1 });
    step(r, "n1", { type: "timeoutNow", term: 1 });
    expect([r.metrics.rejected["unknown-sender"], r.metrics.rejected.unexpected]).toEqual([1, 1]);
  });

  it("a higher term is adopted, following the sender when it leads", () => {
    const r = raftState();
    step(r, "n2", { type: "heartbeat", term: 4, commit: 0, context: 0 });
    expect([r.role, r.term, r.lead]).toEqual(["follower", 4, "n2"]);
    step(r, "n3", { type: "voteResponse", term: 6, granted: false });
    expect([r.term, r.lead]).toEqual([6, undefined]);
  });

  it("a pre-vote request of a higher term leaves the term alone", () => {
    const r = raftState({ config: { checkQuorum: false } });
    step(r, "n2", { type: "preVote", term: 4, lastIndex: 0, lastTerm: 0 });
    expect(r.term).toBe(0);
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "preVoteResponse", term: 4, granted: true }]);
  });

  it("a vote request under the lease is ignored, term included", () => {
    const r = raftState({ config: { checkQuorum: true } });
    step(r, "n2", { type: "heartbeat", term: 1, commit: 0, context: 0 });
    sent(r);
    step(r, "n3", { type: "vote", term: 2, lastIndex: 9, lastTerm: 1, transfer: false });
    expect([r.term, r.metrics.rejected["in-lease"], sent(r)]).toEqual([1, 1, []]);
  });

  it("a lower term is dropped", () => {
    const r = raftState({ config: { checkQuorum: false, preVote: false } });
    r.term = 3;
    step(r, "n2", { type: "append", term: 2, prevIndex: 0, prevTerm: 0, entries: [], commit: 0 });
    expect(r.metrics.rejected["stale-term"]).toBe(1);
    expect(sent(r)).toEqual([]);
  });

  it("a leader drops AppendEntries of its own term (two leaders in a term cannot be)", () => {
    const r = elect(raftState());
    step(r, "n2", { type: "append", term: 1, prevIndex: 0, prevTerm: 0, entries: [], commit: 0 });
    expect(r.metrics.rejected.unexpected).toBe(1);
    expect(r.role).toBe("leader");
  });

  it("a candidate that hears the leader of its term becomes its follower", () => {
    const r = raftState({ config: { preVote: false } });
    campaign(r, false, false);
    step(r, "n2", { type: "heartbeat", term: 1, commit: 0, context: 0 });
    expect([r.role, r.term, r.lead, r.vote]).toEqual(["follower", 1, "n2", "n1"]);
  });
});
