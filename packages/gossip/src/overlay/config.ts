import { ConfigError, type NodeId } from "@synod/core";
import { MAX_SHUFFLE_NODES, MAX_WALK_LENGTH } from "./messages.js";

/** HyParView and Plumtree settings, in ticks where they are times. */
export interface OverlayConfig {
  /** Largest active view (the paper: log10(n) + 1; 5 covers up to 10,000 members). */
  readonly activeSize: number;
  /** Largest passive view (the paper: k · (log10(n) + c); 30 for 10,000). */
  readonly passiveSize: number;
  /** Active random walk length: a join's walk ends in an active view after this many hops (ARWL, paper: 6). */
  readonly activeWalk: number;
  /** Passive random walk length: at this ttl a join's walk also enters a passive view (PRWL, paper: 3). */
  readonly passiveWalk: number;
  /** Ticks between two shuffles of the passive view. */
  readonly shuffleIntervalTicks: number;
  /** Active members a shuffle carries (paper: ka = 3). */
  readonly shuffleActive: number;
  /** Passive members a shuffle carries (paper: kp = 4). */
  readonly shufflePassive: number;
  /**
   * Every this many shuffles, one goes straight to a random seed instead of walking the active view
   * (0: never). After a partition heals the active views of each side are full of their own side and
   * walks stay there; a shuffle with a seed brings members of the other side into passive views.
   */
  readonly seedShuffleEvery: number;
  /**
   * Ticks between two rewirings (0: never): a member with a full active view asks a random passive
   * member to swap in for a random active one (`neighbor` with priority `swap`: the other takes it,
   * evicting one of its own when full; on acceptance the asker evicts one of its own). What joins the
   * sides of a healed partition, whose active views are full of their own side (an addition to the
   * paper, whose views never change while full).
   */
  readonly rewireIntervalTicks: number;
  /** Silence on an active link, in ticks, after which the neighbour is taken as failed. */
  readonly failTicks: number;
  /** A heartbeat goes to an active neighbour when nothing was sent to it for this many ticks. */
  readonly heartbeatTicks: number;
  /** Ticks to wait for a `neighborReply` or a join's `connect` before trying another member. */
  readonly requestTimeoutTicks: number;
  /** Plumtree: ticks after the first IHave of a missing broadcast before a graft (paper: timeout 1). */
  readonly graftTimeoutTicks: number;
  /** Plumtree: ticks between two further grafts of the same missing broadcast (paper: timeout 2). */
  readonly graftRetryTicks: number;
  /** Plumtree: broadcasts kept to answer grafts (oldest dropped first). */
  readonly cacheSize: number;
  /**
   * Plumtree: a neighbour that enters the active view is sent an IHave for each broadcast this member
   * delivered within this many ticks (and still caches), so that it grafts those it missed.
   */
  readonly announceTicks: number;
  /**
   * Eclipse defence (off by default): the passive view is a Basalt sampler (slots keeping the id of
   * lowest seeded hash, one slot reseeded per shuffle: `BasaltSampler`), and a full active view admits
   * a member by eviction (a join, a walk's end, an unasked `connect`, a `high` or `swap` request) only
   * when that member holds a slot of the sampler; otherwise it is only offered to the sampler.
   */
  readonly basalt: boolean;
  /**
   * Eclipse defence of the active view (off by default; needs `basalt`): every link has a rank, a
   * hash of its two ends' ids (`linkRank`) that both ends compute alike and no member can move
   * by asking more often. A full active view takes a newcomer only when its link ranks lower than
   * the view's worst one (a neighbour the sampler no longer holds ranks worst), and evicts that worst
   * one rather than a random one; a neighbour request's priority is ignored (an attacker may claim
   * any); a rewiring asks a passive (sampled) member whose link ranks lower than the worst active one
   * (none: no rewiring). So a member keeps its best-ranked links, whoever pushes: an attacker holds a
   * link for its rank, not its rate. Also: a refused
   * refill is retried at once (attackers push for every free place), and the ids a shuffle carries are
   * offered to the sampler of every member it walks through (so that it hears of most honest ids).
   */
  readonly activeDefence: boolean;
  /**
   * Admission (undefined: every member of the list is admitted): whether `peer` may take part in the
   * overlay, e.g. `(peer) => admission.isMember(peer, clusterTick)` with `@synod/security`'s
   * `AdmissionControl`. Every message from a member not admitted is dropped (HyParView's and
   * Plumtree's: joins, walks, neighbour requests, shuffles, payloads, IHaves, grafts, prunes); joiners,
   * shuffle origins and shuffled ids not admitted are refused too (all counted by message type in
   * `HyParView.counters.notAdmitted`), so they never enter a view.
   */
  readonly isAdmitted?: (peer: NodeId) => boolean;
  /**
   * Contact members for joins (and seed shuffles); undefined: every member of the context's list.
   * A member never contacts itself.
   */
  readonly seeds?: readonly NodeId[];
}

