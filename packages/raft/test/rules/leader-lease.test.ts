import { describe, expect, it } from "vitest";
import { inLease } from "../../src/rules/leader-lease.js";
import { abandonTransfer, handleTransferLeadership } from "../../src/rules/leadership-transfer.js";
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

  it("is void for the rest of the leadership once a transfer is abandoned after its TimeoutNow went out; not after one abandoned before", () => {
    const lease = (): ReturnType<typeof raftState> => {
      const r = elect(raftState({ config: { readMode: "lease", checkQuorum: true } }));
      const n2 = r.progress.get("n2");
      if (n2 === undefined) throw new Error("no progress for n2");
      n2.ackedRoundSentTick = r.nowTicks;
      return r;
    };
    const sent = lease();
    const pr = sent.progress.get("n2");
    if (pr === undefined) throw new Error("no progress for n2");
    pr.match = sent.log.lastIndex; // up to date: TimeoutNow goes out at once
    handleTransferLeadership(sent, 1, "n2");
    expect(sent.timeoutNowSent).toBe(true);
    abandonTransfer(sent);
    // n2 may still campaign, skipping its peers' vote leases, whenever the TimeoutNow reaches it.
    expect(sent.leadTransferee).toBeUndefined();
    expect(inLease(sent)).toBe(false);
    const behind = lease();
    handleTransferLeadership(behind, 1, "n3"); // n3 lags: appends first, no TimeoutNow yet
    expect(behind.timeoutNowSent).toBe(false);
    abandonTransfer(behind);
    expect(inLease(behind)).toBe(true);
  });
});
