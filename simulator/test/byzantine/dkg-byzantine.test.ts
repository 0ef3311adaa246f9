import { describe, expect, it } from "vitest";
import { dkgSimulation } from "@synod/security";
import type { Adversary } from "../../src/byzantine/adversary.js";
import { createDkgAdversary, DKG_STRATEGIES, type DkgStrategy } from "../../src/byzantine/dkg-strategies.js";
import { runSimulation } from "../../src/engine/run-simulation.js";

/** Whether the strategy must cost the dealer its place in the qualified set. */
const DISQUALIFIED: Record<DkgStrategy, boolean> = {
  silent: true,
  "bad-share": true,
  "bad-share-justified": false, // it answers every complaint with the right share
  "inconsistent-commitments": true,
  equivocate: true,
};

function run(byzantine: Record<string, Adversary<unknown>>, nodes: number) {
  return runSimulation(dkgSimulation, { seed: 5, nodes, durationMs: 1500, byzantine });
}

describe("DKG under Byzantine dealers in the simulator", () => {
  it.each(DKG_STRATEGIES)("one faulty dealer playing %s (t = 1 of 4): every invariant holds, the correct ones agree", (strategy) => {
    const result = run({ n2: createDkgAdversary(strategy) as Adversary<unknown> }, 4);
    expect(result.violations).toEqual([]);
    expect(result.metrics.decided).toBe(3);
    expect(result.metrics.qualified).toBe(DISQUALIFIED[strategy] ? 3 : 4);
  });

  it("t = 3 of 7 with three different faulty dealers: the three cheating ones are all disqualified", () => {
    const byzantine = { n1: createDkgAdversary("equivocate"), n4: createDkgAdversary("bad-share"), n7: createDkgAdversary("inconsistent-commitments") } as Record<string, Adversary<unknown>>;
    const result = run(byzantine, 7);
    expect(result.violations).toEqual([]);
    expect(result.metrics.qualified).toBe(4);
    expect(result.metrics.decided).toBe(4);
  });

  it("crash faults on 5 (t = 2) with a faulty dealer: the invariants hold on every seed tried", () => {
    for (const seed of [1, 2, 3, 4]) {
      const result = runSimulation(dkgSimulation, { seed, nodes: 5, durationMs: 1500, faults: ["crash"], byzantine: { n3: createDkgAdversary("equivocate") as Adversary<unknown> } });
      expect(result.violations, `seed ${seed}`).toEqual([]);
    }
  });

  it("t + 1 = 2 faulty dealers of 4 (outside the guarantee) are reported as over budget, not silently passed", () => {
    const byzantine = { n1: createDkgAdversary("silent"), n2: createDkgAdversary("silent") } as Record<string, Adversary<unknown>>;
    expect(run(byzantine, 4).metrics.faultBudgetExceeded).toBe(1);
  });
});
