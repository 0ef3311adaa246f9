import { describe, expect, it } from "vitest";
import { FRESH_STATE } from "@synod/core";
import { pbftSimulation, type PbftSimulationTarget } from "@synod/pbft";
import { createKvModel } from "@synod/lincheck";
import { withLinearizability } from "../../src/checks/linearizable.js";
import { runSimulation } from "../../src/engine/run-simulation.js";

const target = withLinearizability(pbftSimulation, createKvModel());

describe("PBFT replicas crash and restart from their durable records", () => {
  it("crashes (torn writes included) at any point of a step: every invariant holds, durability included, and clients complete", () => {
    const result = runSimulation(target, { seed: 5, nodes: 4, durationMs: 4000, faults: ["crash", "torn"] });
    expect(result.violations).toEqual([]);
    expect(result.metrics.restarts).toBeGreaterThan(0);
    expect(result.history.filter((e) => e.type === "ok").length).toBeGreaterThan(20);
  });

  it("replicas that forget their records at restart are caught by MessagesDurable: the checks have teeth", () => {
    const amnesiac: PbftSimulationTarget = { ...pbftSimulation, createNode: (ctx) => pbftSimulation.createNode({ ...ctx, recovered: FRESH_STATE }) };
    const result = runSimulation(withLinearizability(amnesiac, createKvModel()), { seed: 1, nodes: 4, durationMs: 4000, faults: ["crash", "partition"] });
    expect(result.violations.map((v) => v.invariant)).toEqual(["MessagesDurable"]);
    expect(result.violations[0]?.message).toMatch(/recovered view 0, but had synced view 1/);
  });
});
