import type { NodeId } from "@synod/core";
import { MAX_KEY_LENGTH, MAX_VALUE_LENGTH, type KvOp } from "@synod/raft";
import type { Logger, TransportSecurity } from "@synod/runtime";
import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { ClusterConfig } from "./cluster-config.js";
import { errorAnswer as error, type Answer, type KvBackend } from "./kv-backend.js";
import { tlsSecurity } from "./node-security.js";
import { PbftKvBackend } from "./pbft-backend.js";
import { RaftKvBackend } from "./raft-backend.js";

/** Largest request body. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * One synod-kv node: the HTTP API of `api-types.ts` over a replicated store — Raft or PBFT, as the
 * cluster file's `protocol` says (`raft-backend.ts`, `pbft-backend.ts`) — under the runtime (mutual
 * TLS, WAL).
 */
export class KvServer {
  private http: Server | undefined;
  private backend: KvBackend | undefined;

  private constructor(
    /** This node's id. */
    readonly id: NodeId,
  ) {}

  /**
   * Start the node and its HTTP API.
   * @throws {WalError} when the WAL cannot be opened; listen errors (address in use); {@link ConfigError} for PBFT without node keys
   */
  static async start(config: ClusterConfig, id: NodeId, options: { logger?: Logger; onFatal?: (e: Error) => void } = {}): Promise<KvServer> {
    const self = config.nodes.get(id);
    if (self === undefined) throw new Error(`node ${id} is not in the cluster file`);
    const server = new KvServer(id);
    const security: TransportSecurity = config.security === "tls" ? tlsSecurity(config.certDir, id) : { mode: "plaintext" };
    const runtime = {
      id,
      members: [...config.nodes.keys()],
      dataDir: join(config.dataDir, id),
      tickMs: config.tickMs,
      listen: self.peer,
      peers: new Map([...config.nodes].filter(([peer]) => peer !== id).map(([peer, a]) => [peer, config.routes.get(id)?.get(peer) ?? a.peer])),
      security,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
    };
    server.backend = config.protocol === "pbft" ? await PbftKvBackend.start({ config, runtime }) : await RaftKvBackend.start({ config, runtime });
    server.http = createServer((req, res) => void server.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.http?.once("error", reject);
      server.http?.listen(self.http.port, self.http.host, () => resolve());
    });
    return server;
  }

  /** The replicated store behind the API (metrics, inspection). */
  get node(): KvBackend {
    return this.backend as KvBackend;
  }

  /** Stop serving and stop the node. */
  async stop(): Promise<void> {
    this.http?.closeAllConnections();
    await new Promise<void>((r) => (this.http === undefined ? r() : this.http.close(() => r())));
    await this.backend?.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.route(req);
    } catch (error) {
      answer = { status: 500, body: { error: "internal", message: String(error) } };
    }
    if (answer.status === 200 && typeof answer.body === "string") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(answer.body);
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  }

  private async route(req: IncomingMessage): Promise<Answer> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (req.method === "GET" && path === "/health") return { status: 200, body: { id: this.id, ...this.node.inspect() } };
    if (req.method === "GET" && path === "/metrics") return { status: 200, body: await this.node.metrics.text() };
    const match = /^\/kv\/([^/]+)(\/cas)?$/.exec(path);
    if (match === null) return error(404, { error: "not-found", message: `no route ${req.method} ${path}` });
    let key: string;
    try {
      key = decodeURIComponent(match[1] as string);
    } catch {
      return error(400, { error: "bad-request", message: "key is not valid percent-encoding" });
    }
    if (key.length > MAX_KEY_LENGTH) return error(400, { error: "bad-request", message: `key longer than ${MAX_KEY_LENGTH} characters` });
    const isCas = match[2] !== undefined;
    if (req.method === "GET" && !isCas) return this.node.read(key);
    const body = await readJson(req);
    if ("status" in body) return body;
    const json = body.json;
    let op: KvOp;
    if (req.method === "PUT" && !isCas) {
      if (typeof json.value !== "string") return error(400, { error: "bad-request", message: "body.value must be a string" });
      op = { type: "put", key, value: json.value };
    } else if (req.method === "POST" && isCas) {
      if (typeof json.value !== "string" || (json.expected !== null && typeof json.expected !== "string")) return error(400, { error: "bad-request", message: "body.value must be a string and body.expected a string or null" });
      op = { type: "cas", key, expected: json.expected as string | null, value: json.value };
    } else if (req.method === "DELETE" && !isCas) op = { type: "delete", key };
    else return error(404, { error: "not-found", message: `no route ${req.method} ${path}` });
    if ([op.value, op.expected].some((v) => typeof v === "string" && v.length > MAX_VALUE_LENGTH)) {
      return error(400, { error: "bad-request", message: `value longer than ${MAX_VALUE_LENGTH} characters` });
    }
    const client = json.client ?? randomInt(1, 2 ** 47);
    const seq = json.seq ?? 1;
    if (!Number.isSafeInteger(client) || !Number.isSafeInteger(seq) || (client as number) < 1 || (seq as number) < 1) return error(400, { error: "bad-request", message: "client and seq must be positive integers" });
    return this.node.write(client as number, seq as number, op);
  }
}


async function readJson(req: IncomingMessage): Promise<{ json: Record<string, unknown> } | Answer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return error(413, { error: "too-large", message: `body over ${MAX_BODY_BYTES} bytes` });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { json: {} };
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== "object" || json === null || Array.isArray(json)) return error(400, { error: "bad-request", message: "body must be a JSON object" });
    return { json: json as Record<string, unknown> };
  } catch (cause) {
    return error(400, { error: "bad-request", message: `malformed JSON: ${(cause as Error).message}` });
  }
}
