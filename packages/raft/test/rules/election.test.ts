import { describe, expect, it } from "vitest";
import { campaign, hup, tallyVote, tickElection } from "../../src/rules/election.js";
import { raftState, sent } from "../support/state.js";

describe("election", () => {
  it("the randomized timeout lies in [T, 2T) and a follower campaigns when it elapses", () => {
    const r = raftState({ config: { preVote: false } });
    const timeout = r.randomizedElectionTimeoutTicks;
    expect(timeout).toBeGreaterThanOrEqual(r.config.electionTimeoutTicks);
    expect(timeout).toBeLessThan(2 * r.config.electionTimeoutTicks);
    for (let i = 1; i < timeout; i++) tickElection(r);
    expect(r.role).toBe("follower");
    tickElection(r);
    expect(r.role).toBe("candidate");
  });

  it("a campaign bumps the term, votes for itself and asks every other voter (not learners)", () => {
    const r = raftState({ members: ["n1", "n2", "n3", "n4"], initialConf: { voters: ["n1", "n2", "n3"], outgoing: [], learners: ["n4"] } });
    campaign(r, false, false);
    expect([r.role, r.term, r.vote]).toEqual(["candidate", 1, "n1"]);
    expect(sent(r).map((e) => e.to)).toEqual(["n2", "n3"]);
  });

  it("a learner never campaigns", () => {
    const r = raftState({ id: "n4", members: ["n1", "n2", "n3", "n4"], initialConf: { voters: ["n1", "n2", "n3"], outgoing: [], learners: ["n4"] } });
    hup(r, false);
    expect(r.role).toBe("follower");
  });

  it("a quorum of grants wins, a quorum of refusals loses", () => {
    const won = raftState({ config: { preVote: false } });
    campaign(won, false, false);
    tallyVote(won, "n2", { type: "voteResponse", term: 1, granted: true });
    expect(won.role).toBe("leader");
    const lost = raftState({ config: { preVote: false } });
    campaign(lost, false, false);
    tallyVote(lost, "n2", { type: "voteResponse", term: 1, granted: false });
    expect(lost.role).toBe("candidate");
    tallyVote(lost, "n3", { type: "voteResponse", term: 1, granted: false });
    expect([lost.role, lost.term]).toEqual(["follower", 1]);
  });

  it("a won pre-campaign campaigns for real", () => {
    const r = raftState({ config: { preVote: true } });
    campaign(r, true, false);
    tallyVote(r, "n3", { type: "preVoteResponse", term: 1, granted: true });
    expect([r.role, r.term, r.vote]).toEqual(["candidate", 1, "n1"]);
  });

  it("a single voter wins at once", () => {
    const r = raftState({ members: ["n1"] });
    hup(r, false);
    expect([r.role, r.term]).toEqual(["leader", 1]);
  });
});
