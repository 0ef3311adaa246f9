import { describe, expect, it } from "vitest";
import { chainReplicationSimulation, chainSimulation, CHAIN_INVARIANT_NAMES } from "@synod/chain/simulation";
import { createKvModel } from "@synod/lincheck";
import { runSimulation, withLinearizability } from "@synod/simulator";

function passes(result: ReturnType<typeof runSimulation>): void {
  const violation = result.violations[0];
  if (violation === undefined) return;
  throw new Error(`seed ${result.seed}: ${violation.invariant} at event ${violation.event}: ${violation.message}\n${result.tail.join("\n")}`);
}

describe("chain replication and CRAQ under the deterministic simulator", () => {
  for (const [name, target] of [["CRAQ", chainSimulation], ["chain replication", chainReplicationSimulation]] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${name}, seed ${seed}, all faults: linearizable, CleanReadsAreCommitted, ChainPrefix, EpochFencing; live after healing`, () => {
        const result = runSimulation(withLinearizability(target, createKvModel()), { seed, nodes: 5, faults: "all" });
        passes(result);
        expect(result.invariants).toEqual([...CHAIN_INVARIANT_NAMES, "Linearizable"]);
      });
    }
  }

  it("CRAQ spreads strong reads over the chain; chain replication serves them all at the tail", () => {
    const craq = runSimulation(chainSimulation, { seed: 5, nodes: 5, faults: "none" });
    const cr = runSimulation(chainReplicationSimulation, { seed: 5, nodes: 5, faults: "none" });
    passes(craq);
    passes(cr);
    expect(craq.metrics.cleanReads).toBeGreaterThan(craq.metrics.tailReads as number);
    expect(cr.metrics.cleanReads).toBe(0);
    expect(cr.metrics.tailReads).toBeGreaterThan(0);
  });
});
