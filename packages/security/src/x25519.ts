import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { CryptoError, guardCrypto } from "./crypto-error.js";
import { checkEd25519PublicKey, checkEd25519SecretKey } from "./ed25519-encoding.js";

/**
 * X25519 Diffie–Hellman between an Ed25519 identity key and a peer's Ed25519 public key, both
 * converted to their Montgomery (Curve25519) form (RFC 7748; the birational map of RFC 8032 keys).
 * The raw output must go through a KDF (see `derivePairwiseKeys`).
 * @param secretKey - our 32-byte Ed25519 seed
 * @param peerPublicKey - the peer's 32-byte Ed25519 public key
 * @returns 32 shared bytes, equal on both sides
 * @throws {CryptoError} on a malformed key or an all-zero shared secret (small-order peer key)
 */
export function ed25519SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  const badSecret = checkEd25519SecretKey(secretKey);
  if (badSecret) throw badSecret;
  const badPeer = checkEd25519PublicKey(peerPublicKey);
  if (badPeer) throw badPeer;
  const shared = guardCrypto("not-on-curve", "peer public key", () =>
    x25519.getSharedSecret(ed25519.utils.toMontgomerySecret(secretKey), ed25519.utils.toMontgomery(peerPublicKey)),
  );
  if (shared.every((byte) => byte === 0)) throw new CryptoError("small-order", "X25519 shared secret is all zero (small-order peer key)");
  return shared;
}
