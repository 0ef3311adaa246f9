import type { FaultEvent } from "@synod/simulator";

/** A fault injected into a KV run: a name and its schedule for a cluster whose coordinator is `coordinator`. */
export interface KvFault {
  readonly name: string;
  schedule(atMs: number, durMs: number, coordinator: number, nodes: number): FaultEvent[];
}

const network = (atMs: number, durMs: number, loss: number): FaultEvent => ({
  kind: "network",
  atMs,
  durMs,
  loss,
  duplicate: 0,
  reorder: 0,
  spike: 0,
  spikeMs: 0,
});

/** The faults compared: coordinator crash (no restart), a partition isolating the coordinator that heals, a slow coordinator, 1/5/10 % loss. */
export const KV_FAULTS: readonly KvFault[] = [
  {
    name: "coordinator crash",
    schedule: (atMs, durMs, coordinator) => [{ kind: "crash", atMs, node: coordinator, downMs: durMs, mode: "clean", torn: false, corrupt: false }],
  },
  {
    name: "partition (coordinator cut off), heals",
    schedule: (atMs, durMs, coordinator) => [{ kind: "partition", atMs, durMs, shape: "split", group: [coordinator], bridge: 0 }],
  },
  { name: "slow coordinator (+50 ms)", schedule: (atMs, durMs, coordinator) => [{ kind: "slow", atMs, durMs, node: coordinator, extraMs: 50 }] },
  { name: "loss 1%", schedule: (atMs, durMs) => [network(atMs, durMs, 0.01)] },
  { name: "loss 5%", schedule: (atMs, durMs) => [network(atMs, durMs, 0.05)] },
  { name: "loss 10%", schedule: (atMs, durMs) => [network(atMs, durMs, 0.1)] },
];

/** How a run behaved around a fault in [atMs, atMs + durMs). */
export interface FaultFigures {
  /** Longest interval without an ok completion that overlaps the fault, simulated ms. */
  readonly noProgressMs: number;
  /** From the fault's start to the end of that interval (the first completion after it), simulated ms. */
  readonly recoveryMs: number;
  readonly opsPerSecBefore: number;
  readonly opsPerSecDuring: number;
  readonly opsPerSecAfter: number;
}

/** @returns the figures of a run whose ok completion times (ascending) are `okTimes` */
export function faultFigures(okTimes: readonly number[], atMs: number, durMs: number, endMs: number): FaultFigures {
  const healMs = Math.min(endMs, atMs + durMs);
  let longest = 0;
  let recovery = 0;
  let previous = 0;
  for (const t of [...okTimes, endMs]) {
    if (t > atMs && t - Math.max(previous, 0) > longest && previous <= healMs) {
      longest = t - previous;
      recovery = t - atMs;
    }
    previous = t;
  }
  const rate = (from: number, to: number): number => (to <= from ? Number.NaN : (okTimes.filter((t) => t >= from && t < to).length * 1000) / (to - from));
  return {
    noProgressMs: Math.round(longest),
    recoveryMs: Math.round(Math.max(0, recovery)),
    opsPerSecBefore: rate(0, atMs),
    opsPerSecDuring: rate(atMs, healMs),
    opsPerSecAfter: rate(healMs, endMs),
  };
}