/** Defaults at a tick of 100 ms for clusters up to ~10,000 members. */
export const DEFAULT_OVERLAY_CONFIG: OverlayConfig = Object.freeze({
  activeSize: 5,
  passiveSize: 30,
  activeWalk: 6,
  passiveWalk: 3,
  shuffleIntervalTicks: 50,
  shuffleActive: 3,
  shufflePassive: 4,
  seedShuffleEvery: 4,
  rewireIntervalTicks: 300,
  failTicks: 15,
  heartbeatTicks: 5,
  requestTimeoutTicks: 10,
  graftTimeoutTicks: 3,
  graftRetryTicks: 2,
  cacheSize: 4096,
  announceTicks: 30,
  basalt: false,
  activeDefence: false,
});

function int(config: OverlayConfig, field: keyof OverlayConfig, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const value = config[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/**
 * @returns the defaults overridden by `overrides`, validated
 * @throws {ConfigError} naming the first bad field
 */
export function resolveOverlayConfig(overrides: Partial<OverlayConfig> = {}): OverlayConfig {
  const config: OverlayConfig = { ...DEFAULT_OVERLAY_CONFIG, ...overrides };
  int(config, "activeSize", 1, MAX_SHUFFLE_NODES);
  int(config, "passiveSize", 1, 10_000);
  int(config, "activeWalk", 0, MAX_WALK_LENGTH);
  int(config, "passiveWalk", 0, config.activeWalk);
  int(config, "shuffleIntervalTicks", 0);
  int(config, "shuffleActive", 0, MAX_SHUFFLE_NODES);
  int(config, "shufflePassive", 0, MAX_SHUFFLE_NODES - 1 - config.shuffleActive);
  int(config, "seedShuffleEvery", 0);
  int(config, "rewireIntervalTicks", 0);
  int(config, "heartbeatTicks", 1);
  int(config, "failTicks", config.heartbeatTicks + 1);
  int(config, "requestTimeoutTicks", 1);
  int(config, "graftTimeoutTicks", 1);
  int(config, "graftRetryTicks", 1);
  int(config, "cacheSize", 1);
  int(config, "announceTicks", 0);
  if (typeof config.basalt !== "boolean") throw new ConfigError("basalt", `must be a boolean, got ${String(config.basalt)}`);
  if (typeof config.activeDefence !== "boolean") throw new ConfigError("activeDefence", `must be a boolean, got ${String(config.activeDefence)}`);
  if (config.activeDefence && !config.basalt) throw new ConfigError("activeDefence", "needs basalt: true (it admits only members the sampler holds)");
  if (config.isAdmitted !== undefined && typeof config.isAdmitted !== "function") throw new ConfigError("isAdmitted", "must be a function of a member id");
  if (config.seeds !== undefined && (!Array.isArray(config.seeds) || config.seeds.some((seed) => typeof seed !== "string"))) {
    throw new ConfigError("seeds", "must be a list of member ids");
  }
  return config;
}
