import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { checkMembers, checkSize } from "./members.js";
import type { QuorumSystem, VoteResult } from "./quorum-system.js";

import { MAX_VOTER_WEIGHT } from "./limits.js";

export { MAX_VOTER_WEIGHT };

/** Voting weights: a map, or `[id, weight]` pairs (pairs keep the order and let duplicates be reported). */
export type VoterWeights = ReadonlyMap<NodeId, number> | readonly (readonly [NodeId, number])[];

/** Options of {@link weighted}. */
export interface WeightedOptions {
  /**
   * Total weight that forms a quorum. Default: floor(total/2) + 1 (a weighted majority).
   * Must satisfy total/2 < threshold <= total (Gifford's condition), so that any two quorums share a
   * voter whatever the weights. The check is deliberately that condition, not an exact subset-sum
   * search: a threshold whose quorums intersect only because one voter outweighs the rest is refused too.
   */
  readonly threshold?: number;
}

/** Weighted voting (Gifford 1979): a set is a quorum when its voters' weights sum to at least `threshold`. */
export interface WeightedQuorumSystem extends QuorumSystem {
  /** Weight that forms a quorum. */
  readonly threshold: number;
  /** Sum of all voters' weights. */
  readonly totalWeight: number;
  /** @returns the weight of `id`, 0 for a non-voter */
  weightOf(id: NodeId): number;
}

class WeightedQuorum implements WeightedQuorumSystem {
  readonly kind = "weighted";
  readonly voters: readonly NodeId[];
  readonly threshold: number;
  readonly totalWeight: number;
  private readonly weights: Float64Array;
  private readonly weightById: ReadonlyMap<NodeId, number>;
  private readonly sortedIndexes: Float64Array;
  private readonly sortedWeights: Float64Array;
  /** A plain (not frozen) copy of `voters` for the hot loops. */
  private readonly ids: NodeId[];

  constructor(voters: readonly NodeId[], weights: Float64Array, thresholdWeight: number, totalWeight: number) {
    this.voters = voters;
    this.weights = weights;
    this.threshold = thresholdWeight;
    this.totalWeight = totalWeight;
    this.weightById = new Map(voters.map((id, i) => [id, weights[i]!]));
    this.sortedIndexes = new Float64Array(voters.length);
    this.sortedWeights = new Float64Array(voters.length);
    this.ids = [...voters];
  }

  weightOf(id: NodeId): number {
    return this.weightById.get(id) ?? 0;
  }

  isQuorum(members: ReadonlySet<NodeId>): boolean {
    let sum = 0;
    for (let i = 0; i < this.voters.length; i++) {
      if (members.has(this.voters[i]!) && (sum += this.weights[i]!) >= this.threshold) return true;
    }
    return false;
  }

  committedIndex(acked: (id: NodeId) => number | undefined): number {
    // Generalised median: sort (index, weight) by index descending, then accumulate weights until
    // the threshold is reached; that voter's index is acknowledged by a quorum.
    const ids = this.ids;
    const indexes = this.sortedIndexes;
    const weights = this.sortedWeights;
    for (let i = 0; i < ids.length; i++) {
      const ack = acked(ids[i]!);
      const value = ack === undefined ? 0 : ack;
      const weight = this.weights[i]!;
      let j = i - 1;
      while (j >= 0 && indexes[j]! < value) {
        indexes[j + 1] = indexes[j]!;
        weights[j + 1] = weights[j]!;
        j--;
      }
      indexes[j + 1] = value;
      weights[j + 1] = weight;
    }
    let sum = 0;
    for (let i = 0; i < ids.length; i++) {
      sum += weights[i]!;
      if (sum >= this.threshold) return indexes[i]!;
    }
    return 0; // unreachable: the constructor checks threshold <= totalWeight
  }

  voteResult(votes: (id: NodeId) => boolean | undefined): VoteResult {
    let granted = 0;
    let rejected = 0;
    for (let i = 0; i < this.voters.length; i++) {
      const vote = votes(this.voters[i]!);
      if (vote === true) granted += this.weights[i]!;
      else if (vote === false) rejected += this.weights[i]!;
    }
    if (granted >= this.threshold) return "won";
    if (this.totalWeight - rejected < this.threshold) return "lost";
    return "pending";
  }
}

/**
 * Builds a weighted voting system.
 * @param weights - each voter's positive integer weight (at most {@link MAX_VOTER_WEIGHT})
 * @param options - the threshold (default: weighted majority)
 * @returns the system (kind "weighted")
 * @throws {QuorumConfigError} `empty`, `duplicate`, `invalid-id`; `invalid-weight` for a weight that is
 *   not a positive integer (a zero-weight voter counts for nothing: make it a learner); `invalid-size`
 *   or `unreachable` for a threshold that is not an integer in [1, total]; `no-intersection` when
 *   2·threshold <= total (two quorums could be disjoint)
 * @example
 * const q = weighted([["a", 3], ["b", 1], ["c", 1]]); // total 5, threshold 3
 * q.isQuorum(new Set(["a"])); // true: a alone carries 3
 */
export function weighted(weights: VoterWeights, options: WeightedOptions = {}): WeightedQuorumSystem {
  const pairs: readonly (readonly [NodeId, number])[] = weights instanceof Map ? [...weights.entries()] : (weights as readonly (readonly [NodeId, number])[]);
  if (!Array.isArray(pairs)) throw new QuorumConfigError("weights", "empty", "expected a Map or an array of [id, weight] pairs");
  const voters = checkMembers(
    "weights",
    pairs.map((pair) => (Array.isArray(pair) ? pair[0] : "")),
  );
  const values = new Float64Array(voters.length);
  let total = 0;
  for (let i = 0; i < pairs.length; i++) {
    const weight = pairs[i]![1];
    if (typeof weight !== "number" || !Number.isInteger(weight) || weight <= 0 || weight > MAX_VOTER_WEIGHT) {
      throw new QuorumConfigError(
        `weights.${voters[i]!}`,
        "invalid-weight",
        `weight must be an integer in [1, ${MAX_VOTER_WEIGHT}], got ${String(weight)}` +
          (weight === 0 ? " (a zero-weight voter counts for nothing: make it a learner)" : ""),
        { id: voters[i], weight },
      );
    }
    values[i] = weight;
    total += weight;
  }
  const thresholdWeight = options.threshold ?? Math.floor(total / 2) + 1;
  checkSize("threshold", thresholdWeight, 1, total, "threshold");
  if (2 * thresholdWeight <= total) {
    throw new QuorumConfigError(
      "threshold",
      "no-intersection",
      `two quorums of weight ${thresholdWeight} out of a total ${total} can be disjoint; need threshold > ${total / 2}`,
      { threshold: thresholdWeight, totalWeight: total },
    );
  }
  return new WeightedQuorum(voters, values, thresholdWeight, total);
}
