import { generateClusterCertificates } from "@synod/runtime";
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
  readonly tickMs?: number;
}

/**
 * Write a loopback cluster: `cluster.json` and (for TLS) a fresh CA and node certificates made with
 * openssl (kept when they already exist, so restarts reuse them).
 * @returns the cluster file's path and the node ids
 */
export function writeLocalCluster(options: LocalClusterOptions): { file: string; ids: string[] } {
  const { dir, nodes, basePort, security } = options;
  mkdirSync(dir, { recursive: true });
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const spec = Object.fromEntries(ids.map((id, i) => [id, { peer: `127.0.0.1:${basePort + 1 + i}`, http: `127.0.0.1:${basePort + 101 + i}` }]));
  if (security === "tls" && !ids.every((id) => existsSync(join(dir, "certs", `${id}.crt`)))) generateClusterCertificates(join(dir, "certs"), ids);
  const file = join(dir, "cluster.json");
  writeFileSync(file, `${JSON.stringify({ nodes: spec, security, certDir: "certs", dataDir: "data", tickMs: options.tickMs ?? 10 }, null, 2)}\n`);
  return { file, ids };
}
