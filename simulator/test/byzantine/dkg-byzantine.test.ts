import { describe, expect, it } from "vitest";
import { dkgSimulation } from "@synod/security";
import type { Adversary } from "../../src/byzantine/adversary.js";
import { createDkgAdversary, DKG_STRATEGIES, type DkgStrategy } from "../../src/byzantine/dkg-strategies.js";
import { runSimulation } from "../../src/engine/run-simulation.js";

/**
 * The qualified set's size with the faulty dealer n2 of 4: left out (3) when its dealing can never
 * complete, kept (4) when its reveals repair what it broke. n2 lies to one receiver (n4, the other
 * odd position), at most t = 1, so an honest reveal of n4's share completes its dealing.
 */
const QUALIFIED: Record<DkgStrategy, number> = {
  silent: 3,
  "bad-share": 4, // its reveal lies to the others, but n2 leads the deciding ballot 1 and its own proposal carries n4's true share
  "bad-share-justified": 4, // it reveals n4's share correctly
  "inconsistent-commitments": 3, // no share matches the commitments it sent
  equivocate: 4, // n4 got other commitments; the leader (n1) holds the real ones and n4's revealed share matches them
};

/** Adversaries act until healing (4 s): past the exclusion timeout (3 s), so the correct ones decide without a cheating dealer. */
function run(byzantine: Record<string, Adversary<unknown>>, nodes: number) {
  return runSimulation(dkgSimulation, { seed: 5, nodes, durationMs: 4500, healAtMs: 4000, byzantine });
}

describe("DKG under Byzantine dealers in the simulator", () => {
  it.each(DKG_STRATEGIES)("one faulty dealer playing %s (t = 1 of 4): every invariant holds, the correct ones agree", (strategy) => {
    const result = run({ n2: createDkgAdversary(strategy) as Adversary<unknown> }, 4);
    expect(result.violations).toEqual([]);
    expect(result.metrics.decided).toBe(3);
    expect(result.metrics.qualified).toBe(QUALIFIED[strategy]);
  });

  it("t = 3 of 7 with three different faulty dealers: the two whose dealings cannot complete are left out", () => {
    // n1 equivocates to n2, n4, n6 (3 ≤ t) and reveals their shares: complete. n4 lies to n2 and n6 and
    // about their shares; n7's commitments match no share: both left out.
    const byzantine = { n1: createDkgAdversary("equivocate"), n4: createDkgAdversary("bad-share"), n7: createDkgAdversary("inconsistent-commitments") } as Record<string, Adversary<unknown>>;
    const result = run(byzantine, 7);
    expect(result.violations).toEqual([]);
    expect(result.metrics.qualified).toBe(5);
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
