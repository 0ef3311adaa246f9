import { ConfigError, type NodeId } from "@synod/core";
import { keyringPeerKeys, loadNodeCertificates, readNodeKeysFile, type TransportSecurity } from "@synod/runtime";
import { Keyring } from "@synod/security";
import { nodeProvider } from "@synod/security/node";

/**
 * Mutual TLS for node `id` from the certificate directory; when the directory lists the nodes' keys
 * (`node-keys.json`, written by the local cluster), they go into a keyring and every peer's
 * certificate must carry its node's key — a certificate the CA issued for another key is refused.
 * @throws {ConfigError} when `node-keys.json` is malformed or lists a key the keyring refuses
 */
export function tlsSecurity(certDir: string, id: NodeId): TransportSecurity {
  const tls = loadNodeCertificates(certDir, id);
  const keys = readNodeKeysFile(certDir);
  if (keys === undefined) return { mode: "tls", tls };
  const keyring = new Keyring(nodeProvider);
  for (const [node, key] of keys) {
    const registered = keyring.registerTrusted(node, key);
    if (!registered.ok) throw new ConfigError("node-keys", `${certDir}/node-keys.json: ${registered.error.message}`);
  }
  return { mode: "tls", tls, peerKeys: keyringPeerKeys(keyring) };
}
