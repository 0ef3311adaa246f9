import { describe, expect, it } from "vitest";
import { EXIT, runCli, type CliIo } from "../../src/cli/run-cli.js";

const etcdLine = (p: number, kind: string, fn: string, value: string) => `INFO  jepsen.util - ${p}\t:${kind}\t:${fn}\t${value}`;
const FILES: Record<string, string> = {
  "good.log": [etcdLine(0, "invoke", "write", "1"), etcdLine(0, "ok", "write", "1"), etcdLine(1, "invoke", "read", "nil"), etcdLine(1, "ok", "read", "1")].join("\n"),
  "bad.log": [etcdLine(0, "invoke", "write", "1"), etcdLine(0, "ok", "write", "1"), etcdLine(1, "invoke", "read", "nil"), etcdLine(1, "ok", "read", "2")].join("\n"),
  "broken.log": `${etcdLine(0, "invoke", "write", "1")}\nnot a log line`,
  "hard.log": [
    ...Array.from({ length: 12 }, (_, i) => etcdLine(i, "invoke", "write", String(i))),
    ...Array.from({ length: 12 }, (_, i) => etcdLine(i, "ok", "write", String(i))),
    ...Array.from({ length: 6 }, (_, i) => [etcdLine(20 + i, "invoke", "read", "nil"), etcdLine(20 + i, "ok", "read", String(i % 2 === 0 ? 3 : 5))]).flat(),
  ].join("\n"),
};

function run(argv: string[]): { code: number; out: string[]; err: string[] } {
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
  };
  return { code: runCli(argv, io), out, err };
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

  it("prints usage and exits 0 on --help", () => {
    const { code, out } = run(["--help"]);
    expect(code).toBe(0);
    expect(out[0]).toContain("usage: pnpm lincheck --format jepsen-etcd|jepsen-kv|synod");
  });
});
