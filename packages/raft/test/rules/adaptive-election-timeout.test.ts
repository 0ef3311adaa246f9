import { describe, expect, it } from "vitest";
import { resetRandomizedElectionTimeout, tickElection } from "../../src/rules/election.js";
import { bcastHeartbeat, handleHeartbeat, handleHeartbeatResponse } from "../../src/rules/heartbeat.js";
import { ADAPTIVE_ELECTION_TIMEOUT_MAX_FACTOR } from "../../src/rules/adaptive-election-timeout.js";
import { elect, raftState } from "../support/state.js";

const adaptive = { adaptiveElectionTimeout: true, electionTimeoutTicks: 10, heartbeatTicks: 2 };

describe("adaptive election timeout (config adaptiveElectionTimeout)", () => {
  it("a leader turns a 30-tick heartbeat round trip into a timeout covering two round trips, reports it, and advertises it", () => {
    const r = elect(raftState({ config: adaptive }));
    bcastHeartbeat(r);
    r.out.finish();
    r.nowTicks += 30;
    handleHeartbeatResponse(r, "n2", { type: "heartbeatResponse", term: 1, context: r.heartbeatRound });
    const step = r.out.finish();
    // First sample: srtt 30, rttvar 15 → 2 × (30 + 60) + 2 = 182, clamped to 10 × 10 = 100.
    expect(step.output).toContainEqual({ type: "election-timeout", ticks: 100, rttTicks: 30, source: "measured" });
    bcastHeartbeat(r);
    const heartbeats = r.out.finish().send.map((e) => e.message);
    expect(heartbeats.every((m) => m.type === "heartbeat" && m.electionTimeout === 100)).toBe(true);
  });

  it("a follower adopts the advertised timeout (clamped to the bound) and draws its randomized timeout from it", () => {
    const r = raftState({ config: adaptive });
    r.term = 1;
    handleHeartbeat(r, "n2", { type: "heartbeat", term: 1, commit: 0, context: 1, electionTimeout: 10_000 });
    expect(r.out.finish().output).toEqual([{ type: "election-timeout", ticks: 10 * ADAPTIVE_ELECTION_TIMEOUT_MAX_FACTOR, rttTicks: 0, source: "leader" }]);
    resetRandomizedElectionTimeout(r);
    expect(r.randomizedElectionTimeoutTicks).toBeGreaterThanOrEqual(100);
    expect(r.randomizedElectionTimeoutTicks).toBeLessThan(200);
  });

  it("a campaign that times out doubles the timeout until a leader measures one", () => {
    const r = raftState({ config: { ...adaptive, preVote: false } });
    r.role = "candidate";
    r.randomizedElectionTimeoutTicks = 1;
    r.selfVoter = true;
    tickElection(r);
    expect(r.out.finish().output).toContainEqual({ type: "election-timeout", ticks: 20, rttTicks: 0, source: "backoff" });
  });

  it("off (the default): no field in heartbeats, no output, the configured timeout", () => {
    const r = elect(raftState({ config: { electionTimeoutTicks: 10, heartbeatTicks: 2 } }));
    bcastHeartbeat(r);
    expect(r.out.finish().send.every((e) => e.message.type === "heartbeat" && !("electionTimeout" in e.message))).toBe(true);
    r.nowTicks += 30;
    handleHeartbeatResponse(r, "n2", { type: "heartbeatResponse", term: 1, context: r.heartbeatRound });
    expect(r.out.finish().output).toEqual([]);
    expect(r.adaptiveElectionTimeoutTicks).toBe(0);
  });
});
