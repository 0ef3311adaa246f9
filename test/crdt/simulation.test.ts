import { describe, expect, it } from "vitest";
import { crdtSimulation } from "@synod/crdt";
import { runSimulation } from "@synod/simulator";

describe("crdtSimulation under the deterministic simulator", () => {
  const cases: { seed: number; nodes: number }[] = [
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ seed, nodes: 3 })),
    ...[101, 102, 103].map((seed) => ({ seed, nodes: 5 })),
  ];
  for (const { seed, nodes } of cases) {
    it(`seed ${seed}, ${nodes} replicas, all faults: StrongConvergence, AddWins, CounterSum hold and replicas converge after healing`, () => {
      const result = runSimulation(crdtSimulation, { seed, nodes, faults: "all", durationMs: 4_000 });
      const violation = result.violations[0];
      if (violation !== undefined) {
        throw new Error(`seed ${seed}: ${violation.invariant} at event ${violation.event}: ${violation.message}\n${result.tail.join("\n")}`);
      }
      expect(result.invariants).toEqual(expect.arrayContaining(["StrongConvergence", "AddWins", "CounterSum"]));
      expect(result.metrics.historyOk).toBeGreaterThan(0);
      expect(result.metrics.livenessAfterHealMs).toBeLessThanOrEqual(crdtSimulation.liveness?.boundMs ?? 0);
    });
  }

  it("is deterministic: the same seed gives the same trace hash", () => {
    const a = runSimulation(crdtSimulation, { seed: 77, faults: "all", durationMs: 1_500 });
    const b = runSimulation(crdtSimulation, { seed: 77, faults: "all", durationMs: 1_500 });
    expect(a.traceHash).toBe(b.traceHash);
  });
});
