/**
 * Regression (issue 14): a node halted on corrupted storage counts as holding its log for
 * CommittedEntriesDurable also while it is down. Seed 12214 of `pnpm sim raft --nodes 5 --seed 12214
 * --duration 60000 --faults all` halts nodes on corruption and then crashes one of them; the check
 * used to drop the exemption while the halted node was down and reported "committed entry 2:7 is
 * durable only on n4,n3". Corruption is outside the spec's fault model (a halted node refuses to
 * act and asks to be wiped and re-added), so that was a false alarm.
 */
import { createKvModel } from "@synod/lincheck";
import { raftSimulation } from "@synod/raft/simulation";
import { runSimulation, withLinearizability } from "@synod/simulator";
import { describe, expect, it } from "vitest";

describe("CommittedEntriesDurable with nodes halted on corrupted storage", () => {
  it("seed 12214: a halted node that crashes still counts as holding its log", () => {
    const result = runSimulation(withLinearizability(raftSimulation, createKvModel()), { seed: 12214, nodes: 5, durationMs: 60_000, faults: "all" });
    expect(result.violations).toEqual([]);
    // The scenario was exercised: corruption halted nodes, and halted nodes crashed again.
    expect(result.metrics.corruptions).toBeGreaterThan(0);
    expect(result.metrics["raft.haltedNodes"] ?? result.metrics.haltedNodes).toBeGreaterThan(1);
  });
});
