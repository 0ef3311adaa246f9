import type { NodeId } from "@synod/core";

/** Outcome of an election or any vote counted by a quorum system. */
export type VoteResult = "won" | "lost" | "pending";

/**
 * A quorum system: which sets of voters are enough to decide. Every built-in system is monotone
 * (a superset of a quorum is a quorum) and ignores ids that are not voters (learners count for nothing).
 *
 * Implementations keep per-call work allocation-free: `committedIndex` and `voteResult` are on the
 * replication hot path. They use per-instance scratch space, so one instance must not be called
 * re-entrantly (from inside its own `acked`/`votes` callback).
 */
export interface QuorumSystem {
  /** "majority" | "threshold" | "weighted" | "flexible" | "grid" | "byzantine" | "joint". */
  readonly kind: string;
  /** Members that count, in a stable order, without duplicates. */
  readonly voters: readonly NodeId[];
  /**
   * @param members - any set of ids; non-voters are ignored
   * @returns whether `members` contains a quorum
   */
  isQuorum(members: ReadonlySet<NodeId>): boolean;
  /**
   * Largest index acknowledged by a quorum: the largest `v` such that the voters with
   * `acked(id) >= v` form a quorum.
   * @param acked - index acknowledged by `id`; undefined counts as 0
   * @returns the committed index (0 when nothing is acknowledged by a quorum)
   */
  committedIndex(acked: (id: NodeId) => number | undefined): number;
  /**
   * @param votes - true: granted, false: rejected, undefined: not heard yet
   * @returns "won" once the granted voters form a quorum, "lost" once the voters that have not
   *   rejected can no longer form one, "pending" otherwise
   */
  voteResult(votes: (id: NodeId) => boolean | undefined): VoteResult;
}
