import { DEFAULT_HLC_MAX_AHEAD_TICKS } from "./limits.js";

/**
 * A hybrid logical clock timestamp `[wallTicks, counter]`: the largest tick count seen (own or
 * received) and a logical counter that orders events within the same tick. Compared
 * lexicographically; ties between replicas are broken by the replica id (see LWW-Register).
 */
export type HlcTimestamp = readonly [wallTicks: number, counter: number];

/** @returns negative, zero or positive as `a` is before, equal to or after `b` */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

/**
 * A hybrid logical clock (Kulkarni et al. 2014) whose "physical" part is the node's tick count:
 * it never reads a wall clock. Timestamps are monotonic per replica, and a timestamp observed from a
 * peer pushes the clock forward, so causally later writes always get larger timestamps.
 * @example
 * const clock = new HybridLogicalClock();
 * clock.tick(); const t1 = clock.now(); // [1, 0]
 * clock.observe([5, 2]); clock.now();   // [5, 3]
 */
export class HybridLogicalClock {
  private physicalTicks = 0;
  private last: HlcTimestamp = [0, 0];

  /**
   * @param maxAheadTicks - a received timestamp more than this many ticks ahead of our own
   *   physical time is refused by {@link observe} (a faulty or hostile peer cannot push every
   *   clock to the end of time)
   */
  constructor(readonly maxAheadTicks = DEFAULT_HLC_MAX_AHEAD_TICKS) {}

  /** Advance the physical part by one tick. */
  tick(): void {
    this.physicalTicks++;
  }

  /** @returns a fresh timestamp for a local event, larger than any issued or observed before */
  now(): HlcTimestamp {
    const [l, c] = this.last;
    const next: HlcTimestamp = this.physicalTicks > l ? [this.physicalTicks, 0] : [l, c + 1];
    this.last = next;
    return next;
  }

  /**
   * Merge a timestamp received from a peer.
   * @returns false (and ignores it) when it is more than `maxAheadTicks` ahead of our ticks
   */
  observe(remote: HlcTimestamp): boolean {
    if (remote[0] > this.physicalTicks + this.maxAheadTicks) return false;
    if (compareHlc(remote, this.last) > 0) this.last = remote;
    return true;
  }

  /**
   * Resume after a restart from a timestamp in this replica's own durable state (never refused: the
   * replica accepted or issued it before). The tick count restarts at 0 in every incarnation, but
   * physical time does not go backwards (Kulkarni et al.): the physical part jumps to the
   * timestamp's ticks, so the drift bound of {@link observe} is measured from there, and the next
   * local timestamp is larger than every recovered one.
   */
  resume(recovered: HlcTimestamp): void {
    if (recovered[0] > this.physicalTicks) this.physicalTicks = recovered[0];
    if (compareHlc(recovered, this.last) > 0) this.last = recovered;
  }

  /** @returns the last timestamp issued or observed */
  peek(): HlcTimestamp {
    return this.last;
  }
}
