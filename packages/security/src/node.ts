/**
 * The node:crypto provider, a separate entry point (`@synod/security/node`) so that pure protocol
 * packages importing `@synod/security` never load a `node:` module. Drivers running under Node
 * import this one and pass `nodeProvider` to the protocols they construct.
 * @module
 */
import { createHmac, hash, createPrivateKey, createPublicKey, diffieHellman, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import { checkEd25519PublicKey, checkEd25519SecretKey, checkEd25519Signature } from "./ed25519-encoding.js";
import { ed25519InputsAcceptable } from "./ed25519-strict-verification.js";
import type { CryptoProvider, SigningKeyPair } from "./provider.js";
import type { RandomBytes } from "./random.js";
import { proveKnowledge, verifyKnowledge } from "./schnorr.js";
import { ed25519SharedSecret, type X25519Function } from "./x25519.js";
import { requireMessageBytes } from "./message-bytes.js";

/** Largest number of parsed key objects kept per kind (private, public): bounds memory. */
export const NODE_KEY_CACHE_ENTRIES = 4096;

// DER prefixes wrapping a raw 32-byte Ed25519 key (RFC 8410): PKCS#8 for the seed, SPKI for the public key.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

class KeyCache {
  private readonly entries = new Map<string, KeyObject>();

  constructor(private readonly make: (raw: Buffer) => KeyObject) {}

  get(raw: Uint8Array): KeyObject {
    const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const id = buffer.toString("base64");
    let key = this.entries.get(id);
    if (key === undefined) {
      key = this.make(buffer);
      if (this.entries.size >= NODE_KEY_CACHE_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(id, key);
    }
    return key;
  }
}

// The same for X25519 keys (RFC 8410, OID 1.3.101.110).
const X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const X25519_SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

const privateKeys = new KeyCache((raw) => createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: "der", type: "pkcs8" }));
const publicKeys = new KeyCache((raw) => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" }));

/**
 * @returns the bytes of `buffer` as a plain Uint8Array: a view when the Buffer owns its memory alone
 * (a digest's, an HMAC's), else a copy (never a view into Node's shared pool)
 */
function plain(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength) return new Uint8Array(buffer.buffer);
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

function requireSecretKey(secretKey: Uint8Array): void {
  const bad = checkEd25519SecretKey(secretKey);
  if (bad) throw bad;
}

function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  requireSecretKey(secretKey);
  const spki = createPublicKey(privateKeys.get(secretKey)).export({ format: "der", type: "spki" });
  return plain(spki.subarray(SPKI_PREFIX.length));
}

/**
 * X25519 by node:crypto (OpenSSL), the second implementation beside `nobleX25519`. Throws when
 * OpenSSL refuses the input (it refuses an all-zero shared secret itself).
 */
export const nodeX25519: X25519Function = (scalar, uCoordinate) => {
  const privateKey = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, uCoordinate]), format: "der", type: "spki" });
  return plain(diffieHellman({ privateKey, publicKey }));
};

/**
 * Secure random bytes from node:crypto (the production {@link RandomBytes}).
 * @param length - how many bytes
 */
export const nodeRandomBytes: RandomBytes = (length: number) => plain(randomBytes(length));

/**
 * The default provider under Node: Ed25519, SHA-256 and HMAC through node:crypto (OpenSSL), with
 * parsed keys cached (bounded). Produces byte-identical signatures to `nobleProvider` and accepts
 * exactly the same signatures: both run the same cheap checks first (canonical R and A, S < L, no
 * small-order A — OpenSSL alone would accept a small-order key) and both verify cofactorless.
 * X25519 runs on OpenSSL too ({@link nodeX25519}); the Schnorr proof uses the same pure code as `nobleProvider`.
 * @example
 * import { nodeProvider, nodeRandomBytes } from "@synod/security/node";
 * const keys = nodeProvider.generateKeyPair(nodeRandomBytes);
 */
export const nodeProvider: CryptoProvider = {
  name: "node",
  generateKeyPair(random: RandomBytes): SigningKeyPair {
    const secretKey = random(32);
    return { secretKey, publicKey: publicKeyOf(secretKey) };
  },
  getPublicKey: publicKeyOf,
  sign(secretKey, message) {
    requireSecretKey(secretKey);
    requireMessageBytes(message);
    return plain(sign(null, message, privateKeys.get(secretKey)));
  },
  verify(publicKey, message, signature) {
    if (!ed25519InputsAcceptable(publicKey, message, signature)) return false;
    try {
      return verify(null, message, publicKeys.get(publicKey), signature);
    } catch {
      return false;
    }
  },
  checkPublicKey: checkEd25519PublicKey,
  checkSignature: checkEd25519Signature,
  provePossession: proveKnowledge,
  verifyPossession: verifyKnowledge,
  sharedSecret(secretKey, peerPublicKey) {
    return ed25519SharedSecret(secretKey, peerPublicKey, nodeX25519);
  },
  sha256(data) {
    return plain(hash("sha256", data, "buffer")); // one call, no Hash object: about half the CPU of createHash on a short message
  },
  hmacSha256(key, data) {
    return plain(createHmac("sha256", key).update(data).digest());
  },
};
