import { describe, expect, it } from "vitest";
import { EXIT, runCli, type CliIo } from "../../src/cli/run-cli.js";

const etcdLine = (p: number, kind: string, fn: string, value: string) => `INFO  jepsen.util - ${p}\t:${kind}\t:${fn}\t${value}`;
const FILES: Record<string, string> = {
  "good.log": [etcdLine(0, "invoke", "write", "1"), etcdLine(0, "ok", "write", "1"), etcdLine(1, "invoke", "read", "nil"), etcdLine(1, "ok", "read", "1")].join("\n"),
  "bad.log": [etcdLine(0, "invoke", "write", "1"), etcdLine(0, "ok", "write", "1"), etcdLine(1, "invoke", "read", "nil"), etcdLine(1, "ok", "read", "2")].join("\n"),
  "broken.log": `${etcdLine(0, "invoke", "write", "1")}\nnot a log line`,
  "empty.log": "\n\n",
  "cut.log": [etcdLine(0, "invoke", "write", "1"), etcdLine(0, "ok", "write", "1"), etcdLine(1, "invoke", "read", "nil")].join("\n"),
  "binary.log": `${etcdLine(0, "invoke", "write", "1")}\n\u0000\u001b[2J\ufffd\ufffd`,
  "escape.log": `${etcdLine(0, "invoke", "write", "1")}\n\u001b[31mred\u0007`,
  "hard.log": [
    ...Array.from({ length: 12 }, (_, i) => etcdLine(i, "invoke", "write", String(i))),
    ...Array.from({ length: 12 }, (_, i) => etcdLine(i, "ok", "write", String(i))),
    ...Array.from({ length: 6 }, (_, i) => [etcdLine(20 + i, "invoke", "read", "nil"), etcdLine(20 + i, "ok", "read", String(i % 2 === 0 ? 3 : 5))]).flat(),
  ].join("\n"),
};

function run(argv: string[]): { code: number; out: string[]; err: string[]; written: Map<string, string> } {
  const written = new Map<string, string>();
  const out: string[] = [];
  const err: string[] = [];
  let now = 0;
  const io: CliIo = {
    readFile: (path) => {
      const text = FILES[path];
      if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
      return text;
    },
    fileSize: (path) => (FILES[path] ?? "").length,
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    now: () => (now += 1),
    writeFile: (path, text) => {
      if (path.startsWith("/readonly/")) throw new Error(`EACCES: permission denied, open '${path}'`);
      written.set(path, text);
    },
  };
  return { code: runCli(argv, io), out, err, written };
}

