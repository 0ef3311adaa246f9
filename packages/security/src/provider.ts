import type { CryptoError } from "./crypto-error.js";
import type { RandomBytes } from "./random.js";

/** Which implementation a {@link CryptoProvider} is. */
export type CryptoProviderName = "node" | "noble" | "ideal";

/** A signing key pair. `secretKey` is 32 bytes, `publicKey` 32 bytes, for every provider. */
export interface SigningKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Bytes of a secret key, for every provider. */
export const SECRET_KEY_BYTES = 32;
/** Bytes of a public key, for every provider. */
export const PUBLIC_KEY_BYTES = 32;
/** Bytes of a signature, for every provider (the ideal provider pads to the same size). */
export const SIGNATURE_BYTES = 64;
/** Bytes of an HMAC-SHA256 tag, and of a SHA-256 digest. */
export const MAC_BYTES = 32;
/** Bytes of a proof of knowledge of a secret key. */
export const POSSESSION_PROOF_BYTES = 64;

/**
 * The cryptography a protocol receives at construction. Protocol packages only see this interface,
 * so they stay pure and deterministic; the driver picks the implementation:
 * - `node` (`@synod/security/node`): node:crypto (OpenSSL), the fastest under Node;
 * - `noble`: pure JS (@noble/ed25519, @noble/hashes), for browsers and other runtimes;
 * - `ideal`: the simulator's ideal signatures (see `createIdealProvider`).
 * `node` and `noble` produce identical bytes for identical inputs (Ed25519 is deterministic).
 *
 * Contract: `verify*` and `check*` never throw, whatever the bytes; `sign` and `getPublicKey`
 * throw {@link CryptoError} only on a malformed local secret key (a caller bug, not peer input).
 */
export interface CryptoProvider {
  /** Which implementation this is. */
  readonly name: CryptoProviderName;
  /**
   * @param randomBytes - the injected randomness (32 bytes are drawn)
   * @returns a fresh key pair
   */
  generateKeyPair(randomBytes: RandomBytes): SigningKeyPair;
  /** @returns the public key of `secretKey`; @throws {CryptoError} `bad-length` */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** @returns the deterministic signature of `message`; @throws {CryptoError} `bad-length` (the key), `bad-parameters` (a message that is not bytes) */
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  /** @returns whether `signature` is a valid signature of `message` under `publicKey`; never throws */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** @returns undefined when `publicKey` is acceptable for this provider, else why not; never throws */
  checkPublicKey(publicKey: Uint8Array): CryptoError | undefined;
  /** @returns undefined when `signature` is well formed (not necessarily valid), else why not; never throws */
  checkSignature(signature: Uint8Array): CryptoError | undefined;
  /**
   * A non-interactive proof that the caller knows the secret key of its public key, bound to
   * `context` (e.g. the node id being registered). Used for key registration.
   * @param randomBytes - nonce randomness (hedged with the secret key, so a weak source does not leak it)
   */
  provePossession(secretKey: Uint8Array, context: Uint8Array, randomBytes: RandomBytes): Uint8Array;
  /** @returns whether `proof` proves knowledge of the secret key of `publicKey` for `context`; never throws */
  verifyPossession(publicKey: Uint8Array, context: Uint8Array, proof: Uint8Array): boolean;
  /**
   * Diffie–Hellman between our signing key and a peer's public key (X25519 on the Montgomery form of
   * the Ed25519 keys for `node`/`noble`). Both sides obtain the same 32 bytes. Feed it to a KDF.
   * @throws {CryptoError} `bad-length`, `not-on-curve` or `small-order` on a bad peer key
   */
  sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
  /** @returns SHA-256 of `data` */
  sha256(data: Uint8Array): Uint8Array;
  /** @returns HMAC-SHA256 of `data` under `key` */
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
}
