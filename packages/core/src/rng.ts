import { ConfigError } from "./errors.js";
import { MAX_SEED } from "./limits.js";

/**
 * A seeded source of randomness. Protocol packages receive one at construction and draw every
 * random choice from it, so that a run is reproducible from its seed.
 */
export interface Rng {
  /** The seed this generator (or the root it was forked from) was created with. */
  readonly seed: number;
  /** @returns a uniformly distributed unsigned 32-bit integer */
  nextU32(): number;
  /** @returns a uniformly distributed float in [0, 1) with 32 bits of randomness */
  float(): number;
  /**
   * @returns a uniformly distributed integer in [min, maxExclusive) (rejection sampling: no modulo bias)
   * @throws {ConfigError} when the range is empty or not made of safe integers, or wider than 2^32
   */
  int(min: number, maxExclusive: number): number;
  /** @returns true with probability `p` (default 0.5) */
  bool(p?: number): boolean;
  /** @returns a uniformly chosen element; @throws {ConfigError} on an empty array */
  pick<T>(items: readonly T[]): T;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /**
   * An independent generator derived from this one's seed and `label` — not from its position, so
   * drawing more numbers here never changes what a fork draws. Give each node its own fork.
   */
  fork(label: string | number): Rng;
}

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [(z ^ (z >>> 16)) >>> 0, state];
}

function hashLabel(label: string | number, into: number): number {
  // FNV-1a over the label's characters, mixed into `into`.
  const text = String(label);
  let h = (0x811c9dc5 ^ into) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * xoshiro128** (Blackman & Vigna, 2018): 128-bit state, period 2^128 − 1, fast in 32-bit integer
 * arithmetic. Seeded by running splitmix32 over the seed's two 32-bit halves, as its authors advise.
 */
class Xoshiro128StarStar implements Rng {
  readonly seed: number;
  private readonly streamKey: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number, streamKey: number) {
    this.seed = seed;
    this.streamKey = streamKey >>> 0;
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    let state = (lo ^ Math.imul(hi, 0x9e3779b1) ^ this.streamKey) | 0;
    let out: number;
    [out, state] = splitmix32(state);
    this.s0 = out;
    [out, state] = splitmix32(state ^ hi);
    this.s1 = out;
    [out, state] = splitmix32(state);
    this.s2 = out;
    [out, state] = splitmix32(state ^ this.streamKey);
    this.s3 = out;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  float(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  int(min: number, maxExclusive: number): number {
    const range = maxExclusive - min;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxExclusive) || range <= 0 || range > 0x1_0000_0000) {
      throw new ConfigError("range", `Rng.int needs safe integers with 0 < max - min <= 2^32, got [${min}, ${maxExclusive})`);
    }
    if (range === 0x1_0000_0000) return min + this.nextU32();
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % range);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return min + (x % range);
  }

  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new ConfigError("items", "Rng.pick needs a non-empty array");
    return items[this.int(0, items.length)] as T;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  fork(label: string | number): Rng {
    return new Xoshiro128StarStar(this.seed, hashLabel(label, this.streamKey));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Create the seeded generator every synod driver uses (xoshiro128**).
 * @param seed - a non-negative safe integer; the same seed always gives the same sequence
 * @throws {ConfigError} when the seed is not a non-negative safe integer
 * @example
 * const rng = createRng(42);
 * const timeout = rng.int(10, 20);
 * const nodeRng = rng.fork("n1");
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ConfigError("seed", `must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  }
  return new Xoshiro128StarStar(seed, 0);
}
