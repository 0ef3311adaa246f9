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

  it("replicas that forget their records at restart are caught by MessagesDurable on every seed: the checks have teeth", () => {
    const amnesiac: PbftSimulationTarget = { ...pbftSimulation, createNode: (ctx) => pbftSimulation.createNode({ ...ctx, recovered: FRESH_STATE }) };
    const messages: string[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const result = runSimulation(withLinearizability(amnesiac, createKvModel()), { seed, nodes: 4, durationMs: 4000, faults: ["crash", "partition"] });
      expect(result.metrics.restarts, `seed ${seed}`).toBeGreaterThan(0);
      expect(result.violations.map((v) => v.invariant), `seed ${seed}`).toEqual(["MessagesDurable"]);
      messages.push(result.violations[0]?.message ?? "");
    }
    // Both kinds of loss are seen: a view it had moved to, and a stable checkpoint (with the certificates above it).
    expect(messages.some((m) => /recovered view 0, but had synced view [1-9]/.test(m))).toBe(true);
    expect(messages.some((m) => /recovered stable checkpoint 0, but had synced checkpoint [1-9]/.test(m))).toBe(true);
  });

  it("replicas that recover everything but their prepared certificates are caught by MessagesDurable at the restart", () => {
    const forgetsPrepared: PbftSimulationTarget = {
      ...pbftSimulation,
      createNode: (ctx) => pbftSimulation.createNode({ ...ctx, recovered: { ...ctx.recovered, records: ctx.recovered.records.filter((r) => r.type !== "prepared") } }),
    };
    for (let seed = 1; seed <= 4; seed++) {
      const result = runSimulation(forgetsPrepared, { seed, nodes: 4, durationMs: 4000, faults: ["crash"] });
      expect(result.violations.map((v) => v.invariant), `seed ${seed}`).toEqual(["MessagesDurable"]);
      expect(result.violations[0]?.message, `seed ${seed}`).toMatch(/recovered no prepared certificate for seq \d+ of view \d+ or later, but had synced one/);
    }
  });
});
