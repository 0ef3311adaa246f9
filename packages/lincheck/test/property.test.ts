import fc from "fast-check";
import type { HistoryEvent } from "@synod/core";
import { describe, expect, it } from "vitest";
import { checkOperations, createKvModel, operationsFromHistory, type KvOp, type KvResult } from "../src/index.js";
import { sequentialKvHistory } from "./generators.js";

const SEED = 20261122;
const linearizableHistory = sequentialKvHistory({ clients: 5, keys: ["a", "b", "c"], values: ["x", "y", "z"], maxSteps: 120, maxOperations: 60 });

describe("property: histories of a sequential KV map with concurrency windows", () => {
  const model = createKvModel();

  it("are linearizable", () => {
    fc.assert(
      fc.property(linearizableHistory, (events) => {
        const result = checkOperations(model, operationsFromHistory(events), { timeoutMs: 60_000 });
        expect(result.linearizable, result.witness?.text).toBe(true);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("are not linearizable once a completed read returns a value no write could have produced", () => {
    const withRead = linearizableHistory.filter((events) => events.some((e) => e.type === "ok" && e.result.value !== undefined));
    fc.assert(
      fc.property(withRead, fc.nat(), (events, pick) => {
        const reads = events.flatMap((e, i) => (e.type === "ok" && e.result.value !== undefined ? [i] : []));
        const target = reads[pick % reads.length] as number;
        const corrupted = events.map((e, i) => (i === target && e.type === "ok" ? { ...e, result: { ok: true, value: "never-written" } } : e));
        const result = checkOperations(model, operationsFromHistory(corrupted), { timeoutMs: 60_000 });
        expect(result.linearizable).toBe(false);
        const bad = corrupted[target] as HistoryEvent<KvOp, KvResult>;
        // The witness names an operation on the corrupted read's key (the search may block on an earlier-returning one).
        const key = operationsFromHistory(corrupted).find((op) => op.id === bad.id)?.input.key;
        expect(result.witness?.partition).toBe(key);
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });
});
