import { describe, expect, it } from "vitest";
import { bcastHeartbeat, handleHeartbeat, handleHeartbeatResponse, tickHeartbeat } from "../../src/rules/heartbeat.js";
import { elect, entries, raftState, sent } from "../support/state.js";

describe("heartbeats", () => {
  it("a leader heartbeats every heartbeatTicks, each broadcast a new round with the commit index capped at the follower's match", () => {
    const r = elect(raftState({ config: { heartbeatTicks: 2 } }));
    tickHeartbeat(r);
    expect(sent(r)).toEqual([]);
    tickHeartbeat(r);
    expect(sent(r).map((e) => [e.to, e.message])).toEqual([
      ["n2", { type: "heartbeat", term: 1, commit: 0, context: 1 }],
      ["n3", { type: "heartbeat", term: 1, commit: 0, context: 1 }],
    ]);
  });

  it("a follower learns the commit index up to its last entry and echoes the round", () => {
    const r = raftState();
    r.log.truncateAndAppend(entries([1, 1]));
    r.term = 1;
    handleHeartbeat(r, "n2", { type: "heartbeat", term: 1, commit: 9, context: 4 });
    expect(r.log.committed).toBe(1);
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "heartbeatResponse", term: 1, context: 4 }]);
  });

  it("an acknowledgement records the round (never one not sent yet) and marks the follower active", () => {
    const r = elect(raftState());
    bcastHeartbeat(r);
    const pr = r.progress.get("n2");
    if (pr === undefined) throw new Error("no progress for n2");
    pr.recentActive = false;
    handleHeartbeatResponse(r, "n2", { type: "heartbeatResponse", term: 1, context: 5 });
    expect(pr.ackedRound).toBe(0);
    expect(pr.recentActive).toBe(true);
    handleHeartbeatResponse(r, "n2", { type: "heartbeatResponse", term: 1, context: 1 });
    expect(pr.ackedRound).toBe(1);
  });
});
