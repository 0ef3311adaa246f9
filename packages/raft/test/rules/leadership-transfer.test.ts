import { describe, expect, it } from "vitest";
import { abandonTransfer, handleTimeoutNow, handleTransferLeadership } from "../../src/rules/leadership-transfer.js";
import { handlePropose } from "../../src/rules/proposals.js";
import { handleAppendResponse } from "../../src/rules/replication.js";
import { elect, raftState, sent } from "../support/state.js";

describe("leadership transfer", () => {
  it("catches the target up first, then sends TimeoutNow; proposals are refused meanwhile", () => {
    const r = elect(raftState());
    handleTransferLeadership(r, 1, "n2");
    expect(sent(r).map((e) => [e.to, e.message.type])).toEqual([]); // n2 is still probing (paused)
    handlePropose(r, 2, [new Uint8Array([1])]);
    expect(r.out.finish().output).toContainEqual(expect.objectContaining({ type: "refused", tag: 2, retryAt: "n2" }));
    handleAppendResponse(r, "n2", { type: "appendResponse", term: 1, index: 1, reject: false, hintIndex: 0, hintTerm: 0 });
    expect(sent(r).map((e) => [e.to, e.message.type])).toContainEqual(["n2", "timeoutNow"]);
    abandonTransfer(r);
    expect(r.leadTransferee).toBeUndefined();
  });

  it("only to a voter", () => {
    const r = elect(raftState({ members: ["n1", "n2", "n3", "n4"], initialConf: { voters: ["n1", "n2", "n3"], outgoing: [], learners: ["n4"] } }));
    handleTransferLeadership(r, 1, "n4");
    expect(r.out.finish().output).toContainEqual(expect.objectContaining({ type: "refused", error: expect.objectContaining({ reason: "invalid-config" }) }));
  });

  it("a follower campaigns on TimeoutNow from its leader only, skipping Pre-Vote", () => {
    const r = raftState({ config: { preVote: true } });
    r.lead = "n2";
    handleTimeoutNow(r, "n3");
    expect([r.role, r.metrics.rejected.unexpected]).toEqual(["follower", 1]);
    handleTimeoutNow(r, "n2");
    expect([r.role, r.term]).toEqual(["candidate", 1]);
    expect(sent(r).map((e) => e.message)).toContainEqual({ type: "vote", term: 1, lastIndex: 0, lastTerm: 0, transfer: true });
  });
});
