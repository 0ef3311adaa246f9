import type { NodeId } from "@synod/core";
import { encodeKvCommand, encodeKvQuery, KvStateMachine, MAX_KEY_LENGTH, MAX_VALUE_LENGTH, NotLeaderError, type KvOp, type KvReply, type KvResult, type RaftNode, type RaftOutput } from "@synod/raft";
import { raftProtocol, RuntimeNode, type Logger, type TransportSecurity } from "@synod/runtime";
import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { ApiError } from "./api-types.js";
import { httpUrl, type ClusterConfig } from "./cluster-config.js";
import { tlsSecurity } from "./node-security.js";

/** Largest request body. */
const MAX_BODY_BYTES = 64 * 1024;
/** How long a request waits for its outcome before answering 504 (indefinite). */
const REQUEST_TIMEOUT_MS = 3_000;

type KvNode = RuntimeNode<RaftNode<KvReply>, unknown, unknown, RaftOutput<KvReply>, unknown>;
type Answer = { status: number; body: unknown };
interface Pending {
  readonly resolve: (answer: Answer) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One synod-kv node: a Raft node under the runtime (mutual TLS, WAL) with the KV state machine, and
 * the HTTP API of `api-types.ts`. Writes are answered when their entry applies here (matched by
 * session: client and seq), reads when ReadIndex confirms them.
 */
export class KvServer {
  private readonly pendingWrites = new Map<string, Pending>();
  private readonly pendingReads = new Map<number, Pending>();
  private readonly tagSessions = new Map<number, string>();
  private nextTag = 1;
  private http: Server | undefined;
  private runtime: KvNode | undefined;

  private constructor(
    private readonly config: ClusterConfig,
    /** This node's id. */
    readonly id: NodeId,
  ) {}

  /**
   * Start the node and its HTTP API.
   * @throws {WalError} when the WAL cannot be opened; listen errors (address in use)
   */
  static async start(config: ClusterConfig, id: NodeId, options: { logger?: Logger; onFatal?: (e: Error) => void } = {}): Promise<KvServer> {
    const self = config.nodes.get(id);
    if (self === undefined) throw new Error(`node ${id} is not in the cluster file`);
    const server = new KvServer(config, id);
    const security: TransportSecurity = config.security === "tls" ? tlsSecurity(config.certDir, id) : { mode: "plaintext" };
    server.runtime = (await RuntimeNode.start({
      id,
      members: [...config.nodes.keys()],
      protocol: raftProtocol({ createStateMachine: () => new KvStateMachine(), config: { electionTimeoutTicks: 10, heartbeatTicks: 2 } }),
      dataDir: join(config.dataDir, id),
      tickMs: config.tickMs,
      listen: self.peer,
      peers: new Map([...config.nodes].filter(([peer]) => peer !== id).map(([peer, a]) => [peer, config.routes.get(id)?.get(peer) ?? a.peer])),
      security,
      onOutput: (o) => server.onOutput(o as RaftOutput<KvReply>),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
    })) as KvNode;
    server.http = createServer((req, res) => void server.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.http?.once("error", reject);
      server.http?.listen(self.http.port, self.http.host, () => resolve());
    });
    return server;
  }

  /** The runtime node (metrics, inspection). */
  get node(): KvNode {
    return this.runtime as KvNode;
  }

  /** Stop serving and stop the node. */
  async stop(): Promise<void> {
    this.http?.closeAllConnections();
    await new Promise<void>((r) => (this.http === undefined ? r() : this.http.close(() => r())));
    await this.runtime?.stop();
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
    if (req.method === "GET" && !isCas) return this.read(key);
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
    return this.write(client as number, seq as number, op);
  }

  private write(client: number, seq: number, op: KvOp): Promise<Answer> {
    const session = `${client}:${seq}`;
    const tag = this.nextTag++;
    return new Promise<Answer>((resolve) => {
      this.pendingWrites.get(session)?.resolve(error(504, { error: "timeout", message: "superseded by a retry of the same command", indefinite: true }));
      const timer = setTimeout(() => this.settleWrite(session, error(504, { error: "timeout", message: "no outcome yet; retry with the same client and seq", indefinite: true })), REQUEST_TIMEOUT_MS);
      this.pendingWrites.set(session, { resolve, timer });
      this.tagSessions.set(tag, session);
      this.node.request({ type: "propose", data: encodeKvCommand({ client, seq, op }), tag });
    });
  }

  private read(key: string): Promise<Answer> {
    const tag = this.nextTag++;
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => this.settleRead(tag, error(504, { error: "timeout", message: "read not confirmed in time" })), REQUEST_TIMEOUT_MS);
      this.pendingReads.set(tag, { resolve, timer });
      this.node.request({ type: "read", query: encodeKvQuery(key), tag });
    });
  }

  private onOutput(output: RaftOutput<KvReply>): void {
    switch (output.type) {
      case "apply":
        if (output.result !== undefined) this.settleWrite(`${output.result.client}:${output.result.seq}`, resultAnswer(output.result.result));
        return;
      case "proposed":
        this.tagSessions.delete(output.tag);
        return;
      case "read":
        this.settleRead(output.tag, resultAnswer(output.result.result));
        return;
      case "refused": {
        const answer = this.refusal(output.error, output.retryAt);
        const session = this.tagSessions.get(output.tag);
        if (session !== undefined) {
          this.tagSessions.delete(output.tag);
          this.settleWrite(session, answer);
        } else this.settleRead(output.tag, answer);
        return;
      }
      default:
        return;
    }
  }

  private refusal(err: Error, retryAt: NodeId): Answer {
    if (err instanceof NotLeaderError) {
      const leader = err.leader;
      const address = leader === undefined ? undefined : this.config.nodes.get(leader)?.http;
      return error(421, { error: "not-leader", message: err.message, ...(leader === undefined ? {} : { leader }), ...(address === undefined ? {} : { leaderUrl: httpUrl(address) }) });
    }
    const address = this.config.nodes.get(retryAt)?.http;
    return error(503, { error: "unavailable", message: err.message, ...(address === undefined ? {} : { leaderUrl: httpUrl(address) }) });
  }

  private settleWrite(session: string, answer: Answer): void {
    const pending = this.pendingWrites.get(session);
    if (pending === undefined) return;
    this.pendingWrites.delete(session);
    clearTimeout(pending.timer);
    pending.resolve(answer);
  }

  private settleRead(tag: number, answer: Answer): void {
    const pending = this.pendingReads.get(tag);
    if (pending === undefined) return;
    this.pendingReads.delete(tag);
    clearTimeout(pending.timer);
    pending.resolve(answer);
  }
}

function error(status: number, body: ApiError): Answer {
  return { status, body };
}

function resultAnswer(result: KvResult): Answer {
  if (result.error !== undefined) return error(422, { error: "rejected", message: result.error });
  return { status: 200, body: result.value === undefined ? { ok: result.ok } : { ok: result.ok, value: result.value } };
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
