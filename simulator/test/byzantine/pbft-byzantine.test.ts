import { describe, expect, it } from "vitest";
import { pbftMacSimulation, pbftSimulation, pbftThresholdSimulation } from "@synod/pbft";
import { createKvModel } from "@synod/lincheck";
import { nodeIds } from "@synod/core";
import { withLinearizability } from "../../src/checks/linearizable.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { chooseByzantine } from "../../src/byzantine/choose-byzantine.js";
import { createPbftAdversary, PBFT_MAC_STRATEGIES, PBFT_STRATEGIES, PBFT_THRESHOLD_STRATEGIES } from "../../src/byzantine/pbft-strategies.js";
import type { Adversary } from "../../src/byzantine/adversary.js";

const target = withLinearizability(pbftSimulation, createKvModel());
const macTarget = withLinearizability(pbftMacSimulation, createKvModel());
const thresholdTarget = withLinearizability(pbftThresholdSimulation, createKvModel());

describe("PBFT under Byzantine replicas in the simulator", () => {
  it.each(PBFT_STRATEGIES)("one faulty replica playing %s (f = 1 of 4): every invariant holds and clients complete", (strategy) => {
    // The faulty replica is n1, the primary of view 0: the strongest position.
    const byzantine = { n1: createPbftAdversary(strategy, ["n1"]) as Adversary<unknown> };
    const result = runSimulation(target, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(20);
  });

  it.each(PBFT_MAC_STRATEGIES)("pbft-mac (MAC authenticators): one faulty replica playing %s (f = 1 of 4): every invariant holds and clients complete", (strategy) => {
    const byzantine = { n1: createPbftAdversary(strategy, ["n1"]) as Adversary<unknown> };
    const result = runSimulation(macTarget, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(20);
  });

  it.each(PBFT_THRESHOLD_STRATEGIES)("pbft-threshold (threshold checkpoint certificates): one faulty replica playing %s (f = 1 of 4): every invariant holds and clients complete", (strategy) => {
    const byzantine = { n1: createPbftAdversary(strategy, ["n1"]) as Adversary<unknown> };
    const result = runSimulation(thresholdTarget, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(20);
  });

  it("pbft-threshold: a bad-share replica's shares and certificates are refused, and checkpoints still become stable", () => {
    const byzantine = { n1: createPbftAdversary("bad-share", ["n1"]) as Adversary<unknown> };
    const result = runSimulation(thresholdTarget, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.metrics.rejectedBadShare).toBeGreaterThan(0);
    expect(result.metrics.thresholdCertificates).toBeGreaterThan(0);
    // Its prepares' shares are refused too, and prepared certificates still combine from the correct replicas' shares.
    expect(result.metrics.thresholdPrepared).toBeGreaterThan(0);
  });

  it("an equivocate-signed replica (other checkpoint digests and view-changes for half the correct replicas) ends up proven faulty at every correct replica", () => {
    const byzantine = { n1: createPbftAdversary("equivocate-signed", ["n1"]) as Adversary<unknown> };
    const result = runSimulation(target, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.metrics.provenFaulty).toBe(3);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(20);
  });

  it("pbft-mac: two colluding equivocators on 4 replicas (f+1) break Agreement there too", () => {
    const byzantine = { n1: createPbftAdversary("equivocate", ["n1", "n2"]), n2: createPbftAdversary("equivocate", ["n1", "n2"]) } as Record<string, Adversary<unknown>>;
    const result = runSimulation(macTarget, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations.map((v) => v.invariant)).toEqual(["Agreement"]);
  });

  it("two colluding equivocators on 4 replicas (f+1, outside the guarantee) break Agreement: the checks have teeth", () => {
    const byzantine = { n1: createPbftAdversary("equivocate", ["n1", "n2"]), n2: createPbftAdversary("equivocate", ["n1", "n2"]) } as Record<string, Adversary<unknown>>;
    const result = runSimulation(target, { seed: 3, nodes: 4, durationMs: 2000, byzantine });
    expect(result.violations.map((v) => v.invariant)).toEqual(["Agreement"]);
  });

  it("the faulty nodes and their strategies are drawn from the seed", () => {
    const a = chooseByzantine("pbft", nodeIds(4), 2, 8).strategies;
    expect(chooseByzantine("pbft", nodeIds(4), 2, 8).strategies).toEqual(a);
    expect(Object.keys(a)).toHaveLength(2);
    expect(() => chooseByzantine("pbft", nodeIds(4), 5, 1)).toThrow(/between 0 and 4/);
  });
});
