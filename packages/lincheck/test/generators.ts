import fc from "fast-check";
import type { HistoryEvent } from "@synod/core";
import type { KvOp, KvResult } from "../src/index.js";

/** Shape of the histories {@link sequentialKvHistory} generates. */
export interface SequentialHistoryShape {
  readonly clients: number;
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** Random steps drawn (each invokes, linearizes or completes one client's operation). */
  readonly maxSteps: number;
  /** At least this many steps (default 1). */
  readonly minSteps?: number;
  /** At most this many operations are invoked. */
  readonly maxOperations: number;
  /** Outcomes to draw from (repeat one to weight it); default 5 ok, 1 unknown-applied, 1 unknown-never, 1 fail. */
  readonly outcomes?: readonly ("ok" | "unknown-applied" | "unknown-never" | "fail")[];
  /** Operation types to draw from (repeat one to weight it); default get, get, put, append, cas, delete. */
  readonly types?: readonly KvOp["type"][];
}

interface Pending {
  readonly id: number;
  readonly op: KvOp;
  readonly outcome: string;
  result?: KvResult;
}

/**
 * Histories produced by a real sequential KV map with random concurrency windows: each operation
 * takes effect atomically at a random moment between its invocation and its completion (or never,
 * for failures and some timeouts); operations still pending at the end stay without completion.
 * Such a history is linearizable by construction (test generator).
 */
export function sequentialKvHistory(shape: SequentialHistoryShape): fc.Arbitrary<HistoryEvent<KvOp, KvResult>[]> {
  return fc
    .array(
      fc.record({
        client: fc.nat(shape.clients - 1),
        type: fc.constantFrom(...(shape.types ?? ["get", "get", "put", "append", "cas", "delete"])),
        key: fc.constantFrom(...shape.keys),
        value: fc.constantFrom(...shape.values),
        expectCurrent: fc.boolean(),
        outcome: fc.constantFrom(...(shape.outcomes ?? ["ok", "ok", "ok", "ok", "ok", "unknown-applied", "unknown-never", "fail"])),
      }),
      { minLength: shape.minSteps ?? 1, maxLength: shape.maxSteps },
    )
    .map((steps) => {
      const store = new Map<string, string>();
      const events: HistoryEvent<KvOp, KvResult>[] = [];
      const pending = new Map<number, Pending>();
      let nextId = 0;
      for (const s of steps) {
        const open = pending.get(s.client);
        if (open === undefined) {
          if (nextId >= shape.maxOperations) continue;
          const current = store.get(s.key) ?? null;
          const op: KvOp =
            s.type === "get" || s.type === "delete" ? { type: s.type, key: s.key }
            : s.type === "cas" ? { type: "cas", key: s.key, expected: s.expectCurrent ? current : s.value, value: s.value }
            : { type: s.type, key: s.key, value: s.value };
          const id = nextId++;
          pending.set(s.client, { id, op, outcome: s.outcome });
          events.push({ type: "invoke", id, client: s.client, timeMs: events.length, op });
          continue;
        }
        const applies = open.outcome === "ok" || open.outcome === "unknown-applied";
        if (applies && open.result === undefined) {
          open.result = applyToStore(store, open.op); // the linearization point
          continue;
        }
        pending.delete(s.client);
        const base = { id: open.id, client: s.client, timeMs: events.length };
        if (open.outcome === "fail") events.push({ ...base, type: "fail", reason: "refused" });
        else if (open.outcome === "ok" && open.result !== undefined) events.push({ ...base, type: "ok", result: open.result });
        else events.push({ ...base, type: "unknown", reason: "timeout" });
      }
      return events;
    });
}

/** Apply an operation to a plain map, the sequential specification the models implement. */
export function applyToStore(store: Map<string, string>, op: KvOp): KvResult {
  const current = store.get(op.key) ?? null;
  switch (op.type) {
    case "get":
      return { ok: true, value: current };
    case "put":
      store.set(op.key, op.value ?? "");
      return { ok: true };
    case "append":
      store.set(op.key, (current ?? "") + (op.value ?? ""));
      return { ok: true };
    case "cas":
      if (current !== (op.expected ?? null)) return { ok: false };
      store.set(op.key, op.value ?? "");
      return { ok: true };
    case "delete":
      store.delete(op.key);
      return { ok: current !== null };
  }
}
