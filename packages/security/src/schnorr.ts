import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bigIntToBytesLE, bytesToBigIntLE, concatBytes, utf8 } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { checkEd25519PublicKey, checkEd25519SecretKey, ED25519_GROUP_ORDER } from "./ed25519-encoding.js";
import type { RandomBytes } from "./random.js";
import { statementBytes } from "./statement.js";

/** A Schnorr proof is R (32 bytes, a compressed point) then z (32 bytes, a scalar < L, little endian). */
export const SCHNORR_PROOF_BYTES = 64;

const DOMAIN = "synod/schnorr-pok/v1";
const L = ED25519_GROUP_ORDER;
const { Point } = ed25519;

function challenge(context: Uint8Array, publicKey: Uint8Array, commitment: Uint8Array): bigint {
  return bytesToBigIntLE(sha512(statementBytes(DOMAIN, context, publicKey, commitment))) % L;
}

/**
 * A non-interactive Schnorr proof of knowledge of the secret scalar s behind an Ed25519 public key
 * A = s·B (Fiat–Shamir: the challenge is a hash of the context, A and the commitment R). It is
 * zero-knowledge: it reveals nothing about s beyond A, and it is bound to `context` (e.g. the node
 * id being registered), so it cannot be replayed to register the key under another name.
 * The nonce is hedged: r = H(random ‖ s ‖ context), so a broken random source cannot leak s.
 * @param secretKey - the 32-byte Ed25519 seed
 * @param context - the registration context the proof is bound to
 * @param randomBytes - nonce randomness (32 bytes are drawn)
 * @returns the 64-byte proof
 * @throws {CryptoError} `bad-length` on a malformed secret key
 * @example
 * const proof = proveKnowledge(identity.secretKey, utf8("n4"), random);
 * verifyKnowledge(identity.publicKey, utf8("n4"), proof); // true
 */
export function proveKnowledge(secretKey: Uint8Array, context: Uint8Array, randomBytes: RandomBytes): Uint8Array {
  const bad = checkEd25519SecretKey(secretKey);
  if (bad) throw bad;
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secretKey);
  const s = scalar % L;
  const hedge = sha512(concatBytes(utf8(`${DOMAIN}/nonce`), randomBytes(32), bigIntToBytesLE(s, 32), context));
  let r = bytesToBigIntLE(hedge) % L;
  if (r === 0n) r = 1n;
  const commitment = Point.BASE.multiply(r).toBytes();
  const c = challenge(context, pointBytes, commitment);
  const z = (r + c * s) % L;
  return concatBytes(commitment, bigIntToBytesLE(z, 32));
}

/**
 * Verify a proof made by {@link proveKnowledge}: z·B = R + c·A, with A a valid, torsion-free key.
 * @returns true when the proof is valid for `publicKey` and `context`; never throws
 */
export function verifyKnowledge(publicKey: Uint8Array, context: Uint8Array, proof: Uint8Array): boolean {
  if (!(proof instanceof Uint8Array) || proof.length !== SCHNORR_PROOF_BYTES) return false;
  if (checkEd25519PublicKey(publicKey) !== undefined) return false;
  try {
    const A = Point.fromBytes(publicKey, false);
    if (!A.isTorsionFree()) return false;
    const commitment = proof.subarray(0, 32);
    const R = Point.fromBytes(commitment, false);
    const z = bytesToBigIntLE(proof.subarray(32, 64));
    if (z >= L) return false;
    const c = challenge(context, publicKey, commitment);
    const left = z === 0n ? Point.ZERO : Point.BASE.multiplyUnsafe(z);
    const right = c === 0n ? R : R.add(A.multiplyUnsafe(c));
    return left.equals(right);
  } catch {
    return false;
  }
}

/**
 * Like {@link verifyKnowledge}, but says why a proof is rejected.
 * @returns undefined when valid, else a {@link CryptoError} (`bad-length`, key problems, or `bad-proof`)
 */
export function checkKnowledge(publicKey: Uint8Array, context: Uint8Array, proof: Uint8Array): CryptoError | undefined {
  if (!(proof instanceof Uint8Array) || proof.length !== SCHNORR_PROOF_BYTES) {
    return new CryptoError("bad-length", `a Schnorr proof is ${SCHNORR_PROOF_BYTES} bytes`);
  }
  const badKey = checkEd25519PublicKey(publicKey);
  if (badKey) return badKey;
  return verifyKnowledge(publicKey, context, proof) ? undefined : new CryptoError("bad-proof", "proof of knowledge of the secret key does not verify");
}
