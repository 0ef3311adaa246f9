import { err, ok, s, type NodeId, type Result } from "@synod/core";
import { equalBytes, utf8 } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import type { PairwiseKeyTable } from "./pairwise-keys.js";
import { MAC_BYTES, type CryptoProvider } from "./provider.js";
import { statementBytes } from "./statement.js";

/**
 * @returns HMAC-SHA256 of `message` under `key` (32 bytes)
 */
export function computeMac(provider: CryptoProvider, key: Uint8Array, message: Uint8Array): Uint8Array {
  return provider.hmacSha256(key, message);
}

/**
 * Check a MAC in constant time.
 * @returns whether `mac` is HMAC-SHA256 of `message` under `key`; never throws
 */
export function verifyMac(provider: CryptoProvider, key: Uint8Array, message: Uint8Array, mac: Uint8Array): boolean {
  if (!(mac instanceof Uint8Array) || mac.length !== MAC_BYTES) return false;
  return equalBytes(provider.hmacSha256(key, message), mac);
}

/**
 * A PBFT authenticator: one MAC per receiver, each under the pairwise key the sender shares with
 * that receiver, over the digest of the message. Receiver i checks only its own entry. Cheaper than
 * a signature for small n, but not transferable: a receiver cannot prove to a third node what the
 * sender said (use signatures where PBFT needs that, e.g. view changes).
 */
export interface Authenticator {
  readonly sender: NodeId;
  /** MAC per receiver id. */
  readonly macs: Readonly<Record<NodeId, Uint8Array>>;
}

/** Most receivers of one authenticator (bounds work per message). */
export const MAX_AUTHENTICATOR_RECEIVERS = 1024;

/** Wire schema of an {@link Authenticator}. */
export const authenticatorSchema = s.object({
  sender: s.nodeId(),
  macs: s.record(s.bytes({ minLength: MAC_BYTES, maxLength: MAC_BYTES }), { maxEntries: MAX_AUTHENTICATOR_RECEIVERS, key: s.nodeId() }),
});

/** @returns the digest each authenticator MAC covers: SHA-256 of (domain, sender, message) */
export function authenticatorDigest(provider: CryptoProvider, sender: NodeId, message: Uint8Array): Uint8Array {
  return provider.sha256(statementBytes("synod/authenticator/v1", utf8(sender), message));
}

/**
 * Build the authenticator of `message` for `receivers` (the message is hashed once, then one
 * HMAC per receiver over the 32-byte digest).
 * @param keys - our pairwise key table (the sender is its owner)
 * @param receivers - who will check it; each must have keys in `keys`
 * @returns the authenticator
 * @throws {CryptoError} `unknown-signer` for a receiver without keys, `limit` over {@link MAX_AUTHENTICATOR_RECEIVERS}
 * @example
 * const auth = createAuthenticator(provider, table, ["n2", "n3", "n4"], bytes);
 */
export function createAuthenticator(provider: CryptoProvider, keys: PairwiseKeyTable, receivers: readonly NodeId[], message: Uint8Array): Authenticator {
  if (receivers.length > MAX_AUTHENTICATOR_RECEIVERS) throw new CryptoError("limit", `at most ${MAX_AUTHENTICATOR_RECEIVERS} receivers per authenticator`);
  const digest = authenticatorDigest(provider, keys.nodeId, message);
  const macs: Record<NodeId, Uint8Array> = Object.create(null) as Record<NodeId, Uint8Array>;
  for (const receiver of receivers) {
    const pair = keys.keysFor(receiver);
    if (!pair) throw new CryptoError("unknown-signer", `no pairwise key for receiver ${receiver}`, { receiver });
    macs[receiver] = provider.hmacSha256(pair.sendKey, digest);
  }
  return { sender: keys.nodeId, macs };
}

/**
 * Check our entry of an authenticator.
 * @param keys - our pairwise key table (we are its owner)
 * @returns ok, or err: `unknown-signer` (no keys for the sender), `bad-length` (no or malformed entry for us), `bad-signature`
 */
export function verifyAuthenticator(provider: CryptoProvider, keys: PairwiseKeyTable, authenticator: Authenticator, message: Uint8Array): Result<void, CryptoError> {
  const pair = keys.keysFor(authenticator.sender);
  if (!pair) return err(new CryptoError("unknown-signer", `no pairwise key for sender ${authenticator.sender}`, { sender: authenticator.sender }));
  const macs: unknown = authenticator.macs;
  const own = typeof macs === "object" && macs !== null && Object.prototype.hasOwnProperty.call(macs, keys.nodeId) ? authenticator.macs[keys.nodeId] : undefined;
  if (!(own instanceof Uint8Array) || own.length !== MAC_BYTES) {
    return err(new CryptoError("bad-length", `authenticator from ${authenticator.sender} has no ${MAC_BYTES}-byte entry for ${keys.nodeId}`, { sender: authenticator.sender }));
  }
  const digest = authenticatorDigest(provider, authenticator.sender, message);
  if (!equalBytes(provider.hmacSha256(pair.receiveKey, digest), own)) {
    return err(new CryptoError("bad-signature", `authenticator entry from ${authenticator.sender} does not verify`, { sender: authenticator.sender }));
  }
  return ok(undefined);
}
