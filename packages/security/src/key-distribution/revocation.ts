import { err, ok, s, type NodeId, type Result } from "@synod/core";
import { utf8 } from "../bytes.js";
import { CryptoError } from "../crypto-error.js";
import type { Keyring } from "../keyring.js";
import { SIGNATURE_BYTES, type CryptoProvider } from "../provider.js";
import { MAX_EPOCH } from "../rotation.js";
import { statementBytes } from "../statement.js";

/**
 * A revocation of one key, signed by that very key (as a PGP revocation certificate): whoever holds
 * the key — its owner, or a thief — can withdraw it, and nobody else can. Accepting one is always
 * safe: at worst a key is withdrawn that its holder wanted withdrawn.
 */
export interface RevocationCertificate {
  readonly nodeId: NodeId;
  readonly epoch: number;
  readonly signature: Uint8Array;
}

/** Wire schema of a {@link RevocationCertificate}. */
export const revocationCertificateSchema = s.object({
  nodeId: s.nodeId(),
  epoch: s.int({ min: 0, max: MAX_EPOCH }),
  signature: s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES }),
});

/** @returns the bytes a revocation of (`nodeId`, `epoch`) is signed over */
export function revocationStatement(nodeId: NodeId, epoch: number): Uint8Array {
  return statementBytes("synod/revoke/v1", utf8(nodeId), epoch);
}

/** @returns the revocation of the key `secretKey` of (`nodeId`, `epoch`) */
export function createRevocation(provider: CryptoProvider, nodeId: NodeId, epoch: number, secretKey: Uint8Array): RevocationCertificate {
  return { nodeId, epoch, signature: provider.sign(secretKey, revocationStatement(nodeId, epoch)) };
}

/**
 * Check a revocation against the key it revokes and apply it to `keyring`.
 * @returns ok(true) when applied (or already revoked); err `unknown-signer` when the keyring does not
 *   know that key (yet: keep the certificate and try again after the next rotation), `bad-signature`
 */
export function applyRevocation(keyring: Keyring, provider: CryptoProvider, certificate: RevocationCertificate): Result<true, CryptoError> {
  const { nodeId, epoch } = certificate;
  const key = keyring.keysOf(nodeId).find((k) => k.epoch === epoch);
  if (key === undefined) return err(new CryptoError("unknown-signer", `no key of ${nodeId} for epoch ${epoch} to revoke (yet)`, { nodeId, epoch }));
  if (key.revoked) return ok(true);
  if (!provider.verify(key.publicKey, revocationStatement(nodeId, epoch), certificate.signature)) {
    return err(new CryptoError("bad-signature", `revocation of ${nodeId}#${epoch} is not signed by that key`, { nodeId, epoch }));
  }
  keyring.revokeKey(nodeId, epoch);
  return ok(true);
}
