import type { KvOp, KvResult } from "@synod/raft";
import type { RuntimeMetrics } from "@synod/runtime";
import type { ApiError } from "./api-types.js";

/** How long a request waits for its outcome before answering 504 (indefinite). */
export const REQUEST_TIMEOUT_MS = 3_000;

/** An HTTP answer: a status and a JSON body (a string body is Prometheus text). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The replicated store behind the HTTP API: Raft (`raft-backend.ts`) or PBFT (`pbft-backend.ts`).
 * Each answers a write once its outcome is known here, and a read linearizably.
 */
export interface KvBackend {
  /** Apply `op` at most once for the session (client, seq). */
  write(client: number, seq: number, op: KvOp): Promise<Answer>;
  /** A linearizable read of `key`. */
  read(key: string): Promise<Answer>;
  /** The node's state for `/health`. */
  inspect(): Readonly<Record<string, unknown>>;
  readonly metrics: RuntimeMetrics;
  stop(): Promise<void>;
}

/** @returns an error answer */
export function errorAnswer(status: number, body: ApiError): Answer {
  return { status, body };
}

/** @returns the answer for a store result: 200 with `{ok, value?}`, or 422 when the store refused the command */
export function resultAnswer(result: KvResult): Answer {
  if (result.error !== undefined) return errorAnswer(422, { error: "rejected", message: result.error });
  return { status: 200, body: result.value === undefined ? { ok: result.ok } : { ok: result.ok, value: result.value } };
}

/** Requests waiting for their outcome, each with a timer that answers 504 when none comes. */
export class PendingAnswers<K> {
  private readonly pending = new Map<K, { readonly resolve: (answer: Answer) => void; readonly timer: NodeJS.Timeout }>();

  /**
   * Wait for the outcome of `key`; `onTimeout` answers when none comes in time. A request already
   * waiting under the same key is answered `superseded` first.
   */
  wait(key: K, onTimeout: Answer, superseded?: Answer): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      if (superseded !== undefined) this.settle(key, superseded);
      const timer = setTimeout(() => this.settle(key, onTimeout), REQUEST_TIMEOUT_MS);
      this.pending.set(key, { resolve, timer });
    });
  }

  /** Answer the request waiting under `key`, if any. @returns whether one was waiting */
  settle(key: K, answer: Answer): boolean {
    const pending = this.pending.get(key);
    if (pending === undefined) return false;
    this.pending.delete(key);
    clearTimeout(pending.timer);
    pending.resolve(answer);
    return true;
  }
}
