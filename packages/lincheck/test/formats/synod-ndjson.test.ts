import { describe, expect, it } from "vitest";
import { HistoryFormatError, checkOperations, loadHistory, parseSynodHistory } from "../../src/index.js";

const lines = (...events: unknown[]) => events.map((e) => JSON.stringify(e)).join("\n");

describe("parseSynodHistory", () => {
  it("reads HistoryEvent lines and checks them against the KV model", () => {
    const text = lines(
      { type: "invoke", id: 0, client: 1, timeMs: 0, op: { type: "put", key: "x", value: "1" }, node: "n1" },
      { type: "ok", id: 0, client: 1, timeMs: 5, result: { ok: true } },
      { type: "invoke", id: 1, client: 2, timeMs: 6, op: { type: "get", key: "x" } },
      { type: "ok", id: 1, client: 2, timeMs: 7, result: { ok: true, value: "1" } },
      { type: "invoke", id: 2, client: 2, timeMs: 8, op: { type: "cas", key: "x", expected: "1", value: "2" } },
      { type: "unknown", id: 2, client: 2, timeMs: 9, reason: "timeout" },
    );
    const parsed = parseSynodHistory(text);
    expect(parsed.events).toHaveLength(6);
    expect(parsed.events[0]).toEqual({ type: "invoke", id: 0, client: 1, timeMs: 0, op: { type: "put", key: "x", value: "1" }, node: "n1" });
    const h = loadHistory("synod", text);
    expect(h.invocations).toBe(3);
    expect(checkOperations(h.model, h.operations).linearizable).toBe(true);
  });

  it("reports bad JSON, bad fields and unpaired events with the line number", () => {
    const invoke = { type: "invoke", id: 0, client: 1, timeMs: 0, op: { type: "get", key: "x" } };
    const cases: [string, RegExp][] = [
      [`${JSON.stringify(invoke)}\n{"type":`, /^line 2: invalid JSON/],
      [lines({ ...invoke, op: { type: "scan", key: "x" } }), /^line 1: not a history event: op\.type: expected/],
      [lines({ ...invoke, id: -1 }), /^line 1: not a history event: id: expected integer/],
      [lines({ type: "done", id: 0 }), /^line 1: not a history event: type: expected type in invoke\|ok\|fail\|unknown/],
      [lines({ type: "ok", id: 0, client: 1, timeMs: 0, result: { ok: "yes" } }), /^line 1: not a history event: result\.ok/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseSynodHistory(text)).toThrow(HistoryFormatError);
      expect(() => parseSynodHistory(text)).toThrow(message);
    }
    const unpaired = `${JSON.stringify(invoke)}\n\n${JSON.stringify({ type: "ok", id: 7, client: 1, timeMs: 1, result: { ok: true } })}`;
    expect(() => loadHistory("synod", unpaired)).toThrow(/^line 3: ok for operation id 7, which was never invoked/);
  });
});
