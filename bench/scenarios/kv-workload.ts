import type { KvOp } from "@synod/raft";
import type { Rng } from "@synod/core";

/** The replicated-KV work every protocol gets in a comparison: one definition, one generator. */
export interface KvWorkload {
  /** Open-loop arrivals per simulated second (exponential inter-arrival times). */
  readonly ratePerSec: number;
  /** Bytes of every written value. */
  readonly valueBytes: number;
  /** Share of operations that are reads (`get`); the rest are `put`s. */
  readonly readShare: number;
  /** Distinct keys (uniform). */
  readonly keys: number;
}

/** The default comparison workload: 200 ops/s, 64-byte values, 50 % reads, 64 keys. */
export const DEFAULT_KV_WORKLOAD: KvWorkload = Object.freeze({ ratePerSec: 200, valueBytes: 64, readShare: 0.5, keys: 64 });

/**
 * @returns the next operation of `workload`: a get with probability `readShare`, else a put of a
 *   `valueBytes`-long value (its first characters vary so that writes are distinguishable)
 */
export function nextKvOp(workload: KvWorkload, rng: Rng): KvOp {
  const key = `k${rng.int(0, workload.keys)}`;
  if (rng.float() < workload.readShare) return { type: "get", key };
  const stamp = `${rng.int(0, 1_000_000)}:`;
  return { type: "put", key, value: stamp.padEnd(workload.valueBytes, "x").slice(0, Math.max(workload.valueBytes, stamp.length)) };
}
