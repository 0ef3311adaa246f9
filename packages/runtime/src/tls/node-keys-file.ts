import { ConfigError, isNodeId, type NodeId } from "@synod/core";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file, beside the certificates, that lists every node's Ed25519 public key (hex). */
export const NODE_KEYS_FILE = "node-keys.json";

/**
 * Write the trusted public keys of a cluster (`{"n1": "<64 hex digits>", …}`): the configuration a
 * node loads into its keyring with `Keyring.registerTrusted` to bind peers' certificates to keys.
 * @returns the file's path
 */
export function writeNodeKeysFile(dir: string, publicKeys: ReadonlyMap<NodeId, Uint8Array>): string {
  const file = join(dir, NODE_KEYS_FILE);
  writeFileSync(file, `${JSON.stringify(Object.fromEntries([...publicKeys].map(([id, key]) => [id, Buffer.from(key).toString("hex")])), null, 2)}\n`);
  return file;
}

/**
 * Read a file written by {@link writeNodeKeysFile}.
 * @returns node id → public key, or undefined when `dir` has no such file (a cluster without key binding)
 * @throws {ConfigError} on `node-keys` naming the file and what is wrong with it
 */
export function readNodeKeysFile(dir: string): Map<NodeId, Uint8Array> | undefined {
  const file = join(dir, NODE_KEYS_FILE);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new ConfigError("node-keys", `${file} is not valid JSON (${(cause as Error).message}); regenerate it or remove it to run without key binding`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError("node-keys", `${file} must be an object of node id → hex public key`);
  }
  const keys = new Map<NodeId, Uint8Array>();
  for (const [id, hex] of Object.entries(parsed)) {
    if (!isNodeId(id) || typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) {
      throw new ConfigError("node-keys", `${file}: entry ${JSON.stringify(id)} must map a node id to 64 lowercase hex digits (an Ed25519 public key)`);
    }
    keys.set(id, new Uint8Array(Buffer.from(hex, "hex")));
  }
  return keys;
}
