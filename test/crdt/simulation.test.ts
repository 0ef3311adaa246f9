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

  it("seed 1127 (10 s): a replica that came back read-only from corrupted storage stays read-only after a checkpoint and a clean restart", () => {
    // Before the fix, n3's checkpoint (written while read-only) dropped the corrupted record and the
    // read-only mark with it; after a later clean restart n3 issued dot [n3, 30] a second time.
    const result = runSimulation(crdtSimulation, { seed: 1127, nodes: 3, faults: "all", durationMs: 10_000 });
    const violation = result.violations[0];
    if (violation !== undefined) {
      throw new Error(`seed 1127: ${violation.invariant} at event ${violation.event}: ${violation.message}\n${result.tail.join("\n")}`);
    }
    expect(result.metrics.historyOk).toBeGreaterThan(0);
  });

  it("seed 877 (10 s): a replica back from corrupted storage whose nacks were all lost still converges", () => {
    // Before the fix, n2's only nacks (sent once, with its alarm) were lost; n1 and n3 still held
    // acks from n2's previous incarnation covering all they had, so nobody ever sent n2 the dots it lost.
    const result = runSimulation(crdtSimulation, { seed: 877, nodes: 3, faults: "all", durationMs: 10_000 });
    const violation = result.violations[0];
    if (violation !== undefined) {
      throw new Error(`seed 877: ${violation.invariant} at event ${violation.event}: ${violation.message}\n${result.tail.join("\n")}`);
    }
    expect(result.metrics.livenessAfterHealMs).toBeLessThanOrEqual(crdtSimulation.liveness?.boundMs ?? 0);
  });

  it("is deterministic: the same seed gives the same trace hash", () => {
    const a = runSimulation(crdtSimulation, { seed: 77, faults: "all", durationMs: 1_500 });
    const b = runSimulation(crdtSimulation, { seed: 77, faults: "all", durationMs: 1_500 });
    expect(a.traceHash).toBe(b.traceHash);
  });
});
