import { describe, expect, it } from "vitest";
import { dkgQuorumSimulation, dkgSimulation, type DkgTarget } from "@synod/security";
import type { Adversary } from "../../src/byzantine/adversary.js";
import { createDkgAdversary, DKG_STRATEGIES, type DkgStrategy } from "../../src/byzantine/dkg-strategies.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { chooseByzantine } from "../../src/byzantine/choose-byzantine.js";
import { nodeIds } from "@synod/core";

/**
 * The qualified set's size with the faulty dealer n2 of 4 (`dkg-q`: t = 2, f = 1): left out (3) when its
 * dealing can never complete, kept (4) when its reveals repair what it broke. n2 lies to one receiver
 * (n4, the other odd position), within the reveal budget t−f = 1 (the faulty participant runs the
 * correct code under its adversary), so an honest reveal of n4's share completes its dealing. (`dkg`
 * at n = 4 is now the same t = 2, f = 1: t ≥ 2f is required; with its former t = 1 the budget was 0.)
 */
const QUALIFIED: Record<DkgStrategy, number> = {
  silent: 3,
  "silent-forever": 3,
  "bad-share": 4, // its reveal lies to the others, but n2 leads the deciding ballot 1 and its own proposal carries n4's true share
  "bad-share-justified": 4, // it reveals n4's share correctly
  "inconsistent-commitments": 3, // no share matches the commitments it sent
  equivocate: 4, // n4 got other commitments; the leader (n1) holds the real ones and n4's revealed share matches them
  "split-dealing": 4, // n3 never gets its deal, and only n1 and n3 its reveal of n3's share: the leader n1 has it complete
  "equivocate-votes": 4, // it votes for everything, but a correct leader proposes one value
  "lie-locks": 4, // it hides its lock, but no view change happens: n1 decides in view 0
  "lone-lock": 4, // it leads no view: n1 decides in view 0
  "lock-then-lie": 4, // it leads no view: n1 decides in view 0
};

/** Adversaries act until healing (4 s): past the exclusion timeout (3 s), so the correct ones decide without a cheating dealer. */
function run(byzantine: Record<string, Adversary<unknown>>, nodes: number, target: DkgTarget = dkgSimulation, seed = 5) {
  return runSimulation(target, { seed, nodes, durationMs: 4500, healAtMs: 4000, byzantine });
}

