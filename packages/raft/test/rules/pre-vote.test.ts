import { describe, expect, it } from "vitest";
import { hup } from "../../src/rules/election.js";
import { countsPreVoteAnswer, keepsTerm } from "../../src/rules/pre-vote.js";
import { raftState, sent } from "../support/state.js";

describe("pre-vote", () => {
  it("keepsTerm: pre-vote requests and grants never change the receiver's term; refusals and real votes do", () => {
    expect(keepsTerm({ type: "preVote", term: 5, lastIndex: 0, lastTerm: 0 })).toBe(true);
    expect(keepsTerm({ type: "preVoteResponse", term: 5, granted: true })).toBe(true);
    expect(keepsTerm({ type: "preVoteResponse", term: 5, granted: false })).toBe(false);
    expect(keepsTerm({ type: "vote", term: 5, lastIndex: 0, lastTerm: 0, transfer: false })).toBe(false);
    expect(keepsTerm({ type: "voteResponse", term: 5, granted: true })).toBe(false);
  });

  it("a pre-campaign asks for term + 1 without adopting it or voting", () => {
    const r = raftState({ config: { preVote: true } });
    r.term = 3;
    hup(r, false);
    expect(r.role).toBe("pre-candidate");
    expect(r.term).toBe(3);
    expect(r.vote).toBeUndefined();
    expect(sent(r).map((e) => [e.to, e.message.type, e.message.term])).toEqual([
      ["n2", "preVote", 4],
      ["n3", "preVote", 4],
    ]);
  });

  it("a transfer (TimeoutNow) skips the pre-campaign", () => {
    const r = raftState({ config: { preVote: true } });
    hup(r, true);
    expect(r.role).toBe("candidate");
    expect(r.term).toBe(1);
  });

  it("only grants for this pre-campaign's term count", () => {
    const r = raftState();
    r.term = 3;
    expect(countsPreVoteAnswer(r, { type: "preVoteResponse", term: 4, granted: true })).toBe(true);
    expect(countsPreVoteAnswer(r, { type: "preVoteResponse", term: 3, granted: true })).toBe(false);
    expect(countsPreVoteAnswer(r, { type: "preVoteResponse", term: 3, granted: false })).toBe(true);
    expect(countsPreVoteAnswer(r, { type: "voteResponse", term: 3, granted: true })).toBe(true);
  });
});
