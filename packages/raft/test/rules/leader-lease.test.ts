import { describe, expect, it } from "vitest";
import { inLease } from "../../src/rules/leader-lease.js";
import { elect, raftState } from "../support/state.js";

describe("leader lease", () => {
  it("holds from the send tick of a round a quorum acknowledged, for the election timeout less the margin", () => {
    const r = elect(raftState({ config: { readMode: "lease", checkQuorum: true, electionTimeoutTicks: 10, leaseSafetyMarginTicks: 2 } }));
    r.nowTicks = 100;
    expect(inLease(r)).toBe(false); // no follower acknowledged anything
    const n2 = r.progress.get("n2");
    if (n2 === undefined) throw new Error("no progress for n2");
    n2.ackedRoundSentTick = 95;
    expect(inLease(r)).toBe(true); // 100 - 95 < 10 - 2
    r.nowTicks = 103;
    expect(inLease(r)).toBe(false); // 103 - 95 = 8: the margin ate the rest
  });

  it("is void in read-index mode and during a leadership transfer", () => {
    const r = elect(raftState({ config: { readMode: "lease", checkQuorum: true } }));
    const n2 = r.progress.get("n2");
    if (n2 === undefined) throw new Error("no progress for n2");
    n2.ackedRoundSentTick = r.nowTicks;
    expect(inLease(r)).toBe(true);
    r.leadTransferee = "n2";
    expect(inLease(r)).toBe(false);
    const readIndex = elect(raftState({ config: { readMode: "read-index" } }));
    expect(inLease(readIndex)).toBe(false);
  });
});
