import { describe, expect, it } from "vitest";
import { appendEntries } from "../../src/rules/proposals.js";
import { handleAppendResponse, maybeSendAppend } from "../../src/rules/replication.js";
import { elect, raftState, sent } from "../support/state.js";

const ok = (index: number) => ({ type: "appendResponse" as const, term: 1, index, reject: false, hintIndex: 0, hintTerm: 0 });
const data = { type: "normal" as const, data: new Uint8Array([1]) };

describe("replication and flow control", () => {
  it("a new leader probes each follower; an acceptance switches it to replicate", () => {
    const r = elect(raftState());
    const pr = r.progress.get("n2");
    if (pr === undefined) throw new Error("no progress for n2");
    expect([pr.state, pr.probeSent]).toEqual(["probe", true]); // the empty entry went out as the probe
    expect(maybeSendAppend(r, "n2", true)).toBe(false); // paused until it answers
    handleAppendResponse(r, "n2", ok(1));
    expect([pr.state, pr.match, pr.next]).toEqual(["replicate", 1, 2]);
    expect(r.log.committed).toBe(1);
  });

  it("in replicate, the in-flight window bounds the unacknowledged messages", () => {
    const r = elect(raftState({ config: { maxInflightMessages: 2, maxEntriesPerMessage: 1 } }));
    handleAppendResponse(r, "n2", ok(1));
    sent(r);
    appendEntries(r, [data, data, data]);
    for (let i = 0; i < 3; i++) maybeSendAppend(r, "n2", false);
    expect(sent(r).filter((e) => e.to === "n2").map((e) => e.message.type === "append" && e.message.prevIndex)).toEqual([1, 2]);
    const pr = r.progress.get("n2");
    expect(pr?.isPaused()).toBe(true);
    handleAppendResponse(r, "n2", ok(2)); // frees one slot: the third entry goes out
    expect(sent(r).filter((e) => e.to === "n2" && e.message.type === "append").length).toBe(1);
  });

  it("a rejection in replicate falls back to probing just after match", () => {
    const r = elect(raftState());
    handleAppendResponse(r, "n2", ok(1));
    appendEntries(r, [data, data]);
    maybeSendAppend(r, "n2", false);
    sent(r);
    handleAppendResponse(r, "n2", { type: "appendResponse", term: 1, index: 1, reject: true, hintIndex: 1, hintTerm: 1 });
    expect(r.progress.get("n2")?.state).toBe("replicate"); // stale: rejects an index already matched
    handleAppendResponse(r, "n2", { type: "appendResponse", term: 1, index: 3, reject: true, hintIndex: 1, hintTerm: 1 });
    expect(r.progress.get("n2")?.state).toBe("probe");
    expect(r.progress.get("n2")?.next).toBe(2);
    expect(sent(r).map((e) => e.message.type === "append" && e.message.prevIndex)).toEqual([1]);
  });

  it("an acknowledgement beyond the leader's log is dropped", () => {
    const r = elect(raftState());
    handleAppendResponse(r, "n2", ok(7));
    expect(r.metrics.rejected["out-of-range"]).toBe(1);
  });
});
