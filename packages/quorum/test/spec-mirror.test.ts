/**
 * The TypeScript twin of specs/quorum: each MC configuration is rebuilt with the package's
 * constructors, the same-named invariants are checked with the package's analysis, and the same
 * vote/decide model is explored breadth-first over `isQuorum`. Its distinct-state count must equal
 * the `expected:` line TLC produced (verification_summary.md): equal counts mean equal quorum sets.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeIds, type NodeId } from "@synod/core";
import {
  byzantine,
  crashFaultTolerance,
  flexible,
  grid,
  honestIntersection,
  joint,
  majority,
  phaseSystems,
  quorumsIntersect,
  weighted,
  type QuorumSystem,
} from "../src/index.js";

const SUMMARY = fileURLToPath(new URL("../../../specs/quorum/verification_summary.md", import.meta.url));

function expectedDistinct(cfg: string): number {
  const line = readFileSync(SUMMARY, "utf8")
    .split("\n")
    .find((text) => text.startsWith(`expected: ${cfg} `));
  const match = line?.match(/distinct=(\d+)/);
  if (!match) throw new Error(`no expected line for ${cfg} in ${SUMMARY}`);
  return Number(match[1]);
}

interface MirrorCase {
  readonly cfg: string;
  readonly system: QuorumSystem;
  readonly faulty: readonly NodeId[];
  readonly maxFaulty: number;
  readonly maxCrashed: number;
  readonly checksAgreement: boolean;
  /** Consecutive configurations for TransitionSafety. */
  readonly transitions?: readonly QuorumSystem[];
}

const oldHalf = majority(["n1", "n2", "n3"]);
const newHalf = majority(["n3", "n4", "n5"]);
const jointSystem = joint(newHalf, oldHalf);

const CASES: readonly MirrorCase[] = [
  { cfg: "MCQuorumMajority3.cfg", system: majority(nodeIds(3)), faulty: [], maxFaulty: 0, maxCrashed: 1, checksAgreement: true },
  { cfg: "MCQuorumMajority5.cfg", system: majority(nodeIds(5)), faulty: [], maxFaulty: 0, maxCrashed: 2, checksAgreement: true },
  { cfg: "MCQuorumFlexible.cfg", system: flexible(nodeIds(5), { phase1Size: 4, phase2Size: 2 }), faulty: [], maxFaulty: 0, maxCrashed: 1, checksAgreement: false },
  { cfg: "MCQuorumGrid.cfg", system: grid(nodeIds(6), { rows: 2, columns: 3 }), faulty: [], maxFaulty: 0, maxCrashed: 1, checksAgreement: true },
  { cfg: "MCQuorumByzantine.cfg", system: byzantine(nodeIds(4)), faulty: ["n4"], maxFaulty: 1, maxCrashed: 1, checksAgreement: true },
  {
    cfg: "MCQuorumJoint.cfg",
    system: jointSystem,
    faulty: [],
    maxFaulty: 0,
    maxCrashed: 1,
    checksAgreement: true,
    transitions: [oldHalf, jointSystem, newHalf],
  },
  {
    cfg: "MCQuorumWeighted.cfg",
    system: weighted([["n1", 2], ["n2", 1], ["n3", 1], ["n4", 1]], { threshold: 3 }),
    faulty: [],
    maxFaulty: 0,
    maxCrashed: 1,
    checksAgreement: true,
  },
];

const VALUES = ["v1", "v2"] as const;

interface ModelState {
  readonly votes: readonly (readonly string[])[]; // per voter, sorted
  readonly decided: readonly string[]; // sorted
}

const keyOf = (state: ModelState): string => JSON.stringify(state);

