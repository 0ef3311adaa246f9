import { describe, expect, it } from "vitest";
import { pbftReadOnlySimulation, pbftSimulation } from "@synod/pbft";
import { createKvModel } from "@synod/lincheck";
import { nodeIds } from "@synod/core";
import { withLinearizability } from "../../src/checks/linearizable.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { chooseByzantine } from "../../src/byzantine/choose-byzantine.js";
import { createPbftAdversary, PBFT_MAC_STRATEGIES, PBFT_STRATEGIES, PBFT_TARGETED_STRATEGIES } from "../../src/byzantine/pbft-strategies.js";
import type { Adversary } from "../../src/byzantine/adversary.js";

const readOnly = withLinearizability(pbftReadOnlySimulation, createKvModel());
const ordered = withLinearizability(pbftSimulation, createKvModel());

describe("split-write: a faulty primary holding back all but one correct replica behind each write", () => {
  // n1 is the primary of view 0; seeds 1001 and 1003 are where the mutants catalogue's detector
  // (pbft-ro, 4 replicas, no fault) draws n1 as the faulty replica, and where
  // pbft/writes-on-weak-quorum-with-reads reads stale.
  it.each([1001, 1003])("pbft-ro, seed %i: reads and writes stay linearizable, clients complete, the view does not change", (seed) => {
    const byzantine = { n1: createPbftAdversary("split-write", ["n1"]) as Adversary<unknown> };
    const result = runSimulation(readOnly, { seed, nodes: 4, durationMs: 3000, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(20);
    expect(result.metrics.viewChanges).toBe(0);
    expect(result.metrics.readOnlyCompleted).toBeGreaterThan(10);
  });

  it("ordered reads (the optimisation off): every invariant holds", () => {
    const byzantine = { n1: createPbftAdversary("split-write", ["n1"]) as Adversary<unknown> };
    const result = runSimulation(ordered, { seed: 1001, nodes: 4, durationMs: 3000, byzantine });
    expect(result.violations).toEqual([]);
  });

  it("is never drawn, only named: chooseByzantine gives every faulty replica the named strategy", () => {
    expect(PBFT_MAC_STRATEGIES as readonly string[]).not.toContain(PBFT_TARGETED_STRATEGIES[0]);
    expect(PBFT_STRATEGIES as readonly string[]).not.toContain(PBFT_TARGETED_STRATEGIES[0]);
    const drawn = chooseByzantine("pbft-ro", nodeIds(4), 1, 1001);
    const named = chooseByzantine("pbft-ro", nodeIds(4), 1, 1001, "split-write");
    expect(Object.keys(named.strategies)).toEqual(Object.keys(drawn.strategies));
    expect(Object.values(named.strategies)).toEqual(["split-write"]);
    expect(() => chooseByzantine("pbft-ro", nodeIds(4), 1, 1001, "no-such")).toThrow(/unknown Byzantine strategy/);
    expect(() => chooseByzantine("raft", nodeIds(4), 1, 1001, "split-write")).toThrow(/unknown Byzantine strategy/);
  });
});
