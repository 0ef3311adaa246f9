/**
 * Adaptive tuning (issue 19): the indirect-probe fanout, the retransmit limit and the probe interval
 * chosen from what a member observes of its own probes (how many needed indirect help: the loss
 * rate) and of the cluster (how many members it holds neither dead nor left). A pure function of the
 * observations and the previous estimate; the node applies the result and outputs each change.
 *
 * - **Loss**: of the probes a member acked (directly or through relays), the share whose direct ack
 *   missed the probe timeout is the round-trip miss rate q = 1 − (1 − p)² for one-way loss p (a slow
 *   member counts as loss: its acks are late). Probes nobody acked are left out (their targets may be
 *   down). Smoothed over windows: the first measured window sets the estimate, then
 *   `estimate ← (estimate + window) / 2`; a window with no acked probe keeps it.
 * - **Fanout** (`indirectChecks`, SWIM's k): the smallest k in [configured k, max] with q · (1 − (1 − p)⁴)^k ≤
 *   `ADAPTIVE_TARGET_FALSE_SUSPICION` (a live member is suspected when its direct round trip and all k
 *   relayed ones — ping-req, ping, ack, ack: four messages — are lost). Never below the configured
 *   k: at 1% loss k = 1 would already meet the target, but a loss that rises within a window would
 *   find the member with one relay.
 * - **Retransmit limit**: λ′ · ⌈log10(m + 1)⌉ with m the members held neither dead nor left (this one
 *   included) and λ′ = λ / (1 − p) rounded (a piggybacked update rides on a message lost with p: λ′
 *   transmissions deliver λ on average), at most 2λ; rounded, not ceiled, so that the estimate, which
 *   decays by halves once the loss is gone, brings λ′ back to λ.
 * - **Probe interval**: stretched so that the expected messages per probe period, 2 + 4·k·q, cost no
 *   more per tick than the configured k would at the same loss (the fanout is paid for in detection
 *   time, not in messages), at most 2× the configured interval; never shortened.
 */

/** The per-probe false-suspicion probability the fanout is chosen for. */
export const ADAPTIVE_TARGET_FALSE_SUSPICION = 1e-3;

/** The largest indirect-probe fanout the controller chooses (or the configured one, if larger). */
export const ADAPTIVE_MAX_INDIRECT_CHECKS = 8;

/** The configured parameters the controller starts from and is bounded by. */
export interface AdaptiveBase {
  readonly indirectChecks: number;
  readonly retransmitMult: number;
  readonly probeIntervalTicks: number;
}

/** What a member saw over one window of probes, and the members it holds neither dead nor left (itself included). */
export interface TuningObservation {
  /** Probes finished in the window (probes of members held dead not counted). */
  readonly probes: number;
  /** Acked before the probe timeout. */
  readonly direct: number;
  /** Acked only after the probe timeout (through a relay, or late). */
  readonly indirect: number;
  /** Not acked by the end of the probe period. */
  readonly failed: number;
  readonly members: number;
}

/** The tuned parameters. */
export interface TunedParameters {
  readonly indirectChecks: number;
  /** Transmissions of a piggybacked update (the queue's limit). */
  readonly retransmitLimit: number;
  readonly probeIntervalTicks: number;
}

/** The controller's result: the parameters, the smoothed loss estimate, and this window's measurement. */
export interface TuningResult {
  readonly parameters: TunedParameters;
  /** Estimated one-way loss (smoothed). */
  readonly loss: number;
  /** This window's one-way loss (undefined: no probe was acked). */
  readonly windowLoss: number | undefined;
}

/** @returns the retransmit limit λ · ⌈log10(n + 1)⌉, at least λ */
export function retransmitLimit(mult: number, members: number): number {
  return mult * Math.max(1, Math.ceil(Math.log10(members + 1)));
}

/** @returns the one-way loss p whose round-trip miss rate 1 − (1 − p)² is `q` */
export function oneWayLoss(q: number): number {
  return 1 - Math.sqrt(1 - Math.min(1, Math.max(0, q)));
}

/** @returns the probability that a probe of a live member fails with k relays at one-way loss p */
export function falseSuspicionProbability(p: number, k: number): number {
  const q = 1 - (1 - p) ** 2;
  return q * (1 - (1 - p) ** 4) ** k;
}

/** @returns messages expected per probe period with fanout k at one-way loss p (ping and ack, and four per relay when the direct probe misses) */
function messagesPerPeriod(p: number, k: number): number {
  return 2 + 4 * k * (1 - (1 - p) ** 2);
}

/**
 * The controller: a pure function of the configuration, the previous loss estimate and one window's
 * observations.
 * @param base - the configured parameters (the bounds are derived from them)
 * @param previousLoss - the estimate after the previous window (undefined before the first measured window)
 * @param observed - the window's probes and the members held neither dead nor left
 */
export function tune(base: AdaptiveBase, previousLoss: number | undefined, observed: TuningObservation): TuningResult {
  const acked = observed.direct + observed.indirect;
  const windowLoss = acked === 0 ? undefined : oneWayLoss(observed.indirect / acked);
  const loss = windowLoss === undefined ? (previousLoss ?? 0) : previousLoss === undefined ? windowLoss : (previousLoss + windowLoss) / 2;
  const maxK = Math.max(base.indirectChecks, ADAPTIVE_MAX_INDIRECT_CHECKS);
  let k = base.indirectChecks;
  while (k < maxK && falseSuspicionProbability(loss, k) > ADAPTIVE_TARGET_FALSE_SUSPICION) k++;
  const mult = Math.min(2 * base.retransmitMult, Math.round(base.retransmitMult / (1 - Math.min(loss, 0.5))));
  const stretch = messagesPerPeriod(loss, k) / messagesPerPeriod(loss, base.indirectChecks);
  const interval = Math.min(2 * base.probeIntervalTicks, Math.max(base.probeIntervalTicks, Math.round(base.probeIntervalTicks * stretch)));
  return {
    parameters: { indirectChecks: k, retransmitLimit: retransmitLimit(mult, Math.max(1, observed.members)), probeIntervalTicks: interval },
    loss,
    windowLoss,
  };
}
