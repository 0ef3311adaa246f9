import { ConfigError, createRng, type Rng } from "@synod/core";

/**
 * A source of random bytes. All key generation, nonces and dealer polynomials in this package draw
 * from one of these, injected by the caller: `crypto.randomBytes` in production (see `./node.js`),
 * a seeded source in tests and in the simulator.
 * @param length - how many bytes, 0 ≤ length ≤ {@link MAX_RANDOM_BYTES}
 */
export type RandomBytes = (length: number) => Uint8Array;

/** Largest single request a {@link RandomBytes} built here serves: 64 KiB. */
export const MAX_RANDOM_BYTES = 1 << 16;

/**
 * A deterministic {@link RandomBytes} drawn from the core xoshiro128** generator. NOT secure:
 * for tests and simulation only, where reproducibility from a seed is the point.
 * @param seedOrRng - a seed for `createRng`, or an existing (forked) Rng
 * @returns a function producing the same bytes for the same seed, call after call
 * @throws {ConfigError} on an invalid seed or a request over {@link MAX_RANDOM_BYTES}
 * @example
 * const random = seededRandomBytes(42);
 * const identity = createIdentity(nobleProvider, "n1", random);
 */
export function seededRandomBytes(seedOrRng: number | Rng): RandomBytes {
  const rng = typeof seedOrRng === "number" ? createRng(seedOrRng) : seedOrRng;
  return (length: number): Uint8Array => {
    if (!Number.isSafeInteger(length) || length < 0 || length > MAX_RANDOM_BYTES) {
      throw new ConfigError("length", `random byte requests must be in [0, ${MAX_RANDOM_BYTES}], got ${length}`);
    }
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const word = rng.nextU32();
      out[i] = word & 0xff;
      if (i + 1 < length) out[i + 1] = (word >>> 8) & 0xff;
      if (i + 2 < length) out[i + 2] = (word >>> 16) & 0xff;
      if (i + 3 < length) out[i + 3] = (word >>> 24) & 0xff;
    }
    return out;
  };
}
