import { describe, expect, it } from "vitest";
import { canVote, handleVoteRequest, voteBlockedByLease } from "../../src/rules/vote-granting.js";
import { entries, raftState, sent } from "../support/state.js";

const vote = (term: number, lastIndex = 0, lastTerm = 0, transfer = false) => ({ type: "vote" as const, term, lastIndex, lastTerm, transfer });
const preVote = (term: number, lastIndex = 0, lastTerm = 0) => ({ type: "preVote" as const, term, lastIndex, lastTerm });

describe("vote granting", () => {
  it("canVote: the same candidate again, no vote and no leader, or a pre-vote for a later term", () => {
    const r = raftState();
    r.term = 2;
    expect(canVote(r, "n2", vote(2))).toBe(true); // no vote, no leader
    r.vote = "n3";
    expect(canVote(r, "n3", vote(2))).toBe(true); // a repeated request
    expect(canVote(r, "n2", vote(2))).toBe(false); // one vote per term
    expect(canVote(r, "n2", preVote(2))).toBe(false); // a pre-vote of this term counts like a vote
    expect(canVote(r, "n2", preVote(3))).toBe(true); // a pre-vote for a later term promises nothing
    r.vote = undefined;
    r.lead = "n3";
    expect(canVote(r, "n2", vote(2))).toBe(false); // a leader of this term is known
  });

  it("grants only to a log at least as up to date (last term, then last index), and records a real vote", () => {
    const r = raftState();
    r.log.truncateAndAppend(entries([1, 1], [2, 2]));
    r.term = 2;
    handleVoteRequest(r, "n2", vote(2, 5, 1)); // longer log, older last term
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "voteResponse", term: 2, granted: false }]);
    expect(r.vote).toBeUndefined();
    handleVoteRequest(r, "n2", vote(2, 2, 2)); // same last entry
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "voteResponse", term: 2, granted: true }]);
    expect(r.vote).toBe("n2");
  });

  it("a granted pre-vote records nothing and answers with the term asked for", () => {
    const r = raftState();
    r.term = 1;
    r.vote = "n3";
    handleVoteRequest(r, "n2", preVote(2));
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "preVoteResponse", term: 2, granted: true }]);
    expect(r.vote).toBe("n3");
    expect(r.term).toBe(1);
  });

  it("the lease guard blocks (pre-)votes while a leader is heard, unless the campaign is a transfer", () => {
    const r = raftState({ config: { checkQuorum: true } });
    r.lead = "n3";
    r.electionElapsedTicks = r.config.electionTimeoutTicks - 1;
    expect(voteBlockedByLease(r, vote(5))).toBe(true);
    expect(voteBlockedByLease(r, preVote(5))).toBe(true);
    expect(voteBlockedByLease(r, vote(5, 0, 0, true))).toBe(false);
    r.electionElapsedTicks = r.config.electionTimeoutTicks; // the lease ran out
    expect(voteBlockedByLease(r, vote(5))).toBe(false);
    const noCheck = raftState({ config: { checkQuorum: false } });
    noCheck.lead = "n3";
    expect(voteBlockedByLease(noCheck, vote(5))).toBe(false);
  });

  it("the restart lease: a restarted node (it recovered a term) refuses (pre-)votes for its first election timeout, but not a transfer's", () => {
    const r = raftState({ config: { checkQuorum: true, electionTimeoutTicks: 10 } });
    r.term = 1;
    r.restarted = true; // as createRaftState sets it after recovering term 1
    expect(voteBlockedByLease(r, preVote(2))).toBe(true);
    expect(voteBlockedByLease(r, vote(2))).toBe(true);
    expect(voteBlockedByLease(r, vote(2, 0, 0, true))).toBe(false); // the leader asked for this campaign
    r.nowTicks = 9;
    expect(voteBlockedByLease(r, vote(2))).toBe(true);
    r.nowTicks = 10; // an election timeout of its own clock: over
    expect(voteBlockedByLease(r, vote(2))).toBe(false);
    const first = raftState({ config: { checkQuorum: true } }); // a first boot heard no one and promised nothing
    expect(voteBlockedByLease(first, vote(1))).toBe(false);
    const noCheckQuorum = raftState({ config: { checkQuorum: false } });
    noCheckQuorum.restarted = true;
    expect(voteBlockedByLease(noCheckQuorum, vote(1))).toBe(false);
  });
});
