import type { Rng } from "@synod/core";
import type { PartitionShape } from "../faults/schedule.js";
import { REORDER_MAX_MS } from "./limits.js";
import type { NetworkOptions } from "./options.js";

/** Network conditions in force (the strongest of the active `network` episodes). */
interface Conditions {
  loss: number;
  duplicate: number;
  reorder: number;
  spike: number;
  spikeMs: number;
}

/**
 * How fast an inbound delay grows (ms of delay per ms): below 1, so that what a node receives keeps
 * arriving (at half the rate it was sent) while the backlog builds.
 */
export const INBOUND_RAMP = 0.5;

/** Largest cluster whose per-link state is kept in dense n × n arrays; larger ones keep it sparse. */
export const DENSE_LINK_LIMIT = 1024;

/** Links the sparse per-link state holds before its first sweep (see `NetworkModel.setLastArrivalSparse`). */
const SPARSE_SWEEP_MIN = 4096;

/** A partition in force: the nodes of its group, its shape and its bridge node. */
export interface Cut {
  readonly shape: PartitionShape;
  readonly inGroup: Uint8Array;
  readonly bridge: number;
}

/** @returns a 32-bit hash of `x` mixed with `key` (splitmix-style finaliser) */
function mix32(x: number, key: number): number {
  let z = (x ^ key) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The simulated network between n nodes: per-link base latency with jitter, FIFO links unless
 * reordering is on, probabilistic loss / duplication / latency spikes, partitions (overlapping
 * partitions stack: a link is cut while any partition in force cuts it), and per-node extra delay
 * for slow (gray-failure) nodes. Up to {@link DENSE_LINK_LIMIT} nodes, per-link state is in typed
 * arrays indexed `from * n + to`; beyond, a link's base latency is a hash of the link and a key drawn
 * once, and the FIFO bookkeeping is a map of the links used, so that memory grows with the traffic,
 * not with n².
 */
export class NetworkModel {
  /** Number of nodes (members, then the second copies of twinned members). */
  readonly n: number;
  /** Number of members: partitions name member positions (modulo this). */
  private readonly members: number;
  /** The member each second copy (index `members + j`) is a copy of: it shares its side of every partition. */
  private readonly copyOf: readonly number[];
  private readonly baseLatencyMs: Float64Array | undefined;
  private readonly minLatencyMs: number;
  private readonly latencySpanMs: number;
  private readonly latencyKey: number;
  private readonly jitterMs: number;
  private readonly cuts: Cut[] = [];
  private readonly lastArrivalMs: Float64Array | undefined;
  /** Beyond {@link DENSE_LINK_LIMIT}: the last arrival time of each link whose last message may still be in flight. */
  private readonly lastArrivalSparse = new Map<number, number>();
  /** Size of {@link lastArrivalSparse} at which it is next swept of the links whose last arrival has passed. */
  private sweepAtSize = SPARSE_SWEEP_MIN;
  /** Extra one-way delay of each node's traffic, in and out (slow nodes). */
  readonly slowExtraMs: Float64Array;
  /**
   * Extra one-way delay of what each node receives only (a `leader-island`'s late answers): it grows
   * from 0 at {@link INBOUND_RAMP} ms per ms from `slowInboundSinceMs` up to this, as a backlog
   * builds, so that the node never goes a whole election timeout without hearing its peers.
   */
  readonly slowInboundMs: Float64Array;
  /** When each node's inbound delay started to grow. */
  readonly slowInboundSinceMs: Float64Array;
  private readonly active: Conditions[] = [];
  /** Conditions in force; all zero when no episode is active. */
  readonly now: Conditions = { loss: 0, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 };

  /**
   * @param n - number of nodes
   * @param copyOf - for twins: the member index of each second copy, which takes the last `copyOf.length` indices
   */
  constructor(n: number, options: NetworkOptions, rng: Rng, copyOf: readonly number[] = []) {
    this.n = n;
    this.members = n - copyOf.length;
    this.copyOf = copyOf;
    this.jitterMs = options.jitterMs;
    this.minLatencyMs = options.minLatencyMs;
    this.latencySpanMs = options.maxLatencyMs - options.minLatencyMs;
    if (n <= DENSE_LINK_LIMIT) {
      this.latencyKey = 0;
      this.baseLatencyMs = new Float64Array(n * n);
      for (let i = 0; i < n * n; i++) this.baseLatencyMs[i] = options.minLatencyMs + this.latencySpanMs * rng.float();
      this.lastArrivalMs = new Float64Array(n * n);
    } else {
      this.latencyKey = rng.nextU32();
    }
    this.slowExtraMs = new Float64Array(n);
    this.slowInboundMs = new Float64Array(n);
    this.slowInboundSinceMs = new Float64Array(n);
  }

  /** Start delaying what node `node` receives, growing to `extraMs` (see {@link slowInboundMs}). */
  slowInbound(node: number, nowMs: number, extraMs: number): void {
    if ((this.slowInboundMs[node] as number) === 0) this.slowInboundSinceMs[node] = nowMs;
    this.slowInboundMs[node] = Math.max(this.slowInboundMs[node] as number, extraMs);
  }

  private inboundDelay(to: number, nowMs: number): number {
    const max = this.slowInboundMs[to] as number;
    return max === 0 ? 0 : Math.min(max, (nowMs - (this.slowInboundSinceMs[to] as number)) * INBOUND_RAMP);
  }

  /** @returns whether messages from `from` to `to` are cut by a partition */
  isBlocked(from: number, to: number): boolean {
    for (let i = 0; i < this.cuts.length; i++) if (cuts(this.cuts[i] as Cut, from, to)) return true;
    return false;
  }

  /** The partitions in force (read-only: for recording a run). */
  get activeCuts(): readonly Cut[] {
    return this.cuts;
  }

  /** @returns whether any partition is active */
  anyBlocked(): boolean {
    return this.cuts.length > 0;
  }

  private baseLatency(link: number): number {
    if (this.baseLatencyMs !== undefined) return this.baseLatencyMs[link] as number;
    return this.minLatencyMs + (this.latencySpanMs * mix32(link, this.latencyKey)) / 0x1_0000_0000;
  }

  /**
   * When a message sent now from `from` to `to` arrives (latency, jitter, spikes, slow-node delay,
   * reordering hold-back; FIFO per link otherwise).
   */
  arrivalMs(nowMs: number, from: number, to: number, rng: Rng): number {
    const link = from * this.n + to;
    let delay = this.baseLatency(link) + this.jitterMs * rng.float() + (this.slowExtraMs[from] as number) + (this.slowExtraMs[to] as number);
    delay += this.inboundDelay(to, nowMs);
    const c = this.now;
    if (c.spike > 0 && rng.float() < c.spike) delay += c.spikeMs * rng.float();
    let at = nowMs + delay;
    if (c.reorder > 0 && rng.float() < c.reorder) return at + REORDER_MAX_MS * rng.float();
    const dense = this.lastArrivalMs;
    const last = dense !== undefined ? (dense[link] as number) : (this.lastArrivalSparse.get(link) ?? 0);
    if (at < last) at = last;
    if (dense !== undefined) dense[link] = at;
    else this.setLastArrivalSparse(link, at, nowMs);
    return at;
  }

  /**
   * Record a link's last arrival. A link whose last arrival is not after now holds nothing back (every
   * delay is ≥ 0, and time never goes back), so it is forgotten when the map is swept: the map holds
   * the links in flight, not every link ever used (millions at 10,000 nodes). Swept when it doubled
   * since the last sweep: O(1) amortised per message.
   */
  private setLastArrivalSparse(link: number, at: number, nowMs: number): void {
    const sparse = this.lastArrivalSparse;
    sparse.set(link, at);
    if (sparse.size < this.sweepAtSize) return;
    for (const [l, t] of sparse) if (t <= nowMs) sparse.delete(l);
    this.sweepAtSize = Math.max(SPARSE_SWEEP_MIN, 2 * sparse.size);
  }

  /** Start a `network` episode. @returns its handle for {@link endConditions} */
  startConditions(conditions: Conditions): Conditions {
    const copy = { ...conditions };
    this.active.push(copy);
    this.recompute();
    return copy;
  }

  /** End a `network` episode. */
  endConditions(handle: Conditions): void {
    const i = this.active.indexOf(handle);
    if (i >= 0) this.active.splice(i, 1);
    this.recompute();
  }

  /** The partition a fault describes (O(n) to build, O(1) per link to test); a twin's second copy is on its first copy's side. */
  partitionCut(shape: PartitionShape, group: readonly number[], bridge: number): Cut {
    const n = this.members;
    const inGroup = new Uint8Array(this.n);
    if (shape === "isolate") inGroup[((group[0] ?? 0) % n + n) % n] = 1;
    else for (const g of group) inGroup[((g % n) + n) % n] = 1;
    this.copyOf.forEach((member, j) => {
      inGroup[n + j] = inGroup[member] as number;
    });
    return { shape, inGroup, bridge: ((bridge % n) + n) % n };
  }

  /** Put a partition in force. */
  addCut(cut: Cut): void {
    this.cuts.push(cut);
  }

  /** End a partition put in force by {@link addCut}. */
  removeCut(cut: Cut): void {
    const i = this.cuts.indexOf(cut);
    if (i >= 0) this.cuts.splice(i, 1);
  }

  /**
   * Heal everything: no partition, no loss, no slow node, and no link held back by what the faults
   * delayed. The faults' delays end too: a message in flight is due by the returned time at the
   * latest (the caller brings later deliveries forward to it, a backlog draining once its cause is
   * gone), and the links' FIFO clocks are capped there, so that a message sent after healing waits
   * behind no message a slow node, a spike or a reordering delayed (a leader stall's 3 s of extra
   * delay would otherwise stall its links for 3 s after healing).
   * @param nowMs - the time of healing
   * @returns the latest arrival time of a message in flight: `nowMs` plus the largest fault-free
   *   latency (base latency and jitter)
   */
  healAll(nowMs: number): number {
    this.cuts.length = 0;
    this.slowExtraMs.fill(0);
    this.slowInboundMs.fill(0);
    this.active.length = 0;
    this.recompute();
    const latestMs = nowMs + this.minLatencyMs + this.latencySpanMs + this.jitterMs;
    const dense = this.lastArrivalMs;
    if (dense !== undefined) {
      for (let i = 0; i < dense.length; i++) if ((dense[i] as number) > latestMs) dense[i] = latestMs;
    } else {
      for (const [link, at] of this.lastArrivalSparse) if (at > latestMs) this.lastArrivalSparse.set(link, latestMs);
    }
    return latestMs;
  }

  private recompute(): void {
    const c = this.now;
    c.loss = c.duplicate = c.reorder = c.spike = c.spikeMs = 0;
    for (const a of this.active) {
      c.loss = Math.max(c.loss, a.loss);
      c.duplicate = Math.max(c.duplicate, a.duplicate);
      c.reorder = Math.max(c.reorder, a.reorder);
      c.spike = Math.max(c.spike, a.spike);
      c.spikeMs = Math.max(c.spikeMs, a.spikeMs);
    }
  }
}

/**
 * @returns whether partition `cut` cuts the directed link `from` → `to`: from the group to the rest
 * (and back, unless one-way), except links of the bridge node in a `bridge` partition
 */
function cuts(cut: Cut, from: number, to: number): boolean {
  if (from === to) return false;
  if (cut.shape === "bridge" && (from === cut.bridge || to === cut.bridge)) return false;
  const a = cut.inGroup[from] === 1;
  const b = cut.inGroup[to] === 1;
  if (a && !b) return true;
  return cut.shape !== "one-way" && b && !a;
}
