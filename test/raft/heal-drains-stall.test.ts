/**
 * Regression (issue 14): `pnpm sim raft --nodes 3 --seed 6027 --faults all --duration 20000` failed
 * Liveness ("not reached within 3000 ms after healing at 14000 ms"). Not a Raft bug: n3 had halted
 * on corrupted storage, so n1 and n2 needed each other, and a leader stall at 13.5 s had put 2.9 s
 * of extra delay on n1's links. Healing zeroed the delay for new messages, but those already in
 * flight kept it and, links being FIFO, every later message waited behind them: nothing crossed
 * n1–n2 from 13.5 s to 16.3 s. Raft elected n1 in 160 ms once messages flowed, too late for the
 * 3 s bound. Healing now drains what the faults delayed (simulator `NetworkModel.healAll`); the
 * bound is unchanged.
 *
 * Since the restart lease (a restarted node refuses votes for an election timeout, issue 14) seed
 * 6027's run is another one, with nothing in flight at healing; seed 6054 (same options) had the
 * scenario — leader stalls, one node halted on corrupted storage, delayed messages drained at
 * healing — until the commit index stopped being persisted on its own (branch runtimefsync): with
 * fewer records the corruption lands elsewhere and no node halts. Scanning seeds 6000–6399 again
 * for the scenario: 6004, 6090, 6178, 6191 qualify; seed 6004 is used.
 */
import { createKvModel } from "@synod/lincheck";
import { raftSimulation } from "@synod/raft/simulation";
import { runSimulation, withLinearizability } from "@synod/simulator";
import { describe, expect, it } from "vitest";

describe("liveness after a leader stall that lasts until healing", () => {
  it("seed 6004 (3 nodes, one halted): the stalled links drain at healing and a command commits within the bound", () => {
    const result = runSimulation(withLinearizability(raftSimulation, createKvModel()), { seed: 6004, nodes: 3, durationMs: 20_000, faults: "all" });
    expect(result.violations).toEqual([]);
    // The scenario was exercised: the leader was stalled, a node halted, and stalled messages were in flight at healing.
    expect(result.metrics.leaderStalls).toBeGreaterThan(0);
    expect(result.metrics["raft.haltedNodes"] ?? result.metrics.haltedNodes).toBe(1);
    expect(result.metrics.drainedAtHeal).toBeGreaterThan(0);
  });
});
