import fc from "fast-check";
import type { HistoryEvent } from "@synod/core";
import { describe, expect, it } from "vitest";
import { checkOperations, createKvModel, createRegisterModel, operationsFromHistory, type KvOp, type KvResult, type Model, type Operation, type ValueState } from "../src/index.js";
import { sequentialKvHistory } from "./generators.js";
import { bruteForceLinearizable } from "./reference-checker.js";

const SEED = 0x5eed_4;
const VALUES = [null, "1", "2"] as const;
const READS = [null, "1", "2", "12", "21", "11", "22", "122", "212"] as const;

/** A random small history: clients invoke random ops and complete them with random results. */
const historyArbitrary = (keys: readonly string[]) =>
  fc
    .array(
      fc.record({
        client: fc.integer({ min: 0, max: 2 }),
        kind: fc.constantFrom("invoke", "invoke", "ok", "ok", "ok", "unknown", "unknown", "fail"),
        type: fc.constantFrom("get", "get", "put", "cas", "append", "delete"),
        key: fc.constantFrom(...keys),
        value: fc.constantFrom(...VALUES),
        expected: fc.constantFrom(...VALUES),
        read: fc.constantFrom(...READS),
        ok: fc.boolean(),
      }),
      { maxLength: 16 },
    )
    .map((steps) => {
      const events: HistoryEvent<KvOp, KvResult>[] = [];
      const pending = new Map<number, { id: number; op: KvOp }>();
      let nextId = 0;
      let invoked = 0;
      for (const s of steps) {
        const open = pending.get(s.client);
        if (open === undefined) {
          if (s.kind !== "invoke" || invoked >= 7) continue;
          invoked++;
          const op: KvOp = s.type === "get" || s.type === "delete" ? { type: s.type, key: s.key } : s.type === "cas" ? { type: "cas", key: s.key, expected: s.expected, value: s.value ?? "1" } : { type: s.type, key: s.key, value: s.value ?? "2" };
          const id = nextId++;
          pending.set(s.client, { id, op });
          events.push({ type: "invoke", id, client: s.client, timeMs: events.length, op });
          continue;
        }
        if (s.kind === "invoke") continue;
        pending.delete(s.client);
        const base = { id: open.id, client: s.client, timeMs: events.length };
        if (s.kind === "ok") {
          const result: KvResult = open.op.type === "get" ? { ok: true, value: s.read } : open.op.type === "cas" || open.op.type === "delete" ? { ok: s.ok } : { ok: true };
          events.push({ ...base, type: "ok", result });
        } else if (s.kind === "unknown") {
          events.push({ ...base, type: "unknown", reason: "timeout" });
        } else {
          events.push({ ...base, type: "fail", reason: "refused" });
        }
      }
      return events;
    });

function expectAgreesWithBruteForce(model: Model<ValueState, KvOp, KvResult>, events: readonly HistoryEvent<KvOp, KvResult>[]): void {
  const ops = operationsFromHistory(events);
  const result = checkOperations(model, ops, { timeoutMs: 60_000 });
  // The oracle works on each partition separately only through the model's own semantics: run it on the whole history with a one-partition view.
  const byKey = new Map<string, Operation<KvOp, KvResult>[]>();
  for (const op of ops) {
    const key = model.partition?.(op.input) ?? "";
    byKey.set(key, [...(byKey.get(key) ?? []), op]);
  }
  const expected = [...byKey.values()].every((part) => bruteForceLinearizable(model, part));
  expect(result.linearizable, JSON.stringify(events)).toBe(expected);
  if (result.linearizable === true) {
    for (const order of result.linearizations?.values() ?? []) {
      let state = model.init();
      order.forEach((op, i) => {
        for (const later of order.slice(i + 1)) expect(later.ret > op.call).toBe(true);
        const stepped = model.step(state, op.input, op.output);
        expect(stepped.ok).toBe(true);
        if (stepped.ok) state = stepped.state;
      });
      for (const op of ops) if (!op.unknown && byKey.has(model.partition?.(op.input) ?? "")) expect(order.filter((o) => o === op).length <= 1).toBe(true);
    }
  } else if (result.linearizable === false) {
    expect(result.witness).toBeDefined();
    expect(result.witness?.operation.unknown).toBe(false);
  }
}

