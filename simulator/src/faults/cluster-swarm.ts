import type { Rng } from "@synod/core";

/**
 * Cluster sizes a swarm over configurations draws from: 1 to 9, even sizes included (a majority
 * computed as ⌈n/2⌉ is wrong only for even n), the mid sizes twice as likely as the extremes.
 */
export const SWARM_CLUSTER_SIZES: readonly number[] = Object.freeze([1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9]);

/**
 * Swarm over the cluster size: draw one per seed.
 * @param rng - a generator forked from the run's seed
 * @param minNodes - the protocol's smallest cluster (sizes below it are raised to it)
 * @returns the number of nodes for this seed
 */
export function drawClusterSize(rng: Rng, minNodes = 1): number {
  return Math.max(minNodes, rng.pick(SWARM_CLUSTER_SIZES));
}
