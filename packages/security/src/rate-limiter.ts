import { ConfigError } from "@synod/core";

/** Options of a {@link TokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Largest burst: tokens a full bucket holds (≥ 1). */
  readonly capacity: number;
  /** Tokens added to every bucket per tick (> 0; may be fractional, e.g. 0.5 = one per two ticks). */
  readonly refillPerTick: number;
  /**
   * Most keys tracked (default 10,000). When full, the least recently used key is forgotten — it
   * comes back with a full bucket, so keep this above the number of legitimate peers/clients.
   */
  readonly maxKeys?: number;
}

/** Counters of a {@link TokenBucketLimiter}. */
export interface RateLimitCounters {
  allowed: number;
  denied: number;
  evicted: number;
}

interface Bucket {
  tokens: number;
  updatedTick: number;
}

/**
 * Token-bucket rate limiting per key (a peer id, a client id), driven by logical ticks — never by a
 * clock, so it is deterministic and usable inside protocol state machines. Each key has a bucket of
 * `capacity` tokens refilled by `refillPerTick` per tick; an action costing c tokens is allowed
 * when the bucket holds c. Buckets refill lazily (no per-tick work per key).
 * Use one limiter for peers and another for clients, with their own budgets.
 * @example
 * const perClient = new TokenBucketLimiter({ capacity: 20, refillPerTick: 2 });
 * // in tick(): perClient.tick();
 * // in request(): if (!perClient.tryTake(clientId)) return reject("rate limited");
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerTick: number;
  private readonly maxKeys: number;
  private nowTick = 0;
  /** Outcome counters, for metrics. */
  readonly counters: RateLimitCounters = { allowed: 0, denied: 0, evicted: 0 };

  /** @throws {ConfigError} on a non-positive capacity or refill, or maxKeys < 1 */
  constructor(options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !Number.isFinite(options.capacity)) throw new ConfigError("capacity", `must be a finite number >= 1, got ${options.capacity}`);
    if (!(options.refillPerTick > 0) || !Number.isFinite(options.refillPerTick)) throw new ConfigError("refillPerTick", `must be a finite number > 0, got ${options.refillPerTick}`);
    const maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new ConfigError("maxKeys", `must be a positive integer, got ${maxKeys}`);
    this.capacity = options.capacity;
    this.refillPerTick = options.refillPerTick;
    this.maxKeys = maxKeys;
  }

  /** The current logical tick. */
  get tickCount(): number {
    return this.nowTick;
  }

  /** Number of keys tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** Advance logical time by `ticks` (default 1). */
  tick(ticks = 1): void {
    if (!Number.isSafeInteger(ticks) || ticks < 0) throw new ConfigError("ticks", `must be a non-negative integer, got ${ticks}`);
    this.nowTick += ticks;
  }

  /** @returns the tokens `key` has now (capacity for an unknown key) */
  available(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.capacity;
    return Math.min(this.capacity, bucket.tokens + (this.nowTick - bucket.updatedTick) * this.refillPerTick);
  }

  /**
   * Take `cost` tokens from `key`'s bucket if it holds them.
   * @param cost - tokens the action costs (default 1; > 0)
   * @returns true when allowed (tokens taken), false when rate limited (nothing taken)
   */
  tryTake(key: string, cost = 1): boolean {
    if (!(cost > 0) || !Number.isFinite(cost)) throw new ConfigError("cost", `must be a finite number > 0, got ${cost}`);
    const tokens = this.available(key);
    if (tokens < cost) {
      this.counters.denied += 1;
      this.touch(key, tokens);
      return false;
    }
    this.counters.allowed += 1;
    this.touch(key, tokens - cost);
    return true;
  }

  /** Forget a key (e.g. a peer left). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  private touch(key: string, tokens: number): void {
    this.buckets.delete(key); // re-insert: Map order is then least-recently-used first
    if (tokens >= this.capacity) return; // a full bucket is the same as no bucket
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) {
        this.buckets.delete(oldest);
        this.counters.evicted += 1;
      }
    }
    this.buckets.set(key, { tokens, updatedTick: this.nowTick });
  }
}