/** Breadth-first exploration of Quorum.tla's Next, checking Agreement and DecidedIsRecoverable in every state. */
function explore(c: MirrorCase): { distinct: number; agreement: boolean; recoverable: boolean } {
  const voters = c.system.voters;
  const faulty = new Set(c.faulty);
  const [phase1, phase2] = phaseSystems(c.system);
  const votersOf = (state: ModelState, value: string, honestOnly: boolean): Set<NodeId> =>
    new Set(voters.filter((id, i) => state.votes[i]!.includes(value) && !(honestOnly && faulty.has(id))));
  const seen = new Set<string>();
  const initial: ModelState = { votes: voters.map(() => []), decided: [] };
  let queue: ModelState[] = [initial];
  seen.add(keyOf(initial));
  let agreement = true;
  let recoverable = true;
  while (queue.length > 0) {
    const next: ModelState[] = [];
    for (const state of queue) {
      if (state.decided.length > 1) agreement = false;
      for (const value of state.decided) {
        // Some phase-1 quorum avoids every honest voter of `value`?
        const others = new Set(voters.filter((id) => !votersOf(state, value, true).has(id)));
        if (phase1.isQuorum(others)) recoverable = false;
      }
      const successors: ModelState[] = [];
      voters.forEach((id, i) => {
        for (const value of VALUES) {
          const mine = state.votes[i]!;
          const honestVote = !faulty.has(id) && mine.length === 0;
          const equivocation = faulty.has(id) && !mine.includes(value);
          if (honestVote || equivocation) {
            const votes = state.votes.map((v, j) => (j === i ? [...v, value].sort() : v));
            successors.push({ votes, decided: state.decided });
          }
        }
      });
      for (const value of VALUES) {
        if (!state.decided.includes(value) && phase2.isQuorum(votersOf(state, value, false))) {
          successors.push({ votes: state.votes, decided: [...state.decided, value].sort() });
        }
      }
      for (const successor of successors) {
        const key = keyOf(successor);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(successor);
        }
      }
    }
    queue = next;
  }
  return { distinct: seen.size, agreement, recoverable };
}

describe.each(CASES)("$cfg", (c) => {
  it("QuorumIntersection", () => {
    const [phase1, phase2] = phaseSystems(c.system);
    expect(quorumsIntersect(phase1, phase2)).toBe(true);
  });

  it("ByzantineHonestIntersection and WeakQuorumHasHonest", () => {
    if (!c.checksAgreement) {
      // Not in MCQuorumFlexible.cfg: two phase-2 quorums may be disjoint by design.
      expect(honestIntersection(phaseSystems(c.system)[1], c.maxFaulty)).toBe(false);
      return;
    }
    expect(honestIntersection(c.system, c.maxFaulty)).toBe(true);
    if (c.system.kind === "byzantine") expect(byzantine(c.system.voters, { f: c.maxFaulty }).weakQuorumSize).toBe(c.maxFaulty + 1);
  });

  it("QuorumAvailability: the TS crash tolerance is exactly the model's MaxCrashed", () => {
    expect(crashFaultTolerance(c.system)).toBe(c.maxCrashed);
  });

  it("vote/decide model: same distinct states as TLC, Agreement and DecidedIsRecoverable hold", () => {
    const result = explore(c);
    expect(result.distinct).toBe(expectedDistinct(c.cfg));
    expect(result.recoverable).toBe(true);
    if (c.checksAgreement) expect(result.agreement).toBe(true);
  });
});

describe("MCQuorumJoint.cfg transitions", () => {
  it("TransitionSafety: old → joint → new, consecutive quorums intersect", () => {
    const steps = CASES.find((c) => c.transitions !== undefined)?.transitions ?? [];
    expect(steps).toHaveLength(3);
    for (let i = 0; i + 1 < steps.length; i++) expect(quorumsIntersect(steps[i]!, steps[i + 1]!)).toBe(true);
    expect(quorumsIntersect(oldHalf, majority(["n4", "n5"]))).toBe(false); // skipping the joint step is unsafe
  });
});

describe("the mirror can fail", () => {
  it("a majority-of-5 system with one Byzantine member breaks DecidedIsRecoverable", () => {
    const result = explore({ cfg: "-", system: majority(nodeIds(5)), faulty: ["n5"], maxFaulty: 1, maxCrashed: 2, checksAgreement: true });
    expect(result.recoverable).toBe(false);
    expect(result.agreement).toBe(false);
  });
});
