import { describe, expect, it } from "vitest";
import { HistoryFormatError, operationsFromHistory } from "../src/index.js";
import { HistoryBuilder, get, put, read } from "./history-builder.js";

describe("operationsFromHistory", () => {
  it("pairs invocations with completions by id, positions = event indexes", () => {
    const b = new HistoryBuilder();
    const w = b.invoke(3, put("x", "1"));
    const r = b.invoke(4, get("x"));
    b.ok(r, read("1")).ok(w);
    expect(operationsFromHistory(b.events)).toEqual([
      { id: w, client: 3, input: put("x", "1"), output: { ok: true }, unknown: false, call: 0, ret: 3 },
      { id: r, client: 4, input: get("x"), output: read("1"), unknown: false, call: 1, ret: 2 },
    ]);
  });

  it("drops failed operations and marks unknown and never-completed ones", () => {
    const b = new HistoryBuilder();
    b.fail(b.invoke(0, put("x", "1")));
    b.unknown(b.invoke(1, put("x", "2")));
    b.invoke(2, put("x", "3"));
    const ops = operationsFromHistory(b.events);
    expect(ops.map((op) => [op.id, op.unknown, op.ret])).toEqual([
      [1, true, Infinity],
      [2, true, Infinity],
    ]);
  });

  it("rejects a completion without an invocation, a second completion and a reused id, naming the event", () => {
    const stray = [{ type: "ok" as const, id: 5, client: 0, timeMs: 0, result: { ok: true } }];
    expect(() => operationsFromHistory(stray)).toThrow(/event #0: ok for operation id 5, which was never invoked/);
    const b = new HistoryBuilder();
    const id = b.invoke(0, get("x"));
    b.ok(id, read(null)).ok(id, read(null));
    expect(() => operationsFromHistory(b.events)).toThrow(/event #2: .*already completed/);
    const reused = [...b.events.slice(0, 2), b.events[0]!];
    const error = (() => {
      try {
        operationsFromHistory(reused);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HistoryFormatError);
    expect((error as HistoryFormatError).event).toBe(2);
    expect((error as HistoryFormatError).code).toBe("decode");
  });
});
