import { bls12_381 } from "@noble/curves/bls12-381.js";
import { err, ok, type Result } from "@synod/core";
import { bigIntToBytesBE, bytesToBigIntBE, equalBytes } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import type { RandomBytes } from "./random.js";

const scheme = bls12_381.longSignatures;
type G1Point = ReturnType<typeof scheme.getPublicKey>;
type G2Point = ReturnType<typeof scheme.sign>;

/** BLS12-381 secret keys: 32 bytes, a big-endian scalar in [1, r). */
export const BLS_SECRET_KEY_BYTES = 32;
/** BLS12-381 public keys live in G1: 48 bytes compressed. */
export const BLS_PUBLIC_KEY_BYTES = 48;
/** BLS12-381 signatures live in G2: 96 bytes compressed. */
export const BLS_SIGNATURE_BYTES = 96;
/** Most signatures or keys aggregated in one call. */
export const MAX_BLS_AGGREGATE = 4096;
/** The order r of the BLS12-381 scalar field. */
export const BLS_SCALAR_ORDER: bigint = bls12_381.fields.Fr.ORDER;

/** Domain separation tag for signatures: the IETF / Ethereum proof-of-possession ciphersuite. */
export const BLS_SIGNATURE_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/** Domain separation tag for proofs of possession (distinct from signatures, as the IETF draft requires). */
export const BLS_POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/** A BLS key pair. */
export interface BlsKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** @internal decode a secret key to its scalar; @throws {CryptoError} */
export function blsSecretScalar(secretKey: Uint8Array): bigint {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== BLS_SECRET_KEY_BYTES) {
    throw new CryptoError("bad-length", `a BLS secret key is ${BLS_SECRET_KEY_BYTES} bytes`);
  }
  const scalar = bytesToBigIntBE(secretKey);
  if (scalar === 0n || scalar >= BLS_SCALAR_ORDER) throw new CryptoError("non-canonical", "BLS secret key must be a scalar in [1, r)");
  return scalar;
}

/** @internal encode a scalar in [1, r) as a secret key */
export function blsSecretKeyFromScalar(scalar: bigint): Uint8Array {
  return bigIntToBytesBE(scalar, BLS_SECRET_KEY_BYTES);
}

/**
 * Decode a public key: 48 bytes, a point of G1's prime-order subgroup, not the identity.
 * @returns the point, or err (`bad-length`, `not-on-curve`, `small-order` for the identity)
 */
export function parseBlsPublicKey(publicKey: Uint8Array): Result<G1Point, CryptoError> {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== BLS_PUBLIC_KEY_BYTES) {
    return err(new CryptoError("bad-length", `a BLS public key is ${BLS_PUBLIC_KEY_BYTES} bytes`));
  }
  let point: G1Point;
  try {
    point = bls12_381.G1.Point.fromBytes(publicKey);
    point.assertValidity();
  } catch {
    return err(new CryptoError("not-on-curve", "BLS public key is not a point of the G1 subgroup"));
  }
  if (point.is0()) return err(new CryptoError("small-order", "BLS public key is the identity point"));
  return ok(point);
}

/**
 * Decode a signature: 96 bytes, a point of G2's prime-order subgroup.
 * @returns the point, or err (`bad-length`, `not-on-curve`)
 */
export function parseBlsSignature(signature: Uint8Array): Result<G2Point, CryptoError> {
  if (!(signature instanceof Uint8Array) || signature.length !== BLS_SIGNATURE_BYTES) {
    return err(new CryptoError("bad-length", `a BLS signature is ${BLS_SIGNATURE_BYTES} bytes`));
  }
  try {
    const point = scheme.Signature.fromBytes(signature);
    point.assertValidity();
    return ok(point);
  } catch {
    return err(new CryptoError("not-on-curve", "BLS signature is not a point of the G2 subgroup"));
  }
}

/** @internal */
export function encodeBlsSignature(point: G2Point): Uint8Array {
  return scheme.Signature.toBytes(point);
}

/** @internal hash a message to G2 with the signature DST */
export function hashToSignatureGroup(message: Uint8Array): G2Point {
  return scheme.hash(message, BLS_SIGNATURE_DST);
}

/**
 * Generate a BLS key pair from injected randomness (64 bytes reduced mod r−1, plus 1: negligible bias).
 * @example
 * const keys = generateBlsKeyPair(seededRandomBytes(3));
 */
export function generateBlsKeyPair(randomBytes: RandomBytes): BlsKeyPair {
  const scalar = (bytesToBigIntBE(randomBytes(64)) % (BLS_SCALAR_ORDER - 1n)) + 1n;
  const secretKey = blsSecretKeyFromScalar(scalar);
  return { secretKey, publicKey: blsPublicKey(secretKey) };
}

/** @returns the 48-byte public key of `secretKey`; @throws {CryptoError} on a malformed key */
export function blsPublicKey(secretKey: Uint8Array): Uint8Array {
  blsSecretScalar(secretKey);
  return scheme.getPublicKey(secretKey).toBytes();
}

/** @returns the 96-byte signature of `message`; @throws {CryptoError} on a malformed key */
export function blsSign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  blsSecretScalar(secretKey);
  return encodeBlsSignature(scheme.sign(hashToSignatureGroup(message), secretKey));
}

