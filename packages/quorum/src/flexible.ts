import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { checkMembers, checkObject, checkSize } from "./members.js";
import type { QuorumSystem, VoteResult } from "./quorum-system.js";
import { CountingQuorum, type ThresholdQuorumSystem } from "./threshold.js";

/** Options of {@link flexible}. */
export interface FlexibleOptions {
  /** Size of a phase-1 (leader election / prepare) quorum. */
  readonly phase1Size: number;
  /** Size of a phase-2 (replication / accept) quorum. */
  readonly phase2Size: number;
  /**
   * Also require phase-1 quorums to intersect each other (2·phase1Size > n). Needed by Raft, whose
   * terms are not unique per candidate: two candidates of one term with disjoint phase-1 quorums could
   * both win. Paxos-style ballots that are unique per proposer do not need it. Default false.
   */
  readonly requirePhase1Intersection?: boolean;
}

/**
 * Flexible Paxos (Howard, Malkhi, Spiegelman 2016): phase-1 and phase-2 quorums need only intersect
 * each other, |Q1| + |Q2| > n. Small phase-2 quorums make replication cheap; large phase-1 quorums pay
 * for it at leader changes.
 *
 * As a {@link QuorumSystem}: `voteResult` counts phase-1 (elections), `committedIndex` and `isQuorum`
 * use phase-2 (replication, and a leader's "still heard by a quorum" checks: any phase-2 quorum meets
 * every phase-1 quorum that could elect a rival).
 */
export interface FlexibleQuorumSystem extends QuorumSystem {
  readonly kind: "flexible";
  /** Phase-1 (election) quorums. */
  readonly phase1: ThresholdQuorumSystem;
  /** Phase-2 (replication) quorums. */
  readonly phase2: ThresholdQuorumSystem;
}

class FlexibleQuorum implements FlexibleQuorumSystem {
  readonly kind = "flexible";
  readonly voters: readonly NodeId[];
  readonly phase1: ThresholdQuorumSystem;
  readonly phase2: ThresholdQuorumSystem;

  constructor(voters: readonly NodeId[], phase1: ThresholdQuorumSystem, phase2: ThresholdQuorumSystem) {
    this.voters = voters;
    this.phase1 = phase1;
    this.phase2 = phase2;
  }

  isQuorum(members: ReadonlySet<NodeId>): boolean {
    return this.phase2.isQuorum(members);
  }

  committedIndex(acked: (id: NodeId) => number | undefined): number {
    return this.phase2.committedIndex(acked);
  }

  voteResult(votes: (id: NodeId) => boolean | undefined): VoteResult {
    return this.phase1.voteResult(votes);
  }
}

/**
 * Builds a Flexible Paxos quorum system over `voters`.
 * @param voters - non-empty, no duplicates
 * @param options - phase sizes, each an integer in [1, n], with phase1Size + phase2Size > n
 * @returns the system, exposing `phase1` and `phase2`
 * @throws {QuorumConfigError} on bad voters or sizes; `no-intersection` when phase1Size + phase2Size <= n
 *   (a phase-1 quorum could miss every acceptor of a chosen value), or when `requirePhase1Intersection`
 *   is set and 2·phase1Size <= n
 * @example
 * const q = flexible(["a", "b", "c", "d", "e"], { phase1Size: 4, phase2Size: 2 });
 * q.phase2.isQuorum(new Set(["a", "b"])); // true: two acks commit
 */
export function flexible(voters: readonly NodeId[], options: FlexibleOptions): FlexibleQuorumSystem {
  const members = checkMembers("voters", voters);
  const n = members.length;
  const phase1Size = checkSize("phase1Size", checkObject("options", options).phase1Size, 1, n, "phase1Size");
  const phase2Size = checkSize("phase2Size", options.phase2Size, 1, n, "phase2Size");
  if (phase1Size + phase2Size <= n) {
    throw new QuorumConfigError(
      "phase2Size",
      "no-intersection",
      `phase1Size + phase2Size = ${phase1Size + phase2Size} must exceed the ${n} voters, or a phase-1 quorum can miss a phase-2 quorum`,
      { phase1Size, phase2Size, voterCount: n },
    );
  }
  if (options.requirePhase1Intersection === true && 2 * phase1Size <= n) {
    throw new QuorumConfigError(
      "phase1Size",
      "no-intersection",
      `two phase-1 quorums of ${phase1Size} out of ${n} can be disjoint (two leaders in one term); need phase1Size > ${n / 2}`,
      { phase1Size, voterCount: n },
    );
  }
  return new FlexibleQuorum(
    members,
    new CountingQuorum("flexible-phase1", members, phase1Size),
    new CountingQuorum("flexible-phase2", members, phase2Size),
  );
}

/**
 * @param system - any quorum system
 * @returns whether it is a {@link FlexibleQuorumSystem}
 */
export function isFlexible(system: QuorumSystem): system is FlexibleQuorumSystem {
  return system.kind === "flexible" && "phase1" in system && "phase2" in system;
}