describe("DKG under Byzantine dealers in the simulator", () => {
  it.each(DKG_STRATEGIES)("one faulty dealer playing %s (t = 2 of 4, dkg-q): every invariant holds, the correct ones agree", (strategy) => {
    const result = run({ n2: createDkgAdversary(strategy) as Adversary<unknown> }, 4, dkgQuorumSimulation);
    expect(result.violations).toEqual([]);
    expect(result.metrics.decided).toBe(3);
    expect(result.metrics.qualified).toBe(QUALIFIED[strategy]);
  });

  it("lone-lock as the leader of view 0 leaves one member locked and nobody decided: the next leader carries the lock over, no correct member refuses it", () => {
    const result = runSimulation(dkgSimulation, { seed: 1, nodes: 4, durationMs: 1500, byzantine: { n1: createDkgAdversary("lone-lock") as Adversary<unknown> } });
    expect(result.violations).toEqual([]);
    expect({ decided: result.metrics.decided, highestBallot: result.metrics.highestBallot, refused: result.metrics.refusedInput }).toEqual({ decided: 3, highestBallot: 1, refused: 0 });
  });

  it("lock-then-lie, n1 and n2 of 7 colluding: n1 locks one correct member in view 0, n2 proposes another value over the lock in view 1, refused; view 2 decides", () => {
    const faulty = ["n1", "n2"];
    const byzantine = { n1: createDkgAdversary("lock-then-lie", faulty) as Adversary<unknown>, n2: createDkgAdversary("lock-then-lie", faulty) as Adversary<unknown> };
    const result = runSimulation(dkgSimulation, { seed: 1, nodes: 7, durationMs: 1500, byzantine });
    expect(result.violations).toEqual([]);
    expect({ decided: result.metrics.decided, highestBallot: result.metrics.highestBallot }).toEqual({ decided: 5, highestBallot: 2 });
    expect(result.metrics.refusedInput).toBeGreaterThan(0); // the lie of view 1, at every correct member
  });

  it("a permanent adversary keeps its node after healing: healed at 0 ms, silent n2 deals and qualifies, silent-forever n2 never does", () => {
    const healedAtOnce = (strategy: DkgStrategy) =>
      runSimulation(dkgQuorumSimulation, { seed: 5, nodes: 4, durationMs: 4500, healAtMs: 0, byzantine: { n2: createDkgAdversary(strategy) as Adversary<unknown> } });
    const silent = healedAtOnce("silent");
    const forever = healedAtOnce("silent-forever");
    expect(silent.violations).toEqual([]);
    expect(forever.violations).toEqual([]); // DkgCompletes: the 3 correct members decide without n2 (reveal budget t−f = 1)
    expect({ silent: silent.metrics.qualified, forever: forever.metrics.qualified, decided: forever.metrics.decided }).toEqual({ silent: 4, forever: 3, decided: 3 });
  });

  it("t = 4, f = 2 of 7 with two different faulty dealers: both dealings cannot complete and are left out", () => {
    // n1 equivocates to n2, n4, n6: revealing their 3 shares would exceed the reveal budget t−f = 2, so it stays
    // incomplete (with the old budget t it revealed them and qualified). n7's commitments match no share: left out.
    const byzantine = { n1: createDkgAdversary("equivocate"), n7: createDkgAdversary("inconsistent-commitments") } as Record<string, Adversary<unknown>>;
    const result = run(byzantine, 7);
    expect(result.violations).toEqual([]);
    expect(result.metrics.qualified).toBe(5);
    expect(result.metrics.decided).toBe(5);
  });

  it.each([
    ["equivocate-votes", "lie-locks"],
    ["lie-locks", "split-dealing"],
    ["equivocate-votes", "equivocate-votes"],
  ] as const)("f = 2 Byzantine voters of 7 leading views 0 and 1 (%s on n1, %s on n2): the correct ones agree", (first, second) => {
    const byzantine = { n1: createDkgAdversary(first), n2: createDkgAdversary(second) } as Record<string, Adversary<unknown>>;
    const result = run(byzantine, 7);
    expect(result.violations).toEqual([]);
    expect(result.metrics.decided).toBe(5);
    expect(result.metrics.byzantineParticipants).toBe(2);
  });

  it.each([
    [4, 1, 2],
    [7, 2, 4],
  ])("dkg-q at n = %i: f = %i, t = %i (threshold 2f+1 = Q): t+1 correct shares sign, t do not, with f equivocating voters", (n, f, t) => {
    const byzantine = Object.fromEntries(Array.from({ length: f }, (_, i) => [`n${i + 1}`, createDkgAdversary("equivocate-votes") as Adversary<unknown>]));
    const result = run(byzantine, n, dkgQuorumSimulation);
    expect(result.violations).toEqual([]); // ThresholdSigning: t+1 correct shares make a group signature, t do not
    expect({ t: result.metrics.t, f: result.metrics.f, decided: result.metrics.decided }).toEqual({ t, f, decided: n - f });
  });

  it("crash faults on 5 (t = 2) with a faulty dealer: the invariants hold on every seed tried", () => {
    for (const seed of [1, 2, 3, 4]) {
      const result = runSimulation(dkgSimulation, { seed, nodes: 5, durationMs: 1500, faults: ["crash"], byzantine: { n3: createDkgAdversary("equivocate") as Adversary<unknown> } });
      expect(result.violations, `seed ${seed}`).toEqual([]);
    }
  });

  it("f + 1 = 2 faulty participants of 4 (outside the guarantee) are reported as over budget, not silently passed", () => {
    const byzantine = { n1: createDkgAdversary("silent"), n2: createDkgAdversary("silent") } as Record<string, Adversary<unknown>>;
    expect(run(byzantine, 4).metrics.faultBudgetExceeded).toBe(1);
  });

  it("a detector can name one DKG strategy for every faulty participant (the participants are still drawn from the seed)", () => {
    const choice = chooseByzantine("dkg-q", nodeIds(4), 2, 1001, "lie-locks");
    expect(Object.values(choice.strategies)).toEqual(["lie-locks", "lie-locks"]);
    expect(() => chooseByzantine("dkg", nodeIds(4), 1, 1001, "split-write")).toThrow(/unknown Byzantine strategy "split-write" for dkg \(drawn: silent, /);
  });
});
