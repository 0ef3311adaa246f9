import type { HistoryEvent } from "@synod/core";
import type { KvOp, KvResult } from "../src/index.js";

/** Builds a KV history event by event, in real-time order (test helper). */
export class HistoryBuilder {
  readonly events: HistoryEvent<KvOp, KvResult>[] = [];
  private nextId = 0;

  /** @returns the new operation's id */
  invoke(client: number, op: KvOp): number {
    const id = this.nextId++;
    this.events.push({ type: "invoke", id, client, timeMs: this.events.length, op });
    return id;
  }

  ok(id: number, result: KvResult = { ok: true }): this {
    this.events.push({ type: "ok", id, client: this.clientOf(id), timeMs: this.events.length, result });
    return this;
  }

  fail(id: number): this {
    this.events.push({ type: "fail", id, client: this.clientOf(id), timeMs: this.events.length, reason: "test" });
    return this;
  }

  unknown(id: number): this {
    this.events.push({ type: "unknown", id, client: this.clientOf(id), timeMs: this.events.length, reason: "timeout" });
    return this;
  }

  /** A whole operation with no concurrency: invoke then ok. */
  run(client: number, op: KvOp, result: KvResult = { ok: true }): this {
    return this.ok(this.invoke(client, op), result);
  }

  private clientOf(id: number): number {
    const invoke = this.events.find((e) => e.type === "invoke" && e.id === id);
    if (invoke === undefined) throw new Error(`no invoke for id ${id}`);
    return invoke.client;
  }
}

export const get = (key: string): KvOp => ({ type: "get", key });
export const put = (key: string, value: string): KvOp => ({ type: "put", key, value });
export const append = (key: string, value: string): KvOp => ({ type: "append", key, value });
export const cas = (key: string, expected: string | null, value: string): KvOp => ({ type: "cas", key, expected, value });
export const del = (key: string): KvOp => ({ type: "delete", key });
export const read = (value: string | null): KvResult => ({ ok: true, value });
