import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { CryptoError, guardCrypto } from "./crypto-error.js";
import { checkEd25519PublicKey, checkEd25519SecretKey } from "./ed25519-encoding.js";

/**
 * Raw X25519 (RFC 7748): a 32-byte scalar times a 32-byte u-coordinate. May throw on input it refuses.
 * Two implementations exist: {@link nobleX25519} here and `nodeX25519` (OpenSSL) in `@synod/security/node`.
 */
export type X25519Function = (scalar: Uint8Array, uCoordinate: Uint8Array) => Uint8Array;

/** X25519 by @noble/curves (pure JS). */
export const nobleX25519: X25519Function = (scalar, uCoordinate) => x25519.getSharedSecret(scalar, uCoordinate);

/**
 * synod's X25519 rule: the raw function's output, refusing an all-zero shared secret (a low-order
 * peer key, RFC 7748 §6.1 "check") and turning any library exception into a {@link CryptoError}.
 * @returns the 32 shared bytes
 * @throws {CryptoError} `not-on-curve` when the implementation refuses the input, `small-order` on an all-zero result
 */
export function checkedX25519(implementation: X25519Function, scalar: Uint8Array, uCoordinate: Uint8Array): Uint8Array {
  const shared = guardCrypto("not-on-curve", "peer public key", () => implementation(scalar, uCoordinate));
  if (shared.every((byte) => byte === 0)) throw new CryptoError("small-order", "X25519 shared secret is all zero (small-order peer key)");
  return shared;
}

/**
 * X25519 Diffie–Hellman between an Ed25519 identity key and a peer's Ed25519 public key, both
 * converted to their Montgomery (Curve25519) form (RFC 7748; the birational map of RFC 8032 keys).
 * The raw output must go through a KDF (see `derivePairwiseKeys`).
 * @param secretKey - our 32-byte Ed25519 seed
 * @param peerPublicKey - the peer's 32-byte Ed25519 public key
 * @param implementation - the raw X25519 (default {@link nobleX25519})
 * @returns 32 shared bytes, equal on both sides
 * @throws {CryptoError} on a malformed key or an all-zero shared secret (small-order peer key)
 */
export function ed25519SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array, implementation: X25519Function = nobleX25519): Uint8Array {
  const badSecret = checkEd25519SecretKey(secretKey);
  if (badSecret) throw badSecret;
  const badPeer = checkEd25519PublicKey(peerPublicKey);
  if (badPeer) throw badPeer;
  const peer = guardCrypto("not-on-curve", "peer public key", () => ed25519.utils.toMontgomery(peerPublicKey));
  return checkedX25519(implementation, ed25519.utils.toMontgomerySecret(secretKey), peer);
}
