import type { KvOp, KvResult } from "@synod/raft";

/**
 * The HTTP API's wire types (JSON).
 *
 * | request | body | answer |
 * |---|---|---|
 * | `GET /kv/<key>` | — | 200 `{ok: true, value}` (null: absent), a linearizable read (ReadIndex) |
 * | `PUT /kv/<key>` | `{value, client?, seq?}` | 200 `{ok: true}` |
 * | `POST /kv/<key>/cas` | `{expected, value, client?, seq?}` | 200 `{ok}`: whether it swapped |
 * | `DELETE /kv/<key>` | `{client?, seq?}` (optional) | 200 `{ok}`: whether the key existed |
 * | `GET /health`, `GET /metrics` | — | the node's state (JSON); Prometheus text |
 *
 * Errors are `{error, message, …}` with a status that says whether the write may have happened:
 * - definite, nothing was applied: 400 `bad-request` (malformed JSON, bad key), 413, 421 `not-leader`
 *   (with `leader` and `leaderUrl` when known), 503 `unavailable` (refused: no leader, backpressure);
 * - indefinite, it may still apply: 504 `timeout`. Retry with the same `client` and `seq`: the
 *   session applies a command at most once and answers a retry with the recorded result.
 */
export interface ApiError {
  readonly error: "bad-request" | "too-large" | "not-found" | "not-leader" | "unavailable" | "timeout" | "rejected";
  readonly message: string;
  readonly leader?: string;
  readonly leaderUrl?: string;
  /** True when the write may have been applied (retry with the same session and seq). */
  readonly indefinite?: boolean;
}

/** A write's session: `client` (a random id the client picks once) and `seq` (1, 2, … per write). */
export interface Session {
  readonly client: number;
  readonly seq: number;
}

export type { KvOp, KvResult };