describe("runCli (in-process)", () => {
  it("prints one JSON line per file and exits 0 when all are linearizable", () => {
    const { code, out } = run(["--format", "jepsen-etcd", "good.log", "good.log"]);
    expect(code).toBe(EXIT.linearizable);
    expect(out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { file: "good.log", linearizable: true, operations: 2, ms: expect.any(Number) as unknown },
      { file: "good.log", linearizable: true, operations: 2, ms: expect.any(Number) as unknown },
    ]);
  });

  it("exits 1 when any file is not linearizable, with the witness on stderr", () => {
    const { code, out, err } = run(["--format=jepsen-etcd", "good.log", "bad.log"]);
    expect(code).toBe(EXIT.notLinearizable);
    expect((JSON.parse(out[1] ?? "{}") as { linearizable: unknown }).linearizable).toBe(false);
    expect(err.join("\n")).toContain('get "register" -> "2"  (line 3 to line 4)');
    expect(run(["--format", "jepsen-etcd", "--quiet", "bad.log"]).err).toEqual([]);
  });

  it("exits 3 when the budget runs out (and 1 wins over 3)", () => {
    const hard = run(["--format", "jepsen-etcd", "--timeout-ms", "0", "hard.log"]);
    expect(hard.code).toBe(EXIT.unknown);
    expect(JSON.parse(hard.out[0] ?? "{}")).toMatchObject({ linearizable: "unknown" });
    expect(hard.err.join("\n")).toContain("raise --timeout-ms");
    expect(run(["--format", "jepsen-etcd", "--timeout-ms", "0", "hard.log", "bad.log"]).code).toBe(EXIT.notLinearizable);
  });

  it("exits 2 on bad usage or an unparseable file, naming the line", () => {
    for (const argv of [[], ["good.log"], ["--format", "csv", "good.log"], ["--format", "jepsen-etcd"], ["--format", "jepsen-etcd", "--timeout-ms", "-5", "good.log"], ["--format", "jepsen-etcd", "--bogus", "good.log"], ["--format"]]) {
      const { code, err } = run(argv);
      expect(code, argv.join(" ")).toBe(EXIT.usage);
      expect(err[0], argv.join(" ")).toMatch(/^lincheck: /);
    }
    const broken = run(["--format", "jepsen-etcd", "broken.log"]);
    expect(broken.code).toBe(EXIT.usage);
    expect(broken.err[0]).toMatch(/^lincheck: broken\.log: line 2: not a Jepsen etcd line/);
    expect(run(["--format", "jepsen-etcd", "missing.log"]).err[0]).toMatch(/missing\.log: cannot read: ENOENT/);
  });

  it("warns that an empty history is linearizable only vacuously", () => {
    const { code, out, err } = run(["--format", "jepsen-etcd", "empty.log"]);
    expect(code).toBe(EXIT.linearizable);
    expect(JSON.parse(out[0] ?? "{}")).toMatchObject({ linearizable: true, operations: 0, warnings: [expect.stringContaining("no operations") as unknown] });
    expect(err).toEqual(["empty.log: warning: the history has no operations: it is linearizable only because there is nothing to check"]);
  });

  it("warns that invocations never completed are checked as unknown (a file cut short)", () => {
    const { code, out, err } = run(["--format", "jepsen-etcd", "cut.log"]);
    expect(code).toBe(EXIT.linearizable);
    expect(JSON.parse(out[0] ?? "{}")).toMatchObject({ operations: 2, warnings: [expect.stringContaining("1 of 2 invocations never complete") as unknown] });
    expect(err[0]).toContain("if the file was cut short");
    expect(run(["--format", "jepsen-etcd", "--quiet", "cut.log"]).err).toEqual([]);
    expect(JSON.parse(run(["--format", "jepsen-etcd", "good.log"]).out[0] ?? "{}")).not.toHaveProperty("warnings");
  });

  it("checks every file even when one cannot be read, and reports each", () => {
    const { code, out, err } = run(["--format", "jepsen-etcd", "missing.log", "broken.log", "good.log"]);
    expect(code).toBe(EXIT.usage);
    expect(out.map((l) => JSON.parse(l) as { file: string; linearizable: unknown })).toMatchObject([
      { file: "missing.log", linearizable: null, error: expect.stringContaining("cannot read") as unknown },
      { file: "broken.log", linearizable: null, error: expect.stringContaining("line 2") as unknown },
      { file: "good.log", linearizable: true },
    ]);
    expect(err).toHaveLength(2);
    // A violation anywhere still wins over an unreadable file.
    expect(run(["--format", "jepsen-etcd", "missing.log", "bad.log"]).code).toBe(EXIT.notLinearizable);
  });

  it("never prints raw binary or terminal escapes in an error", () => {
    const binary = run(["--format", "jepsen-etcd", "binary.log"]);
    expect(binary.code).toBe(EXIT.usage);
    expect(binary.err[0]).toContain("not a text history: binary data at character");
    const escape = run(["--format", "jepsen-etcd", "escape.log"]);
    expect(escape.err[0]).toContain("\\u{1b}[31mred\\u{7}");
    for (const line of [...binary.err, ...binary.out, ...escape.err, ...escape.out]) expect(line).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f\ufffd]/);
  });

  it("prints usage and exits 0 on --help", () => {
    const { code, out } = run(["--help"]);
    expect(code).toBe(0);
    expect(out[0]).toContain("usage: pnpm lincheck --format jepsen-etcd|jepsen-kv|synod");
  });

  it("--report writes one self-contained HTML picture of the history, with the witness of a non-linearizable one", () => {
    const bad = run(["--format", "jepsen-etcd", "--report", "bad.html", "bad.log"]);
    expect(bad.code).toBe(EXIT.notLinearizable);
    const html = bad.written.get("bad.html") ?? "";
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("not linearizable");
    // Nothing is fetched when it opens: no external script, stylesheet, import or url().
    expect(html).not.toMatch(/<script[^>]+src=|<link|@import|url\(/);
    const data = JSON.parse(/<script type="application\/json" id="data">(.*)<\/script>/.exec(html)?.[1] ?? "{}") as { bars: { mark?: string }[]; lanes: string[] };
    expect(data.lanes).toHaveLength(2);
    expect(data.bars.filter((b) => b.mark === "failing")).toHaveLength(1);
    expect(bad.err.some((l) => l.includes("report written to bad.html"))).toBe(true);
    const good = run(["--format", "jepsen-etcd", "--report", "good.html", "good.log"]);
    expect(good.code).toBe(EXIT.linearizable);
    expect(good.written.get("good.html")).toContain(">linearizable<");
  });

  it("--report takes exactly one history, and a report that cannot be written exits 2 with the reason", () => {
    const two = run(["--format", "jepsen-etcd", "--report", "r.html", "good.log", "bad.log"]);
    expect(two.code).toBe(EXIT.usage);
    expect(two.err.join("\n")).toContain("--report draws one history");
    const denied = run(["--format", "jepsen-etcd", "--report", "/readonly/r.html", "good.log"]);
    expect(denied.code).toBe(EXIT.usage);
    expect(denied.err.join("\n")).toMatch(/cannot write the report .*EACCES/);
    expect(run(["--format", "jepsen-etcd", "--report"]).code).toBe(EXIT.usage);
  });
});
