import { ConfigError, isNodeId, s, type NodeId } from "@synod/core";
import { toHex, utf8 } from "./bytes.js";
import { POSSESSION_PROOF_BYTES, PUBLIC_KEY_BYTES, type CryptoProvider } from "./provider.js";
import type { RandomBytes } from "./random.js";
import { statementBytes } from "./statement.js";
import { requireIdentity } from "./identity-check.js";

/**
 * A node's signing identity: its id, the epoch of its current key (0 at creation, +1 per rotation)
 * and the key pair. The secret key never leaves the node; only {@link KeyRegistration}s and
 * rotation certificates are sent.
 */
export interface NodeIdentity {
  readonly nodeId: NodeId;
  readonly epoch: number;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** What a node sends to be registered: its id, public key and a proof it knows the secret key. */
export interface KeyRegistration {
  readonly nodeId: NodeId;
  readonly publicKey: Uint8Array;
  /** `provider.provePossession(secretKey, registrationContext(nodeId))`: a Schnorr proof for Ed25519 providers. */
  readonly proof: Uint8Array;
}

/** Wire schema of a {@link KeyRegistration} (sizes fixed). */
export const keyRegistrationSchema = s.object({
  nodeId: s.nodeId(),
  publicKey: s.bytes({ minLength: PUBLIC_KEY_BYTES, maxLength: PUBLIC_KEY_BYTES }),
  proof: s.bytes({ minLength: POSSESSION_PROOF_BYTES, maxLength: POSSESSION_PROOF_BYTES }),
});

/**
 * Create a fresh identity at epoch 0.
 * @param provider - the crypto provider (its key format is used)
 * @param nodeId - the node's id
 * @param randomBytes - the injected randomness for the key pair
 * @throws {ConfigError} when `nodeId` is not a valid NodeId
 * @example
 * const alice = createIdentity(nobleProvider, "n1", seededRandomBytes(7));
 */
export function createIdentity(provider: CryptoProvider, nodeId: NodeId, randomBytes: RandomBytes): NodeIdentity {
  if (!isNodeId(nodeId)) throw new ConfigError("nodeId", `must be a non-empty string of at most 64 characters, got ${JSON.stringify(nodeId)}`);
  if (typeof provider?.generateKeyPair !== "function") {
    throw new ConfigError("provider", "must be a CryptoProvider (nobleProvider, nodeProvider, createIdealProvider(…))");
  }
  if (typeof randomBytes !== "function") throw new ConfigError("randomBytes", "must be a function (n) => n random bytes");
  const { secretKey, publicKey } = provider.generateKeyPair(randomBytes);
  return { nodeId, epoch: 0, publicKey, secretKey };
}

/**
 * A self-certifying node id bound to a public key: `"k"` followed by the first 160 bits of
 * SHA-256("synod/node-id/v1" ‖ publicKey) in hex (41 characters). Anyone can check the binding, so
 * a node cannot claim someone else's id without their key. Use it when ids are not assigned by
 * configuration.
 * @returns the derived {@link NodeId}
 */
export function deriveNodeId(provider: CryptoProvider, publicKey: Uint8Array): NodeId {
  return `k${toHex(provider.sha256(statementBytes("synod/node-id/v1", publicKey))).slice(0, 40)}`;
}

/** @returns the bytes a registration proof is bound to (its node id, domain-separated) */
export function registrationContext(nodeId: NodeId): Uint8Array {
  return statementBytes("synod/register/v1", utf8(nodeId));
}

/**
 * Build the registration message for `identity`: the public key and a proof of knowledge of its
 * secret key, bound to the node id (so it cannot be replayed to register the key under another id).
 * @param randomBytes - nonce randomness for the proof
 * @returns the {@link KeyRegistration} to hand to `Keyring.register`
 */
export function createKeyRegistration(provider: CryptoProvider, identity: NodeIdentity, randomBytes: RandomBytes): KeyRegistration {
  requireIdentity(identity);
  return {
    nodeId: identity.nodeId,
    publicKey: identity.publicKey,
    proof: provider.provePossession(identity.secretKey, registrationContext(identity.nodeId), randomBytes),
  };
}
