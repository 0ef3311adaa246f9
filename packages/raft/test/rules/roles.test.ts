import { InvariantError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { becomeCandidate, becomeFollower, becomeLeader, becomePreCandidate } from "../../src/roles.js";
import { stepCandidate } from "../../src/step-candidate.js";
import { stepFollower } from "../../src/step-follower.js";
import { stepLeader } from "../../src/step-leader.js";
import { elect, raftState } from "../support/state.js";

describe("role transitions", () => {
  it("each becomeX sets the role's step function", () => {
    const r = raftState();
    expect(r.step).toBe(stepFollower);
    becomePreCandidate(r);
    expect(r.step).toBe(stepCandidate);
    becomeCandidate(r);
    expect(r.step).toBe(stepCandidate);
    becomeLeader(r);
    expect(r.step).toBe(stepLeader);
    becomeFollower(r, r.term, undefined);
    expect(r.step).toBe(stepFollower);
  });

  it("refuses the transitions Raft does not have", () => {
    expect(() => becomeLeader(raftState())).toThrow(InvariantError); // follower -> leader
    const pre = raftState();
    becomePreCandidate(pre);
    expect(() => becomeLeader(pre)).toThrow(/pre-candidate -> leader/);
    expect(() => becomeCandidate(elect(raftState()))).toThrow(/leader -> candidate/);
    expect(() => becomePreCandidate(elect(raftState()))).toThrow(/leader -> pre-candidate/);
  });

  it("a new term forgets the vote; the same term keeps it", () => {
    const r = raftState();
    becomeCandidate(r);
    becomeFollower(r, r.term, "n2");
    expect([r.vote, r.lead]).toEqual(["n1", "n2"]);
    becomeFollower(r, r.term + 1, undefined);
    expect(r.vote).toBeUndefined();
  });
});
