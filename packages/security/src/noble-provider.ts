import * as ed from "@noble/ed25519";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { bytesToBigIntLE, concatBytes } from "./bytes.js";
import { checkEd25519PublicKey, checkEd25519SecretKey, checkEd25519Signature, ED25519_GROUP_ORDER } from "./ed25519-encoding.js";
import { ed25519InputsAcceptable } from "./ed25519-strict-verification.js";
import type { CryptoProvider, SigningKeyPair } from "./provider.js";
import type { RandomBytes } from "./random.js";
import { proveKnowledge, verifyKnowledge } from "./schnorr.js";
import { ed25519SharedSecret } from "./x25519.js";
import { requireMessageBytes } from "./message-bytes.js";

// @noble/ed25519 v3 ships async-only unless a synchronous SHA-512 is configured. Configure it once
// (the same function every caller would set), so the sync sign/verify below work.
if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512;

function requireSecretKey(secretKey: Uint8Array): void {
  const bad = checkEd25519SecretKey(secretKey);
  if (bad) throw bad;
}

/**
 * Cofactorless RFC 8032 verification: [S]B = R + [k]A exactly, k = SHA-512(R ‖ A ‖ M) mod L. This is
 * the equation OpenSSL checks; @noble/ed25519's own `verify` checks the cofactored one
 * ([8][S]B = [8]R + [8][k]A), which accepts signatures whose R has a small-order component — a
 * Byzantine signer could then make node:crypto and noble replicas disagree on one signature.
 */
function verifyCofactorless(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!ed25519InputsAcceptable(publicKey, message, signature)) return false;
  try {
    const A = ed.Point.fromBytes(publicKey, false);
    const R = ed.Point.fromBytes(signature.subarray(0, 32), false);
    const s = bytesToBigIntLE(signature.subarray(32, 64));
    const k = bytesToBigIntLE(sha512(concatBytes(signature.subarray(0, 32), publicKey, message))) % ED25519_GROUP_ORDER;
    const sB = s === 0n ? ed.Point.ZERO : ed.Point.BASE.multiply(s, false);
    const kA = k === 0n ? ed.Point.ZERO : A.multiplyUnsafe(k);
    return sB.subtract(kA).equals(R);
  } catch {
    return false;
  }
}

/**
 * The portable provider: pure JavaScript (@noble/ed25519 for Ed25519, @noble/hashes for SHA-256 and
 * HMAC, @noble/curves for X25519 and the Schnorr proof). Works in browsers and every JS runtime.
 * Verification is strict, cofactorless RFC 8032 after the shared encoding checks (canonical R, A;
 * S < L; no small-order A), so it accepts exactly what the node:crypto provider accepts.
 * @example
 * const keys = nobleProvider.generateKeyPair(seededRandomBytes(1));
 * const sig = nobleProvider.sign(keys.secretKey, message);
 * nobleProvider.verify(keys.publicKey, message, sig); // true
 */
export const nobleProvider: CryptoProvider = {
  name: "noble",
  generateKeyPair(randomBytes: RandomBytes): SigningKeyPair {
    const secretKey = randomBytes(32);
    requireSecretKey(secretKey);
    return { secretKey, publicKey: ed.getPublicKey(secretKey) };
  },
  getPublicKey(secretKey) {
    requireSecretKey(secretKey);
    return ed.getPublicKey(secretKey);
  },
  sign(secretKey, message) {
    requireSecretKey(secretKey);
    requireMessageBytes(message);
    return ed.sign(message, secretKey);
  },
  verify: verifyCofactorless,
  checkPublicKey: checkEd25519PublicKey,
  checkSignature: checkEd25519Signature,
  provePossession: proveKnowledge,
  verifyPossession: verifyKnowledge,
  sharedSecret: ed25519SharedSecret,
  sha256(data) {
    return sha256(data);
  },
  hmacSha256(key, data) {
    return hmac(sha256, key, data);
  },
};
