import { SynodError } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { randomInt } from "node:crypto";
import type { ApiError } from "./api-types.js";

/** Options of a {@link KvClient}. */
export interface KvClientOptions {
  /** Base URLs of the nodes' HTTP APIs (`http://127.0.0.1:8101`). */
  readonly endpoints: readonly string[];
  /** The session's client id (default: random). Two clients must never share one. */
  readonly clientId?: number;
  /** How long one operation may take, retries included (default 10 s). */
  readonly deadlineMs?: number;
  /** How long one HTTP attempt may take (default 1.5 s). */
  readonly attemptTimeoutMs?: number;
}

/** The operation's outcome is unknown: it may or may not have been applied (every retry was indefinite). */
export class IndeterminateError extends SynodError {
  constructor(message: string) {
    super("unsupported", message);
    this.name = "IndeterminateError";
  }
}

/** The operation definitely did not happen (refused, no leader until the deadline, bad request). */
export class DefiniteError extends SynodError {
  constructor(
    message: string,
    /** The server's error, when it answered. */
    readonly api?: ApiError,
  ) {
    super("unsupported", message);
    this.name = "DefiniteError";
  }
}

/**
 * A synod-kv client with a request session: every write carries (client, seq) and is retried —
 * at the leader a node names, else at the next node — with the same seq until its outcome is known
 * or the deadline passes, so a write applies exactly once however often it is retried. One
 * operation at a time per client (the session is sequential).
 *
 * @example
 * const kv = new KvClient({ endpoints: ["http://127.0.0.1:8101", "http://127.0.0.1:8102", "http://127.0.0.1:8103"] });
 * await kv.put("x", "1");
 * await kv.cas("x", "1", "2"); // { ok: true }
 * await kv.get("x");           // { ok: true, value: "2" }
 */
export class KvClient {
  /** The session's client id. */
  readonly clientId: number;
  private seq = 0;
  private current = 0;
  private busy = false;
  private readonly deadlineMs: number;
  private readonly attemptTimeoutMs: number;

  constructor(private readonly options: KvClientOptions) {
    if (options.endpoints.length === 0) throw new SynodError("usage", "KvClient needs at least one endpoint");
    this.clientId = options.clientId ?? randomInt(1, 2 ** 47);
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 1_500;
  }

  /** @returns the value under `key` (null: absent), read linearizably */
  get(key: string): Promise<KvResult> {
    return this.run({ type: "get", key });
  }

  /** Set `key` to `value`. */
  put(key: string, value: string): Promise<KvResult> {
    return this.run({ type: "put", key, value });
  }

  /** If `key` holds `expected` (null: absent), set it to `value`; `ok` says whether it swapped. */
  cas(key: string, expected: string | null, value: string): Promise<KvResult> {
    return this.run({ type: "cas", key, expected, value });
  }

  /** Remove `key`; `ok` says whether it existed. */
  delete(key: string): Promise<KvResult> {
    return this.run({ type: "delete", key });
  }

  /**
   * Run one operation until its outcome is known.
   * @throws {DefiniteError} when it definitely did not happen
   * @throws {IndeterminateError} when the deadline passed and it may have happened
   */
  async run(op: KvOp): Promise<KvResult> {
    if (this.busy) throw new SynodError("usage", "KvClient runs one operation at a time (its session is sequential); use one client per concurrent caller");
    this.busy = true;
    try {
      return await this.attempt(op, op.type === "get" ? 0 : ++this.seq);
    } finally {
      this.busy = false;
    }
  }

  private async attempt(op: KvOp, seq: number): Promise<KvResult> {
    const deadline = Date.now() + this.deadlineMs;
    let indefinite = false;
    let last = "no attempt";
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const base = this.options.endpoints[this.current] as string;
      let status: number;
      let body: Record<string, unknown>;
      try {
        ({ status, body } = await this.send(base, op, seq));
      } catch (cause) {
        // No answer: the request may have reached the node (a write may apply).
        if (op.type !== "get") indefinite = true;
        last = `${base}: ${(cause as Error).message}`;
        this.rotate();
        await pause(attempt);
        continue;
      }
      if (status === 200) return body as unknown as KvResult;
      const api = body as unknown as ApiError;
      last = `${base}: ${status} ${api.error}: ${api.message}`;
      if (status === 400 || status === 404 || status === 413 || status === 422) throw new DefiniteError(last, api);
      if (status === 504 && op.type !== "get") indefinite = true;
      const leader = api.leaderUrl === undefined ? -1 : this.options.endpoints.indexOf(api.leaderUrl);
      if (leader >= 0 && leader !== this.current) this.current = leader;
      else {
        this.rotate();
        await pause(attempt);
      }
    }
    if (indefinite) throw new IndeterminateError(`${op.type} ${op.key}: outcome unknown after ${this.deadlineMs} ms (last: ${last})`);
    throw new DefiniteError(`${op.type} ${op.key}: not applied within ${this.deadlineMs} ms (last: ${last})`);
  }

  private async send(base: string, op: KvOp, seq: number): Promise<{ status: number; body: Record<string, unknown> }> {
    const key = encodeURIComponent(op.key);
    const session = { client: this.clientId, seq };
    const [method, path, payload] =
      op.type === "get"
        ? ["GET", `/kv/${key}`, undefined]
        : op.type === "put"
          ? ["PUT", `/kv/${key}`, { value: op.value, ...session }]
          : op.type === "cas"
            ? ["POST", `/kv/${key}/cas`, { expected: op.expected ?? null, value: op.value, ...session }]
            : ["DELETE", `/kv/${key}`, session];
    const response = await fetch(`${base}${path}`, {
      method,
      signal: AbortSignal.timeout(this.attemptTimeoutMs),
      ...(payload === undefined ? {} : { body: JSON.stringify(payload), headers: { "content-type": "application/json" } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  private rotate(): void {
    this.current = (this.current + 1) % this.options.endpoints.length;
  }
}

/** Back off a little more after each failed attempt (10 ms … 200 ms, jittered). */
function pause(attempt: number): Promise<void> {
  const ms = Math.min(200, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
  return new Promise((r) => setTimeout(r, ms));
}
