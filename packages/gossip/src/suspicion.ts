/**
 * Lifeguard's dynamic suspicion timeout (Dadgar et al. 2018, §IV-B; memberlist's suspicion.go): a
 * suspicion starts at the maximum timeout and shrinks towards the minimum as independent members
 * confirm it, logarithmically in the number of confirmations:
 * `timeout(c) = max(min, max − (max − min) · log(c + 1) / log(k + 1))`.
 * With `k = 0` (Lifeguard off) the timeout is `min` from the start, as in plain SWIM.
 */
export class Suspicion {
  /** The suspected incarnation. */
  readonly incarnation: number;
  /** Tick at which the suspicion started here. */
  readonly startTick: number;
  /** What the member is declared when the suspicion expires: dead, or left when a leave was relayed. */
  final: "dead" | "left" = "dead";
  /**
   * Heard by gossip: buddy pings left before the suspicion may expire (see `GossipNode`'s buddy
   * check). Each one extends the timeout by a probe timeout; 0 when started by a probe of our own.
   */
  checksLeft = 0;
  /** Ticks added to the timeout while the last checks are answered. */
  private extension = 0;
  /** The accuser first, then the confirmers (at most k + 1 ids: an array is smaller than a set). */
  private readonly confirmers: string[] = [];
  private timeout: number;

  /**
   * @param from - the member whose suspicion started this one (it does not count as a confirmation)
   * @param k - confirmations expected (the minimum is reached after k independent ones)
   */
  constructor(
    incarnation: number,
    startTick: number,
    from: string,
    private readonly k: number,
    private readonly minTicks: number,
    private readonly maxTicks: number,
  ) {
    this.incarnation = incarnation;
    this.startTick = startTick;
    this.confirmers.push(from);
    this.timeout = k < 1 ? minTicks : maxTicks;
  }

  /** Ticks after `startTick` at which the member is declared dead. */
  get timeoutTicks(): number {
    return this.timeout + this.extension;
  }

  /** The accused was just pinged: one check fewer left; wait `ticks` more for its answer before expiring. */
  extend(ticks: number): void {
    this.checksLeft = Math.max(0, this.checksLeft - 1);
    this.extension += ticks;
  }

  /** Number of independent confirmations so far. */
  get confirmations(): number {
    return this.confirmers.length - 1;
  }

  /**
   * Count `from`'s suspicion of the same incarnation as a confirmation (once per member).
   * @returns whether it was new and shortened the timeout
   */
  confirm(from: string): boolean {
    if (this.k < 1 || this.confirmers.includes(from) || this.confirmations >= this.k) return false;
    this.confirmers.push(from);
    const c = this.confirmations;
    const frac = Math.log(c + 1) / Math.log(this.k + 1);
    this.timeout = Math.max(this.minTicks, Math.floor(this.maxTicks - (this.maxTicks - this.minTicks) * frac));
    return true;
  }

  /**
   * A death of the same incarnation was declared elsewhere: expire at the minimum timeout (counted
   * from the start here), so that the accused still has the suspicion window to refute.
   */
  hasten(): void {
    this.timeout = this.minTicks;
  }

  /** @returns whether the suspicion has timed out at tick `now` */
  expired(now: number): boolean {
    return now - this.startTick >= this.timeoutTicks;
  }
}

/**
 * memberlist's minimum suspicion timeout: `suspicionMult × max(1, log10(n)) × probeInterval`.
 * @returns ticks
 */
export function minSuspicionTicks(suspicionMult: number, members: number, probeIntervalTicks: number): number {
  return Math.ceil(suspicionMult * Math.max(1, Math.log10(Math.max(1, members))) * probeIntervalTicks);
}
