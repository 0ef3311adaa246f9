/** What the `runtime` suite measures of one case (one cluster, one mode) over its window. */
export interface Measured {
  readonly writesPerSec: number;
  readonly latencyMsP50: number;
  readonly latencyMsP99: number;
  readonly fsyncsPerSec: number;
  readonly recordsPerFsync: number;
  /** CPU time of every node (and the client) per wall-clock time, in percent of one core (all processes summed). */
  readonly cpuPercent: number;
  /** Group commits (fsyncs) at the leader per committed batch of `batch` entries. */
  readonly leaderFsyncsPerBatch: number;
  /** Group commits at a follower (the followers' mean) per committed batch. */
  readonly followerFsyncsPerBatch: number;
  /** Mean time of one group commit (write + fdatasync) at a node. */
  readonly fsyncMsMean: number;
  /** How late a 1 ms timer ran (p99; the worst node's with a process per node): long tasks on a JS thread, or a process waiting for a CPU. */
  readonly eventLoopDelayMsP99: number;
}

/** @returns the `p` quantile (0–1) of `sorted` (ascending), 0 when empty */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
