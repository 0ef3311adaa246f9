import type { HistoryEvent } from "@synod/core";
import { describe, expect, it } from "vitest";
import { checkOperations, createRegisterModel, operationsFromHistory, type KvOp, type KvResult } from "../src/index.js";
import { bruteForceLinearizable } from "./reference-checker.js";

/** One operation of the alphabet: what is invoked and how it completes ("unknown" = timed out). */
interface Letter {
  readonly op: KvOp;
  readonly result: KvResult | "unknown";
}

const R = "r";
const ALPHABET: readonly Letter[] = [
  { op: { type: "put", key: R, value: "1" }, result: { ok: true } },
  { op: { type: "put", key: R, value: "2" }, result: { ok: true } },
  { op: { type: "get", key: R }, result: { ok: true, value: "1" } },
  { op: { type: "get", key: R }, result: { ok: true, value: null } },
  { op: { type: "cas", key: R, expected: "1", value: "2" }, result: { ok: true } },
  { op: { type: "cas", key: R, expected: "1", value: "2" }, result: { ok: false } },
  { op: { type: "put", key: R, value: "1" }, result: "unknown" },
];

/** Every order of 2n events in which each operation's invocation precedes its completion. */
function interleavings(n: number): number[][] {
  const out: number[][] = [];
  const walk = (seq: number[], invoked: number, completed: boolean[]): void => {
    if (seq.length === 2 * n) {
      out.push([...seq]);
      return;
    }
    if (invoked < n) walk([...seq, invoked], invoked + 1, completed); // invoke the next operation
    for (let i = 0; i < invoked; i++) {
      if (completed[i]) continue;
      const done = [...completed];
      done[i] = true;
      walk([...seq, n + i], invoked, done); // complete operation i
    }
  };
  walk([], 0, new Array<boolean>(n).fill(false));
  return out;
}

describe("exhaustive: every history of three concurrent register operations and a final read", () => {
  it("agrees with the brute-force oracle on all of them", () => {
    const model = createRegisterModel();
    const shapes = interleavings(3);
    let checked = 0;
    const verdicts = { true: 0, false: 0 };
    for (const shape of shapes) {
      for (let word = 0; word < ALPHABET.length ** 3; word++) {
        const letters = [0, 1, 2].map((i) => ALPHABET[Math.floor(word / ALPHABET.length ** i) % ALPHABET.length] as Letter);
        for (const finalRead of ["1", "2"]) {
          const events: HistoryEvent<KvOp, KvResult>[] = [];
          for (const code of shape) {
            const i = code % 3;
            const letter = letters[i] as Letter;
            const timeMs = events.length;
            if (code < 3) events.push({ type: "invoke", id: i, client: i, timeMs, op: letter.op });
            else if (letter.result === "unknown") events.push({ type: "unknown", id: i, client: i, timeMs, reason: "timeout" });
            else events.push({ type: "ok", id: i, client: i, timeMs, result: letter.result });
          }
          events.push({ type: "invoke", id: 3, client: 3, timeMs: events.length, op: { type: "get", key: R } });
          events.push({ type: "ok", id: 3, client: 3, timeMs: events.length, result: { ok: true, value: finalRead } });
          const ops = operationsFromHistory(events);
          const expected = bruteForceLinearizable(model, ops);
          const actual = checkOperations(model, ops).linearizable;
          if (actual !== expected) expect.fail(`disagrees with the oracle (expected ${expected}) on ${JSON.stringify(events)}`);
          verdicts[expected ? "true" : "false"]++;
          checked++;
        }
      }
    }
    expect(checked).toBe(shapes.length * ALPHABET.length ** 3 * 2);
    expect(verdicts.true).toBeGreaterThan(0);
    expect(verdicts.false).toBeGreaterThan(0);
  });
});
