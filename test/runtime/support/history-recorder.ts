import type { HistoryEvent } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { DefiniteError, IndeterminateError, type KvClient } from "synod-kv";

/**
 * Records a client history as `@synod/lincheck` reads it: `invoke` before the request leaves, then
 * `ok` with the result, `fail` when the client knows the operation did not happen (a definite
 * error), or `unknown` when it may have (every retry timed out).
 */
export class HistoryRecorder {
  readonly events: HistoryEvent<KvOp, KvResult>[] = [];
  private nextId = 0;
  private readonly startMs = Date.now();

  /** Run `op` with `client` (logical process `process`) and record it. */
  async run(process: number, client: KvClient, op: KvOp): Promise<"ok" | "fail" | "unknown"> {
    const id = this.nextId++;
    this.events.push({ type: "invoke", id, client: process, timeMs: this.now(), op });
    try {
      const result = await client.run(op);
      this.events.push({ type: "ok", id, client: process, timeMs: this.now(), result });
      return "ok";
    } catch (error) {
      if (error instanceof DefiniteError) {
        this.events.push({ type: "fail", id, client: process, timeMs: this.now(), reason: error.message });
        return "fail";
      }
      const reason = error instanceof IndeterminateError ? error.message : `unexpected: ${String(error)}`;
      this.events.push({ type: "unknown", id, client: process, timeMs: this.now(), reason });
      return "unknown";
    }
  }

  private now(): number {
    return Date.now() - this.startMs;
  }
}