/** @internal verify with decoded points */
export function blsVerifyPoints(publicKey: G1Point, message: Uint8Array, signature: G2Point): boolean {
  try {
    return scheme.verify(signature, hashToSignatureGroup(message), publicKey);
  } catch {
    return false;
  }
}

/**
 * Verify one signature (rejects malformed keys and signatures instead of throwing).
 * @returns whether `signature` is valid for `message` under `publicKey`
 */
export function blsVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = parseBlsPublicKey(publicKey);
  const sig = parseBlsSignature(signature);
  return key.ok && sig.ok && blsVerifyPoints(key.value, message, sig.value);
}

/**
 * A proof of possession: the signature, under the POP domain tag, of one's own public key. It stops
 * rogue-key attacks on same-message aggregation (choosing pk' = x·G − Σ pk_i needs no secret for
 * pk', but proving possession of it does).
 * @returns the 96-byte proof; @throws {CryptoError} on a malformed key
 */
export function blsProvePossession(secretKey: Uint8Array): Uint8Array {
  const publicKey = blsPublicKey(secretKey);
  return encodeBlsSignature(scheme.sign(scheme.hash(publicKey, BLS_POP_DST), secretKey));
}

/** A public key whose proof of possession was checked by {@link verifyBlsPossession}. */
export interface VerifiedBlsPublicKey {
  readonly publicKey: Uint8Array;
}

const verifiedPoints = new WeakMap<VerifiedBlsPublicKey, G1Point>();

/**
 * Check a proof of possession and return the key in the only form the aggregate verifiers accept.
 * @returns the verified key, or err (key/proof encoding problems, `bad-proof`)
 * @example
 * const key = verifyBlsPossession(publicKey, proof); // register key.value
 */
export function verifyBlsPossession(publicKey: Uint8Array, proof: Uint8Array): Result<VerifiedBlsPublicKey, CryptoError> {
  const key = parseBlsPublicKey(publicKey);
  if (!key.ok) return key;
  const sig = parseBlsSignature(proof);
  if (!sig.ok) return sig;
  let valid = false;
  try {
    valid = scheme.verify(sig.value, scheme.hash(publicKey, BLS_POP_DST), key.value);
  } catch {
    valid = false;
  }
  if (!valid) return err(new CryptoError("bad-proof", "BLS proof of possession does not verify"));
  const verified: VerifiedBlsPublicKey = Object.freeze({ publicKey: publicKey.slice() });
  verifiedPoints.set(verified, key.value);
  return ok(verified);
}

/**
 * Add signatures into one aggregate (any messages, any signers).
 * @returns the 96-byte aggregate, or err (`bad-parameters` for none or too many, a signature's encoding problem with its index in `details.index`)
 */
export function aggregateBlsSignatures(signatures: readonly Uint8Array[]): Result<Uint8Array, CryptoError> {
  if (signatures.length === 0 || signatures.length > MAX_BLS_AGGREGATE) {
    return err(new CryptoError("bad-parameters", `aggregate 1 to ${MAX_BLS_AGGREGATE} signatures, got ${signatures.length}`));
  }
  const points: G2Point[] = [];
  for (const [index, signature] of signatures.entries()) {
    const point = parseBlsSignature(signature);
    if (!point.ok) return err(new CryptoError(point.error.reason, `signature ${index}: ${point.error.message}`, { index }));
    points.push(point.value);
  }
  return ok(encodeBlsSignature(scheme.aggregateSignatures(points)));
}

/**
 * Verify an aggregate of signatures on one message by several signers (fast aggregate verify: one
 * pairing check against the sum of the keys). Only keys with a checked proof of possession count;
 * any other object makes this return false.
 * @returns whether `aggregate` is the aggregate of valid signatures of `message` by all `keys`
 */
export function verifyBlsAggregate(keys: readonly VerifiedBlsPublicKey[], message: Uint8Array, aggregate: Uint8Array): boolean {
  if (keys.length === 0 || keys.length > MAX_BLS_AGGREGATE) return false;
  const points: G1Point[] = [];
  for (const key of keys) {
    const point = verifiedPoints.get(key);
    if (point === undefined) return false;
    points.push(point);
  }
  const sig = parseBlsSignature(aggregate);
  if (!sig.ok) return false;
  try {
    return blsVerifyPoints(scheme.aggregatePublicKeys(points), message, sig.value);
  } catch {
    return false;
  }
}

/**
 * Verify an aggregate of signatures on pairwise-distinct messages (one per signer). Distinct
 * messages make this safe without proofs of possession; repeated messages are refused.
 * @returns whether valid; false on any malformed input or repeated message
 */
export function verifyBlsAggregateDistinct(items: readonly { publicKey: Uint8Array; message: Uint8Array }[], aggregate: Uint8Array): boolean {
  if (items.length === 0 || items.length > MAX_BLS_AGGREGATE) return false;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) if (equalBytes(items[i]!.message, items[j]!.message)) return false;
  }
  const sig = parseBlsSignature(aggregate);
  if (!sig.ok) return false;
  const pairs: { message: G2Point; publicKey: G1Point }[] = [];
  for (const item of items) {
    const key = parseBlsPublicKey(item.publicKey);
    if (!key.ok) return false;
    pairs.push({ message: hashToSignatureGroup(item.message), publicKey: key.value });
  }
  try {
    return scheme.verifyBatch(sig.value, pairs);
  } catch {
    return false;
  }
}
