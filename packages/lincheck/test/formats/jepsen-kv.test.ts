import { describe, expect, it } from "vitest";
import { HistoryFormatError, checkOperations, loadHistory, parseJepsenKv } from "../../src/index.js";

const edn = (p: number, type: string, f: string, key: string, value: string) => `{:process ${p}, :type :${type}, :f :${f}, :key "${key}", :value ${value}}`;

describe("parseJepsenKv", () => {
  it("maps get / put / append with their outcomes", () => {
    const text = [
      edn(0, "invoke", "append", "1", '"x 0 0 y"'),
      edn(1, "invoke", "get", "1", "nil"),
      edn(1, "ok", "get", "1", '""'),
      edn(0, "ok", "append", "1", '"x 0 0 y"'),
      edn(2, "invoke", "put", "2", '"a \\"quoted\\" value"'),
      edn(2, "info", "put", "2", '"a \\"quoted\\" value"'),
      edn(3, "invoke", "put", "2", '"b"'),
      edn(3, "fail", "put", "2", '"b"'),
    ].join("\n");
    const { events } = parseJepsenKv(text);
    expect(events.map((e) => e.type)).toEqual(["invoke", "invoke", "ok", "ok", "invoke", "unknown", "invoke", "fail"]);
    expect(events[0]).toMatchObject({ op: { type: "append", key: "1", value: "x 0 0 y" } });
    expect(events[2]).toMatchObject({ result: { ok: true, value: "" } });
    expect(events[4]).toMatchObject({ op: { type: "put", key: "2", value: 'a "quoted" value' } });
  });

  it("reads absent keys as the empty string when loaded as jepsen-kv", () => {
    const text = [edn(0, "invoke", "get", "k", "nil"), edn(0, "ok", "get", "k", '""'), edn(0, "invoke", "append", "k", '"a"'), edn(0, "ok", "append", "k", '"a"'), edn(0, "invoke", "get", "k", "nil"), edn(0, "ok", "get", "k", '"a"')].join("\n");
    const h = loadHistory("jepsen-kv", text);
    expect(checkOperations(h.model, h.operations).linearizable).toBe(true);
    const stale = `${text}\n${edn(1, "invoke", "get", "k", "nil")}\n${edn(1, "ok", "get", "k", '""')}`;
    const s = loadHistory("jepsen-kv", stale);
    const result = checkOperations(s.model, s.operations, { describePosition: s.describePosition });
    expect(result.linearizable).toBe(false);
    expect(result.witness?.text).toContain("line 7 to line 8");
  });

  it("reports malformed lines with their line number", () => {
    const good = edn(0, "invoke", "get", "k", "nil");
    const cases: [string, RegExp][] = [
      [`${good}\n{:process 0, :type :ok, :f :get, :key "k", :value "unterminated}`, /^line 2: unterminated string/],
      ["{:process 0 :type}", /^line 1: unexpected "}"/],
      ['{:process 0, :type :invoke, :f :get, :key "k"}', /^line 1: missing :value/],
      ['{:process -1, :type :invoke, :f :get, :key "k", :value nil}', /^line 1: :process must be a non-negative integer/],
      ['{:process 0, :type :start, :f :get, :key "k", :value nil}', /^line 1: :type must be :invoke, :ok, :fail or :info, got :start/],
      ['{:process 0, :type :invoke, :f :scan, :key "k", :value nil}', /^line 1: :f must be :get, :put or :append/],
      ['{:process 0, :type :invoke, :f :put, :key "k", :value nil}', /^line 1: a :put needs a string :value/],
      ["[1 2 3]", /^line 1: expected an EDN map/],
      [`${good} trailing`, /^line 1: unexpected text after the map/],
      [`${good}\n${good}`, /^line 2: process 0 invokes while its :get from line 1 is still pending/],
      [`${good}\n${edn(0, "ok", "get", "other", '""')}`, /^line 2: :ok :get on key "other" for process 0, whose pending operation \(line 1\) is :get on key "k"/],
      ['{:process 0, :process 1, :type :invoke, :f :get, :key "k", :value nil}', /^line 1: duplicate key :process/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseJepsenKv(text)).toThrow(HistoryFormatError);
      expect(() => parseJepsenKv(text)).toThrow(message);
    }
  });
});
