import { ConfigError } from "@synod/core";

/**
 * SWIM and Lifeguard tuning, in ticks. The defaults are hashicorp/memberlist's LAN defaults for a
 * tick of 100 ms (probe every second, probe timeout 500 ms, 3 indirect probes, suspicion multiplier
 * 4, suspicion max multiplier 6, retransmit multiplier 4, awareness up to 8×, push-pull every 30 s).
 */
export interface GossipConfig {
  /** Ticks between two probes (scaled by the local health multiplier under Lifeguard). */
  readonly probeIntervalTicks: number;
  /** Ticks to wait for a direct ack before asking others to probe (scaled by the health multiplier). */
  readonly probeTimeoutTicks: number;
  /** Members asked to probe indirectly after a direct probe times out (SWIM's k). */
  readonly indirectChecks: number;
  /**
   * λ: an update is piggybacked `retransmitMult × ⌈log10(n + 1)⌉` times before it leaves the queue.
   */
  readonly retransmitMult: number;
  /** Minimum suspicion timeout = `suspicionMult × max(1, log10(n)) × probeIntervalTicks`. */
  readonly suspicionMult: number;
  /** Lifeguard: the maximum suspicion timeout is this many times the minimum. */
  readonly suspicionMaxTimeoutMult: number;
  /** Lifeguard: the local health multiplier ranges over 1 … awarenessMaxMultiplier. */
  readonly awarenessMaxMultiplier: number;
  /** Most updates piggybacked on one message (the rest wait for the next one). */
  readonly maxPiggyback: number;
  /**
   * Lifeguard on or off (local health awareness, dynamic suspicion timeouts, nacks, the buddy
   * system). Off is plain SWIM with a fixed suspicion timeout, kept for the side-by-side bench.
   */
  readonly lifeguard: boolean;
  /**
   * A death claimed by another member only starts (or hastens to the minimum) a local suspicion, so
   * the accused can still refute: one member cannot make others declare a live member dead. Our
   * hardening, beyond SWIM and Lifeguard; off, a death heard is taken at once (SWIM, memberlist).
   */
  readonly deathAsSuspicion: boolean;
  /**
   * Lifeguard: buddy pings sent to the accused, one probe timeout apart, when a suspicion heard only
   * from other members would expire; its death is declared only when none is acked. One ping lost
   * under 1% loss (ping or ack: ~2%) would otherwise declare a live member dead; with 3 attempts
   * that takes ~10⁻⁵. Costs nothing while acks come back (the first ack ends the suspicion).
   */
  readonly buddyChecks: number;
  /**
   * Push-pull anti-entropy (memberlist's PushPullInterval, 30 s = 30 probe periods by default): every
   * this many ticks a member sends its view to one random member, which merges it and answers with
   * what it holds newer; both merge by `supersedes`. An update whose rumour missed a member reaches it
   * within a few intervals, instead of when its round robin reaches the updated member (n probe
   * periods). 0 turns it off. Not scaled by the local health multiplier. memberlist also stretches
   * the interval by log2(n / 32) above 32 members because its exchange carries the whole state; here
   * one exchange is bounded by the message size limit (a window of the member order), so its cost does
   * not grow with n and the interval is not scaled.
   */
  readonly pushPullIntervalTicks: number;
  /**
   * Scuttlebutt anti-entropy of the replicated key-value state (van Renesse et al. 2008): every this
   * many ticks a member sends its digest (owner → highest version held) to one random member, which
   * answers with the writes it lacks and asks for those it lacks itself. 0 (the default) turns it off:
   * an application that sets no keys pays nothing, and runs are event for event those without it.
   */
  readonly kvSyncIntervalTicks: number;
  /**
   * Adaptive tuning (off by default: runs are then event for event those without it). Every
   * `adaptiveWindowProbes` probes a member re-chooses, from the share of its acked probes that needed
   * indirect help (the loss rate) and the members it holds neither dead nor left: the indirect-probe
   * fanout (between `indirectChecks` and max(indirectChecks, 8), for ≤ 10⁻³ false suspicions per
   * probe), the retransmit limit (λ′·⌈log10(m + 1)⌉, λ′ = λ / (1 − loss) rounded, ≤ 2λ) and the probe
   * interval (stretched, up to 2×, so that the added fanout costs no more messages per tick than the
   * configured one at the same loss). Each change is output as `tuned`, with its measured inputs.
   * The suspicion timeouts stay as configured. See adaptive.ts.
   */
  readonly adaptive: boolean;
  /** Adaptive tuning: probes per observation window (default 10). */
  readonly adaptiveWindowProbes: number;
}

/** memberlist's LAN defaults at a tick of 100 ms. */
export const DEFAULT_GOSSIP_CONFIG: GossipConfig = Object.freeze({
  probeIntervalTicks: 10,
  probeTimeoutTicks: 5,
  indirectChecks: 3,
  retransmitMult: 4,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  awarenessMaxMultiplier: 8,
  maxPiggyback: 16,
  lifeguard: true,
  deathAsSuspicion: true,
  buddyChecks: 3,
  pushPullIntervalTicks: 300,
  kvSyncIntervalTicks: 0,
  adaptive: false,
  adaptiveWindowProbes: 10,
});

function positiveInt(config: GossipConfig, field: keyof GossipConfig, min = 1): void {
  const value = config[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
}

/**
 * @returns the defaults overridden by `overrides`, validated
 * @throws {ConfigError} naming the first bad field
 */
export function resolveGossipConfig(overrides: Partial<GossipConfig> = {}): GossipConfig {
  const config: GossipConfig = { ...DEFAULT_GOSSIP_CONFIG, ...overrides };
  positiveInt(config, "probeIntervalTicks");
  positiveInt(config, "probeTimeoutTicks");
  if (config.probeTimeoutTicks >= config.probeIntervalTicks) {
    throw new ConfigError("probeTimeoutTicks", `must be below probeIntervalTicks (${config.probeIntervalTicks}), got ${config.probeTimeoutTicks}`);
  }
  positiveInt(config, "indirectChecks", 0);
  positiveInt(config, "retransmitMult");
  positiveInt(config, "suspicionMult");
  positiveInt(config, "suspicionMaxTimeoutMult");
  positiveInt(config, "awarenessMaxMultiplier");
  positiveInt(config, "maxPiggyback");
  positiveInt(config, "buddyChecks");
  positiveInt(config, "pushPullIntervalTicks", 0);
  positiveInt(config, "kvSyncIntervalTicks", 0);
  positiveInt(config, "adaptiveWindowProbes");
  for (const field of ["lifeguard", "deathAsSuspicion", "adaptive"] as const) {
    if (typeof config[field] !== "boolean") throw new ConfigError(field, `must be a boolean, got ${String(config[field])}`);
  }
  return config;
}
