/** Prepare-phase durations kept to calibrate the expectation (the most recent ones). */
const AGREEMENT_SAMPLES = 32;

/** When a backup first saw a request it waits to see ordered, in its own ticks. */
export interface Waiting {
  /** The tick it arrived (or its clock was restarted). */
  readonly since: number;
  /** {@link OrderingPace.blockedTicks} at that tick: ticks the primary could not order are not held against it. */
  readonly blockedBefore: number;
  /** Whether it was already sent to the primary once because it was overdue. */
  readonly forwarded: boolean;
}

/** What a backup concludes about its oldest waiting request on a tick. */
export type PaceVerdict = "on-time" | "forward" | "slow-primary";

/**
 * A backup's expectation of how fast the primary orders requests — Aardvark's defence against a
 * primary that stays just under the view-change timeout (Clement et al., NSDI 2009, §4.3), in ticks.
 *
 * The expectation is calibrated from what the replicas themselves achieve: the ticks a backup takes
 * from accepting a pre-prepare to holding its 2f prepares (one exchange among the replicas, which
 * the primary cannot slow down). Ordering a request costs about as much — the primary hears it
 * from the proxy and sends the pre-prepare on — so a primary that needs `factor` times more than
 * the median exchange (and at least `minTicks`) is slow. A request that overdue is first forwarded
 * to the primary (it may never have reached it; an honest primary answers with the pre-prepare at
 * once); overdue again, the primary is replaced. Ticks in which the primary could not order (its
 * window or in-flight bound full, as far as this backup can see) do not count.
 *
 * Each replacement doubles the expectation (at most `maxDoublings` times, never beyond `ceilingTicks`,
 * the view-change timeout) so that a cluster that is slow as a whole cannot be driven into endless
 * view changes; each stable checkpoint taken in an active view halves it again.
 */
export class OrderingPace {
  private nowTicks = 0;
  private blocked = 0;
  private readonly agreement: number[] = [];
  /** The median of {@link agreement}, computed when read after a new sample (undefined: not since). */
  private medianAgreement: number | undefined;
  private doublings = 0;

  constructor(
    private readonly minTicks: number,
    private readonly factor: number,
    private readonly ceilingTicks: number,
    private readonly maxDoublings: number,
  ) {}

  /** Ticks this backup has counted. */
  get now(): number {
    return this.nowTicks;
  }

  /** Ticks so far in which the primary could not order. */
  get blockedTicks(): number {
    return this.blocked;
  }

  /** Advance one tick; `blocked` when the primary could not order in it. */
  tick(blocked: boolean): void {
    this.nowTicks++;
    if (blocked) this.blocked++;
  }

  /** A clock started now for a request that waits to be ordered. */
  startWaiting(forwarded = false): Waiting {
    return { since: this.nowTicks, blockedBefore: this.blocked, forwarded };
  }

  /** Record one prepare phase: `ticks` from accepting a pre-prepare to being prepared. */
  agreementTook(ticks: number): void {
    this.agreement.push(ticks);
    if (this.agreement.length > AGREEMENT_SAMPLES) this.agreement.shift();
    this.medianAgreement = undefined;
  }

  /** @returns the ticks a request may wait for its pre-prepare before it is overdue */
  expectedTicks(): number {
    if (this.agreement.length === 0) return this.ceilingTicks; // nothing measured yet: only the view-change timer applies
    if (this.medianAgreement === undefined) this.medianAgreement = [...this.agreement].sort((x, y) => x - y)[this.agreement.length >> 1] as number;
    const median = this.medianAgreement;
    const base = Math.max(this.minTicks, this.factor * median);
    return Math.min(this.ceilingTicks, base * 2 ** this.doublings);
  }

  /** @returns how a request waiting since `waiting` stands now */
  verdict(waiting: Waiting): PaceVerdict {
    const waited = this.nowTicks - waiting.since - (this.blocked - waiting.blockedBefore);
    if (waited < this.expectedTicks()) return "on-time";
    return waiting.forwarded ? "slow-primary" : "forward";
  }

  /** The primary was replaced for being slow: the next one gets twice the time. */
  replaced(): void {
    this.doublings = Math.min(this.maxDoublings, this.doublings + 1);
  }

  /** A checkpoint became stable in an active view: the cluster makes progress, the slack shrinks again. */
  progressed(): void {
    if (this.doublings > 0) this.doublings--;
  }
}
