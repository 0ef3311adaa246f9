import { SynodError, type NodeId } from "@synod/core";
import type { Address } from "@synod/runtime";

/** One node of a cluster file: where it listens for peers and for HTTP clients. */
export interface NodeAddresses {
  readonly peer: Address;
  readonly http: Address;
}

/**
 * A cluster file (JSON), the same for every node:
 * `{"nodes": {"n1": {"peer": "127.0.0.1:7101", "http": "127.0.0.1:8101"}, …}, "protocol": "raft",
 *   "security": "tls", "certDir": "certs", "dataDir": "data", "tickMs": 10}`. Relative directories are
 * relative to the file.
 */
export interface ClusterConfig {
  readonly nodes: ReadonlyMap<NodeId, NodeAddresses>;
  /**
   * What replicates the store: `raft` (default; crash faults, a leader) or `pbft` (Byzantine faults:
   * at least 3f+1 nodes for f faulty ones; needs the key-bound certificates `synod-kv cluster` writes).
   */
  readonly protocol: "raft" | "pbft";
  /** `tls` (mutual TLS 1.3, certificates `<certDir>/<id>.crt|.key` and `ca.crt`) or `plaintext`. */
  readonly security: "tls" | "plaintext";
  readonly certDir: string;
  /** Each node's WAL lives in `<dataDir>/<id>`. */
  readonly dataDir: string;
  readonly tickMs: number;
  /**
   * Per-dialler overrides of peer addresses, `routes[from][to] = "host:port"`: node `from` dials
   * `to` there instead of at `to`'s peer address (a proxy in between, e.g. the fault-injecting proxy
   * of the end-to-end test). Optional.
   */
  readonly routes: ReadonlyMap<NodeId, ReadonlyMap<NodeId, Address>>;
}

function fail(why: string): never {
  throw new SynodError("config", `cluster file: ${why}`);
}

function parseAddress(value: unknown, where: string): Address {
  if (typeof value !== "string") fail(`${where} must be "host:port"`);
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) fail(`${where} must be "host:port", got ${JSON.stringify(value)}`);
  return { host: match[1] as string, port };
}

/**
 * Parse and validate a cluster file's text.
 * @param resolveDir - turns a directory named in the file into a path (relative to the file)
 * @throws {SynodError} code `config`, naming the bad field
 */
export function parseClusterConfig(text: string, resolveDir: (dir: string) => string): ClusterConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    fail(`not JSON (${(cause as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null) fail("must be a JSON object");
  const r = raw as Record<string, unknown>;
  if (typeof r.nodes !== "object" || r.nodes === null || Object.keys(r.nodes).length === 0) fail("nodes must name at least one node");
  const nodes = new Map<NodeId, NodeAddresses>();
  for (const [id, spec] of Object.entries(r.nodes as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) fail(`node id ${JSON.stringify(id)}: letters, digits, . _ - only`);
    const s = (spec ?? {}) as Record<string, unknown>;
    nodes.set(id, { peer: parseAddress(s.peer, `nodes.${id}.peer`), http: parseAddress(s.http, `nodes.${id}.http`) });
  }
  const protocol = r.protocol ?? "raft";
  if (protocol !== "raft" && protocol !== "pbft") fail(`protocol must be "raft" or "pbft"`);
  const security = r.security ?? "tls";
  if (security !== "tls" && security !== "plaintext") fail(`security must be "tls" or "plaintext"`);
  const tickMs = r.tickMs ?? 10;
  if (typeof tickMs !== "number" || !Number.isInteger(tickMs) || tickMs < 1 || tickMs > 1000) fail("tickMs must be an integer in [1, 1000]");
  const dir = (field: string, fallback: string): string => {
    const value = r[field] ?? fallback;
    if (typeof value !== "string" || value === "") fail(`${field} must be a directory`);
    return resolveDir(value);
  };
  const routes = new Map<NodeId, Map<NodeId, Address>>();
  if (r.routes !== undefined) {
    if (typeof r.routes !== "object" || r.routes === null) fail("routes must be an object");
    for (const [from, table] of Object.entries(r.routes as Record<string, unknown>)) {
      if (!nodes.has(from) || typeof table !== "object" || table === null) fail(`routes.${from} must name a node and map node ids to addresses`);
      const entries = Object.entries(table as Record<string, unknown>).map(([to, address]): [NodeId, Address] => {
        if (!nodes.has(to)) fail(`routes.${from}.${to}: unknown node`);
        return [to, parseAddress(address, `routes.${from}.${to}`)];
      });
      routes.set(from, new Map(entries));
    }
  }
  if (protocol === "pbft" && security !== "tls") fail(`protocol "pbft" needs security "tls": replicas sign with the Ed25519 keys of the key-bound certificates`);
  return { nodes, protocol, security, certDir: dir("certDir", "certs"), dataDir: dir("dataDir", "data"), tickMs, routes };
}

/** @returns the base URL of a node's HTTP API */
export function httpUrl(address: Address): string {
  return `http://${address.host}:${address.port}`;
}
