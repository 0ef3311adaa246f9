import { s, type NodeId } from "@synod/core";
import { utf8 } from "./bytes.js";
import type { NodeIdentity } from "./identity.js";
import { requireIdentity } from "./identity-check.js";
import { POSSESSION_PROOF_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES, type CryptoProvider } from "./provider.js";
import type { RandomBytes } from "./random.js";
import { statementBytes } from "./statement.js";

/**
 * A key rotation: the node's new key for `epoch`, signed by its key of `epoch - 1` (so only the
 * holder of the current key can rotate it), with a proof of possession of the new secret key
 * (so nobody can rotate to a key they do not hold, e.g. someone else's).
 */
export interface RotationCertificate {
  readonly nodeId: NodeId;
  /** The new epoch, ≥ 1: exactly one more than the epoch of the signing key. */
  readonly epoch: number;
  readonly publicKey: Uint8Array;
  /** Signature by the previous key over {@link rotationStatement}. */
  readonly signature: Uint8Array;
  /** Proof of possession of the new secret key, bound to the rotation statement. */
  readonly proof: Uint8Array;
}

/** Largest epoch accepted anywhere (2^32 − 1): rotations are rare; this is a sanity bound. */
export const MAX_EPOCH = 0xffff_ffff;

/** Wire schema of a {@link RotationCertificate}. */
export const rotationCertificateSchema = s.object({
  nodeId: s.nodeId(),
  epoch: s.int({ min: 1, max: MAX_EPOCH }),
  publicKey: s.bytes({ minLength: PUBLIC_KEY_BYTES, maxLength: PUBLIC_KEY_BYTES }),
  signature: s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES }),
  proof: s.bytes({ minLength: POSSESSION_PROOF_BYTES, maxLength: POSSESSION_PROOF_BYTES }),
});

/** @returns the canonical bytes a rotation to `publicKey` at `epoch` is signed over */
export function rotationStatement(nodeId: NodeId, epoch: number, publicKey: Uint8Array): Uint8Array {
  return statementBytes("synod/rotate/v1", utf8(nodeId), epoch, publicKey);
}

/**
 * Rotate an identity to a fresh key at the next epoch.
 * @param provider - the crypto provider
 * @param identity - the current identity (its key signs the rotation)
 * @param randomBytes - randomness for the new key and its proof
 * @returns the new identity and the certificate every keyring must apply (`Keyring.applyRotation`)
 * @example
 * const { identity: next, certificate } = rotateIdentity(provider, identity, random);
 * keyring.applyRotation(certificate); // ok(1)
 */
export function rotateIdentity(
  provider: CryptoProvider,
  identity: NodeIdentity,
  randomBytes: RandomBytes,
): { identity: NodeIdentity; certificate: RotationCertificate } {
  requireIdentity(identity);
  const { secretKey, publicKey } = provider.generateKeyPair(randomBytes);
  const epoch = identity.epoch + 1;
  const statement = rotationStatement(identity.nodeId, epoch, publicKey);
  return {
    identity: { nodeId: identity.nodeId, epoch, publicKey, secretKey },
    certificate: {
      nodeId: identity.nodeId,
      epoch,
      publicKey,
      signature: provider.sign(identity.secretKey, statement),
      proof: provider.provePossession(secretKey, statement, randomBytes),
    },
  };
}
