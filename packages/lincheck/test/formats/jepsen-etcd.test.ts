import { describe, expect, it } from "vitest";
import { HistoryFormatError, checkOperations, loadHistory, parseJepsenEtcd } from "../../src/index.js";

const line = (p: number, kind: string, fn: string, value: string) => `INFO  jepsen.util - ${p}\t:${kind}\t:${fn}\t${value}`;

describe("parseJepsenEtcd", () => {
  it("maps reads, writes and cas with their outcomes", () => {
    const text = [
      line(0, "invoke", "read", "nil"),
      line(1, "invoke", "write", "3"),
      line(0, "ok", "read", "nil"),
      line(1, "ok", "write", "3"),
      line(2, "invoke", "cas", "[3 4]"),
      line(2, "fail", "cas", "[3 4]"),
      line(3, "invoke", "cas", "[3 1]"),
      line(3, "info", "cas", ":timed-out"),
      line(4, "invoke", "read", "nil"),
      line(4, "fail", "read", ":timed-out"),
      "",
    ].join("\n");
    const { events, lines } = parseJepsenEtcd(text);
    expect(events.map((e) => e.type)).toEqual(["invoke", "invoke", "ok", "ok", "invoke", "ok", "invoke", "unknown", "invoke", "unknown"]);
    expect(lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events[0]).toMatchObject({ type: "invoke", client: 0, op: { type: "get" } });
    expect(events[2]).toMatchObject({ type: "ok", result: { ok: true, value: null } });
    expect(events[1]).toMatchObject({ op: { type: "put", value: "3" } });
    expect(events[4]).toMatchObject({ op: { type: "cas", expected: "3", value: "4" } });
    expect(events[5]).toMatchObject({ type: "ok", result: { ok: false } }); // compare failed: it happened, as a no-op
  });

  it("decides a small history: a failed cas proves the value differed", () => {
    const ok = [line(0, "invoke", "write", "1"), line(0, "ok", "write", "1"), line(1, "invoke", "cas", "[2 3]"), line(1, "fail", "cas", "[2 3]")].join("\n");
    const bad = [line(0, "invoke", "write", "2"), line(0, "ok", "write", "2"), line(1, "invoke", "cas", "[2 3]"), line(1, "fail", "cas", "[2 3]")].join("\n");
    for (const [text, verdict] of [[ok, true], [bad, false]] as const) {
      const h = loadHistory("jepsen-etcd", text);
      expect(checkOperations(h.model, h.operations).linearizable).toBe(verdict);
    }
  });

  it("reports malformed lines with their line number", () => {
    const cases: [string, RegExp][] = [
      [`${line(0, "invoke", "read", "nil")}\nINFO  jepsen.util - 0\t:okay\t:read\t3`, /^line 2: not a Jepsen etcd line/],
      [line(0, "invoke", "write", "x"), /^line 1: expected an integer or nil/],
      [line(0, "invoke", "cas", "[1]"), /^line 1: a :cas needs \[FROM TO\]/],
      [line(0, "ok", "read", "1"), /^line 1: :ok for process 0, which has no pending operation/],
      [`${line(0, "invoke", "read", "nil")}\n\n${line(0, "invoke", "read", "nil")}`, /^line 3: process 0 invokes while its read from line 1 is still pending/],
      [`${line(0, "invoke", "read", "nil")}\n${line(0, "ok", "write", "1")}`, /^line 2: :ok :write for process 0, whose pending operation \(line 1\) is a :read/],
      [line(0, "invoke", "write", "nil"), /^line 1: a :write needs an integer value/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseJepsenEtcd(text)).toThrow(HistoryFormatError);
      expect(() => parseJepsenEtcd(text)).toThrow(message);
    }
  });

  it("reads CRLF files and an empty file", () => {
    expect(parseJepsenEtcd(`${line(0, "invoke", "read", "nil")}\r\n${line(0, "ok", "read", "nil")}\r\n`).events).toHaveLength(2);
    expect(parseJepsenEtcd("").events).toEqual([]);
  });
});
