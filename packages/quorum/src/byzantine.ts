import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { checkMembers, checkObject, checkSize } from "./members.js";
import { CountingQuorum, type ThresholdQuorumSystem } from "./threshold.js";

/** Options of {@link byzantine}. */
export interface ByzantineOptions {
  /** Byzantine voters tolerated; default floor((n − 1) / 3), the most n voters can tolerate. */
  readonly f?: number;
}

/**
 * Byzantine dissemination quorums (Malkhi & Reiter 1998), as PBFT uses them: with n >= 3f+1 voters a
 * quorum is ceil((n + f + 1) / 2) voters — 2f+1 when n = 3f+1 — so any two quorums share at least f+1
 * voters, at least one of them honest; and f+1 voters ("a weak quorum") always include an honest one.
 */
export interface ByzantineQuorumSystem extends ThresholdQuorumSystem {
  readonly kind: "byzantine";
  /** Byzantine voters tolerated. */
  readonly f: number;
  /** f + 1: the smallest set of voters guaranteed to contain an honest one. */
  readonly weakQuorumSize: number;
  /**
   * @param members - any set of ids; non-voters are ignored
   * @returns whether `members` holds at least f+1 voters, so at least one honest voter vouches for it
   */
  isWeakQuorum(members: ReadonlySet<NodeId>): boolean;
}

class ByzantineQuorum extends CountingQuorum implements ByzantineQuorumSystem {
  declare readonly kind: "byzantine";
  readonly f: number;
  readonly weakQuorumSize: number;

  constructor(voters: readonly NodeId[], f: number) {
    super("byzantine", voters, byzantineQuorumSize(voters.length, f));
    this.f = f;
    this.weakQuorumSize = f + 1;
  }

  isWeakQuorum(members: ReadonlySet<NodeId>): boolean {
    let count = 0;
    for (let i = 0; i < this.voters.length; i++) {
      if (members.has(this.voters[i]!) && ++count >= this.weakQuorumSize) return true;
    }
    return false;
  }
}

/**
 * Quorum size of a Byzantine dissemination system.
 * @param voterCount - n
 * @param f - Byzantine voters tolerated
 * @returns ceil((n + f + 1) / 2), which is 2f+1 when n = 3f+1
 * @throws {QuorumConfigError} `invalid-size` when n is not a positive integer or f a non-negative one
 */
export function byzantineQuorumSize(voterCount: number, f: number): number {
  checkSize("voterCount", voterCount, 1, Number.MAX_SAFE_INTEGER, "voterCount");
  checkSize("f", f, 0, Number.MAX_SAFE_INTEGER, "f");
  return Math.ceil((voterCount + f + 1) / 2);
}

/**
 * Builds a Byzantine quorum system tolerating `f` arbitrary faults.
 * @param voters - n >= 3f+1 ids, no duplicates
 * @param options - f (default: the largest n allows)
 * @returns the system (kind "byzantine")
 * @throws {QuorumConfigError} on bad voters; `invalid-size` for a negative or non-integer f;
 *   `no-intersection` when n < 3f+1 (two quorums could overlap only in faulty voters)
 * @example
 * const q = byzantine(["a", "b", "c", "d"]); // f = 1, quorum 3, weak quorum 2
 * q.isQuorum(new Set(["a", "b", "c"])); // true
 */
export function byzantine(voters: readonly NodeId[], options: ByzantineOptions = {}): ByzantineQuorumSystem {
  const members = checkMembers("voters", voters);
  const n = members.length;
  const f = checkObject("options", options).f ?? Math.floor((n - 1) / 3);
  checkSize("f", f, 0, Number.MAX_SAFE_INTEGER, "f");
  if (n < 3 * f + 1) {
    throw new QuorumConfigError(
      "f",
      "no-intersection",
      `tolerating f=${f} Byzantine voters needs n >= 3f+1 = ${3 * f + 1} voters, got ${n}: two quorums could overlap only in faulty voters`,
      { f, voterCount: n },
    );
  }
  return new ByzantineQuorum(members, f);
}
