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
 * The simulated network between n nodes: per-link base latency with jitter, FIFO links unless
 * reordering is on, probabilistic loss / duplication / latency spikes, partitions as per-link block
 * counts (overlapping partitions stack), and per-node extra delay for slow (gray-failure) nodes.
 * All state in typed arrays indexed `from * n + to`.
 */
export class NetworkModel {
  readonly n: number;
  private readonly baseLatencyMs: Float64Array;
  private readonly jitterMs: number;
  private readonly blocked: Uint16Array;
  private readonly lastArrivalMs: Float64Array;
  /** Extra one-way delay of each node's traffic, in and out (slow nodes). */
  readonly slowExtraMs: Float64Array;
  private readonly active: Conditions[] = [];
  /** Conditions in force; all zero when no episode is active. */
  readonly now: Conditions = { loss: 0, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 };

  constructor(n: number, options: NetworkOptions, rng: Rng) {
    this.n = n;
    this.jitterMs = options.jitterMs;
    this.baseLatencyMs = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) this.baseLatencyMs[i] = options.minLatencyMs + (options.maxLatencyMs - options.minLatencyMs) * rng.float();
    this.blocked = new Uint16Array(n * n);
    this.lastArrivalMs = new Float64Array(n * n);
    this.slowExtraMs = new Float64Array(n);
  }

  /** @returns whether messages from `from` to `to` are cut by a partition */
  isBlocked(from: number, to: number): boolean {
    return this.blocked[from * this.n + to] !== 0;
  }

  /** @returns whether any partition is active */
  anyBlocked(): boolean {
    return this.blocked.some((x) => x !== 0);
  }

  /**
   * When a message sent now from `from` to `to` arrives (latency, jitter, spikes, slow-node delay,
   * reordering hold-back; FIFO per link otherwise).
   */
  arrivalMs(nowMs: number, from: number, to: number, rng: Rng): number {
    const link = from * this.n + to;
    let delay = (this.baseLatencyMs[link] as number) + this.jitterMs * rng.float() + (this.slowExtraMs[from] as number) + (this.slowExtraMs[to] as number);
    const c = this.now;
    if (c.spike > 0 && rng.float() < c.spike) delay += c.spikeMs * rng.float();
    let at = nowMs + delay;
    if (c.reorder > 0 && rng.float() < c.reorder) return at + REORDER_MAX_MS * rng.float();
    const last = this.lastArrivalMs[link] as number;
    if (at < last) at = last;
    this.lastArrivalMs[link] = at;
    return at;
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

  /** The directed links a partition cuts. */
  partitionLinks(shape: PartitionShape, group: readonly number[], bridge: number): Array<[number, number]> {
    const n = this.n;
    const inGroup = new Uint8Array(n);
    if (shape === "isolate") inGroup[((group[0] ?? 0) % n + n) % n] = 1;
    else for (const g of group) inGroup[((g % n) + n) % n] = 1;
    const bridgeNode = ((bridge % n) + n) % n;
    const links: Array<[number, number]> = [];
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b || inGroup[a] !== 1 || inGroup[b] === 1) continue;
        if (shape === "bridge" && (a === bridgeNode || b === bridgeNode)) continue;
        links.push([a, b]);
        if (shape !== "one-way") links.push([b, a]);
      }
    }
    return links;
  }

  /** Cut (delta 1) or restore (delta −1) links. */
  changeBlocks(links: ReadonlyArray<readonly [number, number]>, delta: 1 | -1): void {
    for (const [a, b] of links) {
      const i = a * this.n + b;
      this.blocked[i] = Math.max(0, (this.blocked[i] as number) + delta);
    }
  }

  /** Heal everything: no partition, no loss, no slow node. */
  healAll(): void {
    this.blocked.fill(0);
    this.slowExtraMs.fill(0);
    this.active.length = 0;
    this.recompute();
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
