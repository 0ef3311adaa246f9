import { concatBytes } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { MAC_BYTES, type CryptoProvider } from "./provider.js";

/** Largest HKDF-SHA256 output (RFC 5869: 255 blocks of 32 bytes). */
export const MAX_HKDF_BYTES = 255 * MAC_BYTES;

/**
 * HKDF-SHA256 (RFC 5869) on top of the provider's HMAC, so it runs on node:crypto or noble alike.
 * @param ikm - input keying material (e.g. a Diffie–Hellman output)
 * @param salt - optional salt (empty means 32 zero bytes, per the RFC)
 * @param info - context and application-specific information
 * @param length - output bytes, 1 ≤ length ≤ 8160
 * @returns `length` bytes of output keying material
 * @throws {CryptoError} `bad-parameters` on an out-of-range length
 */
export function hkdfSha256(provider: CryptoProvider, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 1 || length > MAX_HKDF_BYTES) {
    throw new CryptoError("bad-parameters", `HKDF output length must be in [1, ${MAX_HKDF_BYTES}], got ${length}`);
  }
  const prk = provider.hmacSha256(salt.length > 0 ? salt : new Uint8Array(MAC_BYTES), ikm);
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let block = 1, offset = 0; offset < length; block++) {
    previous = provider.hmacSha256(prk, concatBytes(previous, info, Uint8Array.of(block)));
    out.set(previous.subarray(0, Math.min(MAC_BYTES, length - offset)), offset);
    offset += MAC_BYTES;
  }
  return out;
}
