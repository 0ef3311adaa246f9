import { describe, expect, it } from "vitest";
import { answerStaleMessage, checkQuorum } from "../../src/rules/check-quorum.js";
import { elect, raftState, sent } from "../support/state.js";

describe("check quorum", () => {
  it("a leader that heard from no quorum steps down; one that did stays, and starts a new period", () => {
    const alone = elect(raftState({ config: { checkQuorum: true } }));
    expect(checkQuorum(alone)).toBe(false);
    expect([alone.role, alone.lead]).toEqual(["follower", undefined]);

    const heard = elect(raftState({ config: { checkQuorum: true } }));
    const n3 = heard.progress.get("n3");
    if (n3 === undefined) throw new Error("no progress for n3");
    n3.recentActive = true;
    expect(checkQuorum(heard)).toBe(true);
    expect(heard.role).toBe("leader");
    expect(n3.recentActive).toBe(false);
    expect(checkQuorum(heard)).toBe(false); // nothing heard in the new period
  });

  it("is off without checkQuorum", () => {
    const r = elect(raftState({ config: { checkQuorum: false } }));
    expect(checkQuorum(r)).toBe(true);
  });

  it("answers a stale leader with our term, a stale pre-vote with a refusal, and nothing else", () => {
    const r = raftState({ config: { checkQuorum: true } });
    r.term = 5;
    answerStaleMessage(r, "n2", { type: "heartbeat", term: 4, commit: 0, context: 0 });
    answerStaleMessage(r, "n2", { type: "preVote", term: 4, lastIndex: 0, lastTerm: 0 });
    answerStaleMessage(r, "n2", { type: "vote", term: 4, lastIndex: 0, lastTerm: 0, transfer: false });
    expect(sent(r).map((e) => [e.message.type, e.message.term])).toEqual([
      ["appendResponse", 5],
      ["preVoteResponse", 5],
    ]);
  });
});
