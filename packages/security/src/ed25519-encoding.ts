import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToBigIntLE, fromHex } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";

/** Ed25519 secret keys (RFC 8032 seeds) are 32 bytes. */
export const ED25519_SECRET_KEY_BYTES = 32;
/** Ed25519 public keys are 32 bytes (a compressed Edwards point). */
export const ED25519_PUBLIC_KEY_BYTES = 32;
/** Ed25519 signatures are 64 bytes: R (32) then S (32). */
export const ED25519_SIGNATURE_BYTES = 64;

/** The order L of the Ed25519 prime-order subgroup. */
export const ED25519_GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const FIELD_PRIME = 2n ** 255n - 19n;

// The 8 points of small order (the torsion subgroup), canonically encoded, plus the two encodings
// with x = 0 and the sign bit set (the identity and the order-2 point), which only lax decoders accept.
const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  "0100000000000000000000000000000000000000000000000000000000000000",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
  "0100000000000000000000000000000000000000000000000000000000000080",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
].map(fromHex);

/**
 * @returns whether `point` (32 bytes) encodes a point of small order (canonically, or with the
 *   sign bit set on x = 0). Cheap: a comparison against 10 constants, no curve arithmetic.
 */
export function isSmallOrderEncoding(point: Uint8Array): boolean {
  return SMALL_ORDER_ENCODINGS.some((known) => known.every((byte, i) => byte === point[i]));
}

/** @returns whether the 255-bit y of a point encoding is reduced (y < p) */
export function isCanonicalFieldEncoding(point: Uint8Array): boolean {
  const y = bytesToBigIntLE(point) & ((1n << 255n) - 1n);
  return y < FIELD_PRIME;
}

/**
 * Check the encoding of an Ed25519 signature without verifying it: length, canonical R encoding
 * (y < p) and canonical S (S < L, RFC 8032 §5.1.7). Both providers run this first, so they reject
 * exactly the same malformed signatures.
 * @returns undefined when well formed, else the {@link CryptoError} (`bad-length` or `non-canonical`)
 */
export function checkEd25519Signature(signature: Uint8Array): CryptoError | undefined {
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) {
    return new CryptoError("bad-length", `an Ed25519 signature is ${ED25519_SIGNATURE_BYTES} bytes, got ${signature instanceof Uint8Array ? signature.length : typeof signature}`);
  }
  if (!isCanonicalFieldEncoding(signature.subarray(0, 32))) return new CryptoError("non-canonical", "signature R is not a canonical point encoding (y >= p)");
  if (bytesToBigIntLE(signature.subarray(32, 64)) >= ED25519_GROUP_ORDER) return new CryptoError("non-canonical", "signature S is not reduced (S >= L)");
  return undefined;
}

/**
 * Check an Ed25519 public key: length, canonical encoding, on the curve, and not of small order
 * (a small-order key lets anyone forge signatures that verify under it).
 * @returns undefined when acceptable, else the {@link CryptoError} (`bad-length`, `non-canonical`, `not-on-curve`, `small-order`)
 */
export function checkEd25519PublicKey(publicKey: Uint8Array): CryptoError | undefined {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    return new CryptoError("bad-length", `an Ed25519 public key is ${ED25519_PUBLIC_KEY_BYTES} bytes, got ${publicKey instanceof Uint8Array ? publicKey.length : typeof publicKey}`);
  }
  if (!isCanonicalFieldEncoding(publicKey)) return new CryptoError("non-canonical", "public key is not a canonical point encoding (y >= p)");
  let point;
  try {
    point = ed25519.Point.fromBytes(publicKey, false);
  } catch {
    return new CryptoError("not-on-curve", "public key does not decode to a point on Ed25519");
  }
  if (point.isSmallOrder()) return new CryptoError("small-order", "public key is a small-order point");
  return undefined;
}

/**
 * Check an Ed25519 secret key (seed) length.
 * @returns undefined when 32 bytes, else a `bad-length` {@link CryptoError}
 */
export function checkEd25519SecretKey(secretKey: Uint8Array): CryptoError | undefined {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== ED25519_SECRET_KEY_BYTES) {
    return new CryptoError("bad-length", `an Ed25519 secret key is ${ED25519_SECRET_KEY_BYTES} bytes, got ${secretKey instanceof Uint8Array ? secretKey.length : typeof secretKey}`);
  }
  return undefined;
}
