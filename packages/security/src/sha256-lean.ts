/**
 * SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) for the simulator's ideal provider, written for
 * the many short messages a simulation hashes (a statement of a hundred bytes or so): one
 * module-level scratch state and block, no hash objects, no DataView, no zeroing of buffers, and an
 * HMAC key's two padded blocks hashed once. The same bytes as @noble/hashes (tests compare them on
 * random inputs); about twice as fast per short message, where noble's per-call overhead is as large
 * as its compression. Not for secrets that matter: nothing is wiped, nothing is constant-time.
 * Not reentrant, and need not be: every call runs to completion without calling out.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const BLOCK = 64;
const W = new Int32Array(64);
const state = new Int32Array(8);
const block = new Uint8Array(BLOCK);
const innerDigest = new Uint8Array(32);

/** Hash one 64-byte block of `bytes` at `at` into `h`. */
function compress(h: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = ((bytes[at] as number) << 24) | ((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15] as number;
    const w2 = W[i - 2] as number;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
  }
  let a = h[0] as number;
  let b = h[1] as number;
  let c = h[2] as number;
  let d = h[3] as number;
  let e = h[4] as number;
  let f = h[5] as number;
  let g = h[6] as number;
  let k = h[7] as number;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (W[i] as number)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = ((h[0] as number) + a) | 0;
  h[1] = ((h[1] as number) + b) | 0;
  h[2] = ((h[2] as number) + c) | 0;
  h[3] = ((h[3] as number) + d) | 0;
  h[4] = ((h[4] as number) + e) | 0;
  h[5] = ((h[5] as number) + f) | 0;
  h[6] = ((h[6] as number) + g) | 0;
  h[7] = ((h[7] as number) + k) | 0;
}

/**
 * Hash `parts`, concatenated, into `state` (already holding the chaining value after `prefix`
 * bytes, a multiple of 64), padding included, and write the digest to `out`.
 */
function finishParts(prefix: number, parts: readonly Uint8Array[], out: Uint8Array): void {
  let pos = 0;
  let total = prefix;
  for (const part of parts) {
    const length = part.length;
    total += length;
    let at = 0;
    if (pos > 0) {
      while (pos < BLOCK && at < length) block[pos++] = part[at++] as number;
      if (pos < BLOCK) continue;
      compress(state, block, 0);
      pos = 0;
    }
    for (; at + BLOCK <= length; at += BLOCK) compress(state, part, at);
    while (at < length) block[pos++] = part[at++] as number;
  }
  block[pos++] = 0x80;
  if (pos > BLOCK - 8) {
    while (pos < BLOCK) block[pos++] = 0;
    compress(state, block, 0);
    pos = 0;
  }
  while (pos < BLOCK - 8) block[pos++] = 0;
  const high = Math.floor(total / 0x20000000);
  const low = (total * 8) >>> 0;
  block[56] = high >>> 24;
  block[57] = (high >>> 16) & 0xff;
  block[58] = (high >>> 8) & 0xff;
  block[59] = high & 0xff;
  block[60] = low >>> 24;
  block[61] = (low >>> 16) & 0xff;
  block[62] = (low >>> 8) & 0xff;
  block[63] = low & 0xff;
  compress(state, block, 0);
  for (let i = 0, at = 0; i < 8; i++, at += 4) {
    const word = state[i] as number;
    out[at] = word >>> 24;
    out[at + 1] = (word >>> 16) & 0xff;
    out[at + 2] = (word >>> 8) & 0xff;
    out[at + 3] = word & 0xff;
  }
}

/** @returns SHA-256 of `parts` concatenated (a new 32-byte array) */
export function leanSha256(...parts: Uint8Array[]): Uint8Array {
  state.set(IV);
  const out = new Uint8Array(32);
  finishParts(0, parts, out);
  return out;
}

/** @returns the chaining value after hashing one block: `key` (zero-padded to 64 bytes) with every byte XORed with `pad` */
function keyedState(key: Uint8Array, pad: number): Int32Array {
  const padded = new Uint8Array(BLOCK).fill(pad);
  for (let i = 0; i < key.length; i++) padded[i] = (key[i] as number) ^ pad;
  const h = IV.slice();
  compress(h, padded, 0);
  return h;
}

/**
 * @returns HMAC-SHA256 under `key` of its arguments concatenated (each call a new 32-byte array):
 * the key's inner and outer padded blocks are hashed here, once, and a tag hashes only its data and
 * one block of the outer hash
 */
export function leanHmacSha256(key: Uint8Array): (...parts: Uint8Array[]) => Uint8Array {
  const blockKey = key.length > BLOCK ? leanSha256(key) : key;
  const inner = keyedState(blockKey, 0x36);
  const outer = keyedState(blockKey, 0x5c);
  return (...parts) => finishHmac(inner, outer, parts);
}

/** The one part hashed by {@link leanHmacSha256Of}, and then the inner digest: one array for every call, not one per call. */
const onePart: Uint8Array[] = [innerDigest];

/** @returns HMAC-SHA256 of `parts` from the key's inner and outer chaining values (a new 32-byte array) */
function finishHmac(inner: Int32Array, outer: Int32Array, parts: readonly Uint8Array[]): Uint8Array {
  state.set(inner);
  finishParts(BLOCK, parts, innerDigest);
  state.set(outer);
  const out = new Uint8Array(32);
  onePart[0] = innerDigest;
  finishParts(BLOCK, onePart, out);
  return out;
}

/** @returns {@link leanHmacSha256} for one argument: the same tags, without an array of arguments per call */
export function leanHmacSha256Of(key: Uint8Array): (data: Uint8Array) => Uint8Array {
  const blockKey = key.length > BLOCK ? leanSha256(key) : key;
  const inner = keyedState(blockKey, 0x36);
  const outer = keyedState(blockKey, 0x5c);
  return (data) => {
    onePart[0] = data;
    return finishHmac(inner, outer, onePart);
  };
}