describe("search agrees with a brute-force oracle (fast-check, seed printed on failure)", () => {
  it("register histories (one partition), with unknown and failed operations", () => {
    const model = createRegisterModel();
    fc.assert(
      fc.property(historyArbitrary(["r"]), (events) => expectAgreesWithBruteForce(model, events)),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it("key-value histories over two keys (partitioned)", () => {
    const model = createKvModel();
    fc.assert(
      fc.property(historyArbitrary(["a", "b"]), (events) => expectAgreesWithBruteForce(model, events)),
      { seed: SEED + 1, numRuns: 1500 },
    );
  });

  it("histories heavy in identical unknown-outcome appends (the symmetry reduction's corner)", () => {
    const model = createKvModel();
    const arbitrary = fc.record({
      appends: fc.array(fc.record({ value: fc.constantFrom("1", "2"), unknown: fc.boolean() }), { minLength: 1, maxLength: 5 }),
      reads: fc.array(fc.record({ at: fc.nat(6), value: fc.stringMatching(/^[12]{0,4}$/) }), { minLength: 1, maxLength: 2 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ appends, reads }) => {
        const events: HistoryEvent<KvOp, KvResult>[] = [];
        let id = 0;
        const steps: (() => void)[] = [];
        appends.forEach((a, client) => {
          const opId = id++;
          events.push({ type: "invoke", id: opId, client, timeMs: events.length, op: { type: "append", key: "k", value: a.value } });
          steps.push(() => events.push(a.unknown ? { type: "unknown", id: opId, client, timeMs: events.length, reason: "timeout" } : { type: "ok", id: opId, client, timeMs: events.length, result: { ok: true } }));
        });
        reads.forEach((r) => {
          steps.splice(Math.min(r.at, steps.length), 0, () => {
            const opId = id++;
            events.push({ type: "invoke", id: opId, client: 100 + opId, timeMs: events.length, op: { type: "get", key: "k" } });
            events.push({ type: "ok", id: opId, client: 100 + opId, timeMs: events.length, result: { ok: true, value: r.value === "" ? null : r.value } });
          });
        });
        for (const step of steps) step();
        expectAgreesWithBruteForce(model, events);
      }),
      { seed: SEED + 2, numRuns: 1000 },
    );
  });

  it("near-linearizable histories: a sequential run over few values, one result perturbed half the time", () => {
    const model = createRegisterModel();
    const arbitrary = fc.tuple(
      sequentialKvHistory({ clients: 3, keys: ["r"], values: ["1", "2"], maxSteps: 24, maxOperations: 7 }),
      fc.boolean(),
      fc.nat(),
      fc.constantFrom(null, "1", "2", "12", "21"),
    );
    fc.assert(
      fc.property(arbitrary, ([events, perturb, pick, value]) => {
        const oks = events.flatMap((e, i) => (e.type === "ok" ? [i] : []));
        const target = perturb && oks.length > 0 ? (oks[pick % oks.length] as number) : -1;
        const perturbed = events.map((e, i) => (i === target && e.type === "ok" ? { ...e, result: e.result.value !== undefined ? { ok: true, value } : { ok: !e.result.ok } } : e));
        expectAgreesWithBruteForce(model, perturbed);
      }),
      { seed: SEED + 3, numRuns: 3000 },
    );
  });

  it("the oracle itself distinguishes (sanity: both verdicts occur in the generated histories)", () => {
    const model = createRegisterModel();
    const verdicts = new Set<boolean>();
    fc.assert(
      fc.property(historyArbitrary(["r"]), (events) => {
        verdicts.add(bruteForceLinearizable(model, operationsFromHistory(events)));
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect([...verdicts].sort()).toEqual([false, true]);
  });
});
