import type { NodeId } from "@synod/core";
import type { Keyring } from "@synod/security";
import type { PeerCertificate } from "node:tls";
import { ed25519KeyOfCertificate } from "../tls/ed25519-key.js";

/**
 * The Ed25519 public key a node id holds now, or undefined when it holds none (unknown or revoked).
 * With one in {@link TransportSecurity}, a peer's TLS certificate must carry exactly that key: the
 * certificate authority vouches for the id, the keyring for the key.
 */
export type PeerKeyLookup = (nodeId: NodeId) => Uint8Array | undefined;

/**
 * Bind TLS certificates to a keyring: a peer's certificate must carry the key the keyring holds for
 * its node id at its current epoch. After a rotation (`Keyring.applyRotation`) a certificate for the
 * old key is refused at the next connection; after a revocation every certificate of the node is.
 * @example
 * const keyring = new Keyring(nodeProvider);
 * keyring.registerTrusted("n2", n2PublicKey);
 * const security = { mode: "tls", tls, peerKeys: keyringPeerKeys(keyring) };
 */
export function keyringPeerKeys(keyring: Keyring): PeerKeyLookup {
  return (nodeId) => {
    const epoch = keyring.currentEpoch(nodeId);
    if (epoch === undefined) return undefined;
    const key = keyring.resolve(nodeId, epoch);
    return key.ok ? key.value : undefined;
  };
}

/**
 * Check that `cert`, issued to `nodeId`, carries the key `lookup` names for it.
 * @returns undefined when it does, else why not (for the rejection's log line)
 */
export function peerKeyProblem(lookup: PeerKeyLookup, nodeId: NodeId, cert: PeerCertificate | undefined): string | undefined {
  const expected = lookup(nodeId);
  if (expected === undefined) return `the keyring holds no current key for ${nodeId}`;
  const presented = ed25519KeyOfCertificate(cert);
  if (presented === undefined) return `${nodeId}'s certificate does not carry an Ed25519 key`;
  const same = presented.length === expected.length && presented.every((byte, i) => byte === expected[i]);
  if (!same) return `${nodeId}'s certificate carries a key the keyring does not hold for it`;
  return undefined;
}
