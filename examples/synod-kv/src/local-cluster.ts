import { generateClusterCertificates, NODE_KEYS_FILE, writeNodeKeysFile } from "@synod/runtime";
import { createIdentity } from "@synod/security";
import { nodeProvider, nodeRandomBytes } from "@synod/security/node";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Options of {@link writeLocalCluster}. */
export interface LocalClusterOptions {
  /** Where the cluster file, certificates and data go. */
  readonly dir: string;
  readonly nodes: number;
  /** Peer ports are basePort+1…, HTTP ports basePort+101…. */
  readonly basePort: number;
  readonly security: "tls" | "plaintext";
  /** What replicates the store (default raft); `pbft` needs `tls`. */
  readonly protocol?: "raft" | "pbft";
  readonly tickMs?: number;
}

/**
 * Write a loopback cluster: `cluster.json` and (for TLS) a fresh CA, one Ed25519 identity per node,
 * node certificates for those keys made with openssl, and `node-keys.json` listing the public keys
 * (each node trusts them in its keyring, so a certificate must carry its node's identity key). All
 * kept when they already exist, so restarts reuse them.
 * @returns the cluster file's path and the node ids
 */
export function writeLocalCluster(options: LocalClusterOptions): { file: string; ids: string[] } {
  const { dir, nodes, basePort, security } = options;
  mkdirSync(dir, { recursive: true });
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const spec = Object.fromEntries(ids.map((id, i) => [id, { peer: `127.0.0.1:${basePort + 1 + i}`, http: `127.0.0.1:${basePort + 101 + i}` }]));
  const certs = join(dir, "certs");
  if (security === "tls" && !(existsSync(join(certs, NODE_KEYS_FILE)) && ids.every((id) => existsSync(join(certs, `${id}.crt`))))) writeBoundCertificates(certs, ids);
  const file = join(dir, "cluster.json");
  writeFileSync(file, `${JSON.stringify({ nodes: spec, protocol: options.protocol ?? "raft", security, certDir: "certs", dataDir: "data", tickMs: options.tickMs ?? 10 }, null, 2)}\n`);
  return { file, ids };
}

/**
 * Write a key-bound certificate directory: a fresh Ed25519 identity per node, a CA and each node's
 * certificate issued for its identity's key, and the public keys in `node-keys.json` (which
 * `tlsSecurity` loads into a keyring). The secret keys stay only in `<id>.key`.
 */
export function writeBoundCertificates(certs: string, ids: readonly string[]): void {
  const identities = ids.map((id) => createIdentity(nodeProvider, id, nodeRandomBytes));
  generateClusterCertificates(certs, ids, 7, { nodeKeys: new Map(identities.map((identity) => [identity.nodeId, identity.secretKey])) });
  writeNodeKeysFile(certs, new Map(identities.map((identity) => [identity.nodeId, identity.publicKey])));
}
