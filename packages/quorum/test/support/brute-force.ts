/**
 * Naive oracles for the quorum tests: enumerate subsets as plain arrays and pairs of quorums
 * directly, sharing no code with src/analysis.ts (which uses Gray codes and dynamic programming).
 */
import type { NodeId } from "@synod/core";
import { phaseSystems, type QuorumSystem, type VoteResult } from "../../src/index.js";

/** Every subset of `ids`, as arrays. */
export function subsetsOf(ids: readonly NodeId[]): NodeId[][] {
  const result: NodeId[][] = [[]];
  for (const id of ids) {
    const withId = result.map((subset) => [...subset, id]);
    result.push(...withId);
  }
  return result;
}

/** Every subset of the system's voters that is a quorum. */
export function quorumsOf(system: QuorumSystem): NodeId[][] {
  return subsetsOf(system.voters).filter((subset) => system.isQuorum(new Set(subset)));
}

/** Fewest members shared by a quorum of `a` and one of `b`; Infinity when either has none. */
export function bruteMinIntersection(a: QuorumSystem, b: QuorumSystem = a): number {
  const quorumsB = quorumsOf(b).map((q) => new Set(q));
  let least = Infinity;
  for (const qa of quorumsOf(a)) {
    for (const qb of quorumsB) least = Math.min(least, qa.filter((id) => qb.has(id)).length);
  }
  return least;
}

/** Largest f such that any f crashed voters leave a phase-1 and a phase-2 quorum. */
export function bruteCrashTolerance(system: QuorumSystem): number {
  const [phase1, phase2] = phaseSystems(system);
  const voters = system.voters;
  let f = -1;
  for (let size = 0; size <= voters.length; size++) {
    const survives = subsetsOf(voters)
      .filter((failed) => failed.length === size)
      .every((failed) => {
        const alive = new Set(voters.filter((id) => !failed.includes(id)));
        return phase1.isQuorum(alive) && phase2.isQuorum(alive);
      });
    if (!survives) break;
    f = size;
  }
  return f;
}

/** Largest v (0 or an acked value) such that the voters with acked >= v form a quorum. */
export function bruteCommittedIndex(system: QuorumSystem, acked: ReadonlyMap<NodeId, number>): number {
  const values = [0, ...system.voters.map((id) => acked.get(id) ?? 0)];
  let best = 0;
  for (const v of values) {
    const ackers = new Set(system.voters.filter((id) => (acked.get(id) ?? 0) >= v));
    if (system.isQuorum(ackers)) best = Math.max(best, v);
  }
  return best;
}

/** Vote outcome from the phase-1 quorums, by definition. */
export function bruteVoteResult(system: QuorumSystem, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const [phase1] = phaseSystems(system);
  const granted = new Set(system.voters.filter((id) => votes.get(id) === true));
  if (phase1.isQuorum(granted)) return "won";
  const notRejected = new Set(system.voters.filter((id) => votes.get(id) !== false));
  return phase1.isQuorum(notRejected) ? "pending" : "lost";
}

/** Whether `isQuorum` is monotone: adding a voter to a quorum keeps it a quorum. */
export function isMonotone(system: QuorumSystem): boolean {
  return quorumsOf(system).every((quorum) =>
    system.voters.every((id) => system.isQuorum(new Set([...quorum, id]))),
  );
}
