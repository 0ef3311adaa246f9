import { ConfigError } from "@synod/core";

/** Options of a {@link RecentlySeen} set. */
export interface RecentlySeenOptions {
  /** Most ids remembered (≥ 1). When full, the oldest is forgotten. */
  readonly capacity: number;
  /** Forget ids after this many ticks (optional; default: only capacity bounds the memory). */
  readonly ttlTicks?: number;
}

/**
 * A bounded set of recently seen message ids, for replay and flood suppression (gossip
 * deduplication, dropping re-sent requests). Remembers at most `capacity` ids and, optionally,
 * each for at most `ttlTicks` ticks. An id older than that may be accepted again: pair it with a
 * protocol-level freshness check (sequence numbers, terms, views) where that matters.
 * @example
 * const seen = new RecentlySeen({ capacity: 10_000, ttlTicks: 500 });
 * if (!seen.checkAndAdd(messageId)) return; // duplicate: drop
 */
export class RecentlySeen {
  private readonly seenAt = new Map<string, number>();
  private readonly capacity: number;
  private readonly ttlTicks: number | undefined;
  private nowTick = 0;
  /** Number of duplicates suppressed. */
  duplicates = 0;

  /** @throws {ConfigError} on a capacity < 1 or ttlTicks < 1 */
  constructor(options: RecentlySeenOptions) {
    if (!Number.isSafeInteger(options.capacity) || options.capacity < 1) throw new ConfigError("capacity", `must be a positive integer, got ${options.capacity}`);
    if (options.ttlTicks !== undefined && (!Number.isSafeInteger(options.ttlTicks) || options.ttlTicks < 1)) {
      throw new ConfigError("ttlTicks", `must be a positive integer, got ${options.ttlTicks}`);
    }
    this.capacity = options.capacity;
    this.ttlTicks = options.ttlTicks;
  }

  /** Number of ids remembered. */
  get size(): number {
    return this.seenAt.size;
  }

  /** Advance logical time by `ticks` (default 1) and forget expired ids. */
  tick(ticks = 1): void {
    this.nowTick += ticks;
    if (this.ttlTicks === undefined) return;
    const horizon = this.nowTick - this.ttlTicks;
    for (const [id, at] of this.seenAt) {
      if (at > horizon) break; // insertion order is time order
      this.seenAt.delete(id);
    }
  }

  /** @returns whether `id` is remembered */
  has(id: string): boolean {
    return this.seenAt.has(id);
  }

  /**
   * Record `id` if it is new.
   * @returns true when `id` was new (process the message), false for a duplicate (drop it)
   */
  checkAndAdd(id: string): boolean {
    if (this.seenAt.has(id)) {
      this.duplicates += 1;
      return false;
    }
    if (this.seenAt.size >= this.capacity) {
      const oldest = this.seenAt.keys().next().value;
      if (oldest !== undefined) this.seenAt.delete(oldest);
    }
    this.seenAt.set(id, this.nowTick);
    return true;
  }
}
