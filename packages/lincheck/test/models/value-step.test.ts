import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KvOp, KvResult } from "../../src/index.js";
import { ABSENT_STATE, equalValueStates, isKvReadOnly, kvInputKey, stepValue, valueState, type ValueState } from "../../src/models/value-step.js";

const SEED = 7_2026;
const value = fc.constantFrom(null, "", "a", "b", "ab");
const op: fc.Arbitrary<KvOp> = fc.oneof(
  fc.record({ type: fc.constant("get" as const), key: fc.constant("k") }),
  fc.record({ type: fc.constantFrom("put" as const, "append" as const), key: fc.constant("k"), value: fc.constantFrom("a", "b", "xyz") }),
  fc.record({ type: fc.constant("cas" as const), key: fc.constant("k"), expected: value, value: fc.constantFrom("a", "b") }),
  fc.record({ type: fc.constant("delete" as const), key: fc.constant("k") }),
);
const result: fc.Arbitrary<KvResult | undefined> = fc.option(fc.record({ ok: fc.boolean(), value }), { nil: undefined });

describe("value states", () => {
  it("keep the incremental hash equal to the hash of the value computed afresh", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.constantFrom(null, ""), (ops, absentValue) => {
        let state: ValueState = ABSENT_STATE;
        const absent = valueState(absentValue);
        for (const o of ops) {
          const stepped = stepValue(state, o, undefined, absent);
          expect(stepped.ok).toBe(true);
          if (stepped.ok) state = stepped.state;
          expect(state.hash).toBe(valueState(state.value).hash);
          expect(equalValueStates(state, valueState(state.value))).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("isKvReadOnly holds in every state: a legal step it names leaves the state unchanged", () => {
    fc.assert(
      fc.property(value, op, result, (stored, o, r) => {
        const state = valueState(stored);
        const stepped = stepValue(state, o, r, ABSENT_STATE);
        if (isKvReadOnly(o, r) && stepped.ok) expect(equalValueStates(stepped.state, state)).toBe(true);
      }),
      { seed: SEED + 1, numRuns: 2000 },
    );
  });

  it("an unknown outcome is legal in every state, and a known one only where it is the operation's output", () => {
    fc.assert(
      fc.property(value, op, (stored, o) => {
        const state = valueState(stored);
        const unknown = stepValue(state, o, undefined, ABSENT_STATE);
        expect(unknown.ok).toBe(true);
        const legal = [{ ok: true }, { ok: false }, { ok: true, value: stored }].filter((r) => stepValue(state, o, r, ABSENT_STATE).ok);
        expect(legal.length).toBeGreaterThan(0);
      }),
      { seed: SEED + 2, numRuns: 500 },
    );
  });

  it("names identical inputs alike and different inputs apart", () => {
    expect(kvInputKey({ type: "put", key: "k", value: "1" })).toBe(kvInputKey({ type: "put", key: "k", value: "1" }));
    expect(kvInputKey({ type: "cas", key: "k", value: "1" })).toBe(kvInputKey({ type: "cas", key: "k", expected: null, value: "1" }));
    expect(kvInputKey({ type: "put", key: "k", value: "1" })).not.toBe(kvInputKey({ type: "append", key: "k", value: "1" }));
    expect(kvInputKey({ type: "put", key: "k1", value: "" })).not.toBe(kvInputKey({ type: "put", key: "k", value: "1" }));
  });
});
