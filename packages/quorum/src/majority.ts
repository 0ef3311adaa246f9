import type { NodeId } from "@synod/core";
import { checkMembers, checkSize } from "./members.js";
import { CountingQuorum, type ThresholdQuorumSystem } from "./threshold.js";

/**
 * Smallest majority of `voterCount` voters: floor(n/2) + 1.
 * @param voterCount - n >= 1
 * @returns floor(n/2) + 1
 * @throws {QuorumConfigError} `invalid-size` when `voterCount` is not a positive integer
 */
export function majoritySize(voterCount: number): number {
  checkSize("voterCount", voterCount, 1, Number.MAX_SAFE_INTEGER, "voterCount");
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The crash-fault majority system: any floor(n/2)+1 voters form a quorum, so n = 2f+1 voters
 * tolerate f crashed voters. Raft's and Paxos's default.
 * @param voters - non-empty, no duplicates; learners must not be listed
 * @returns the system (kind "majority"); its `committedIndex` is the median of matched indexes
 * @throws {QuorumConfigError} `empty`, `too-many`, `invalid-id` or `duplicate`
 * @example
 * const q = majority(["n1", "n2", "n3"]);
 * q.committedIndex((id) => ({ n1: 7, n2: 5, n3: 2 })[id]); // 5
 */
export function majority(voters: readonly NodeId[]): ThresholdQuorumSystem {
  const members = checkMembers("voters", voters);
  return new CountingQuorum("majority", members, majoritySize(members.length));
}
