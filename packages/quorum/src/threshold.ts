import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { checkMembers, checkSize } from "./members.js";
import type { QuorumSystem, VoteResult } from "./quorum-system.js";

/** A "k of n" system: any `quorumSize` voters form a quorum. Majority, Byzantine and flexible phases are of this shape. */
export interface ThresholdQuorumSystem extends QuorumSystem {
  /** Number of voters that form a quorum. */
  readonly quorumSize: number;
}

/**
 * The k-of-n counting system. Not exported from the package: the public factories validate the
 * intersection condition that fits their family before building one.
 * @internal
 */
export class CountingQuorum implements ThresholdQuorumSystem {
  readonly kind: string;
  readonly voters: readonly NodeId[];
  readonly quorumSize: number;
  /** Acked indexes of the voters, sorted descending during `committedIndex`. */
  private readonly scratch: Float64Array;
  /** A plain (not frozen) copy of `voters` for the hot loops. */
  private readonly ids: NodeId[];

  constructor(kind: string, voters: readonly NodeId[], quorumSize: number) {
    this.kind = kind;
    this.voters = voters;
    this.quorumSize = quorumSize;
    this.scratch = new Float64Array(voters.length);
    this.ids = [...voters];
  }

  isQuorum(members: ReadonlySet<NodeId>): boolean {
    const voters = this.voters;
    const needed = this.quorumSize;
    let count = 0;
    for (let i = 0; i < voters.length; i++) {
      if (members.has(voters[i]!) && ++count >= needed) return true;
    }
    return false;
  }

  committedIndex(acked: (id: NodeId) => number | undefined): number {
    // The "median of matched indexes": insertion-sort the acked indexes descending into the
    // preallocated scratch array; the quorumSize-th largest is acknowledged by exactly a quorum.
    const ids = this.ids;
    const sorted = this.scratch;
    for (let i = 0; i < ids.length; i++) {
      const ack = acked(ids[i]!);
      const value = ack === undefined ? 0 : ack;
      let j = i - 1;
      while (j >= 0 && sorted[j]! < value) {
        sorted[j + 1] = sorted[j]!;
        j--;
      }
      sorted[j + 1] = value;
    }
    return sorted[this.quorumSize - 1]!;
  }

  voteResult(votes: (id: NodeId) => boolean | undefined): VoteResult {
    const voters = this.voters;
    let granted = 0;
    let rejected = 0;
    for (let i = 0; i < voters.length; i++) {
      const vote = votes(voters[i]!);
      if (vote === true) granted++;
      else if (vote === false) rejected++;
    }
    if (granted >= this.quorumSize) return "won";
    if (voters.length - rejected < this.quorumSize) return "lost";
    return "pending";
  }
}

/**
 * A k-of-n quorum system whose quorums pairwise intersect (2k > n).
 * @param voters - non-empty, no duplicates
 * @param quorumSize - k, with n/2 < k <= n
 * @returns the system (kind "threshold")
 * @throws {QuorumConfigError} on bad voters, a size that is not an integer in range (`invalid-size`,
 *   `unreachable`), or 2k <= n (`no-intersection`: two quorums could be disjoint)
 * @example threshold(["a", "b", "c", "d"], 3).isQuorum(new Set(["a", "b", "c"])) // true
 */
export function threshold(voters: readonly NodeId[], quorumSize: number): ThresholdQuorumSystem {
  const members = checkMembers("voters", voters);
  checkSize("quorumSize", quorumSize, 1, members.length, "quorumSize");
  if (2 * quorumSize <= members.length) {
    throw new QuorumConfigError(
      "quorumSize",
      "no-intersection",
      `two quorums of ${quorumSize} out of ${members.length} voters can be disjoint; need quorumSize > ${members.length / 2}`,
      { quorumSize, voterCount: members.length },
    );
  }
  return new CountingQuorum("threshold", members, quorumSize);
}
