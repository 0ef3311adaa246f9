/** The `pnpm bench` command itself: arguments, discovery, formatting, exit codes (with fake suites). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BenchUsageError, formatRows, formatTarget, parseBenchArgs, runBench } from "../../bench/main.js";

const harness = new URL("../../bench/harness.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "synod-bench-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, "alpha.ts"),
  `import type { BenchSuite } from ${JSON.stringify(harness)};
export const suite: BenchSuite = {
  name: "alpha", description: "a fake suite",
  async run(ctx) {
    return {
      rows: [{ name: "fast path", opsPerSec: ctx.quick ? 10 : 1000, verdict: "ok" }, { name: "slow path", opsPerSec: 5, latencyMsP99: 1.5 }],
      targets: [
        { description: "fast ops", value: ctx.quick ? 10 : 1000, target: 100, unit: "ops/s", higherIsBetter: true },
        { description: "latency", value: 1.5, target: 2, unit: "ms", higherIsBetter: false },
      ],
      notes: ["a note"],
    };
  },
};
`,
);
writeFileSync(
  join(dir, "broken.ts"),
  `import type { BenchSuite } from ${JSON.stringify(harness)};
export const suite: BenchSuite = { name: "broken", description: "throws", async run() { throw new Error("boom"); } };
`,
);

async function bench(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBench({ argv, out: (l) => out.push(l), err: (l) => err.push(l), suitesDir: dir });
  return { code, out, err };
}

describe("parseBenchArgs", () => {
  it("reads suites and flags, rejects unknown ones", () => {
    expect(parseBenchArgs(["quorum", "--quick", "raft", "--json"])).toEqual({ only: ["quorum", "raft"], quick: true, json: true, report: false, help: false });
    expect(parseBenchArgs(["--report"]).report).toBe(true);
    expect(() => parseBenchArgs(["--fast"])).toThrow(new BenchUsageError("unknown option --fast"));
    expect(() => parseBenchArgs(["Quorum!"])).toThrow(/not a suite name/);
  });
});

describe("formatting", () => {
  it("aligns a table with a column per metric, in first-seen order", () => {
    expect(formatRows([{ name: "a", x: 1234, s: "ok" }, { name: "bb", x: 1.5, y: 2 }])).toEqual([
      "name      x  s   y",
      "----  -----  --  -",
      "a     1,234  ok",
      "bb      1.5      2",
    ]);
  });

  it("marks targets met or MISSED with the comparison", () => {
    expect(formatTarget({ description: "d", value: 5, target: 10, unit: "ops/s", higherIsBetter: true })).toBe("[MISSED] d: 5 ops/s (target >= 10 ops/s)");
    expect(formatTarget({ description: "d", value: 5, target: 10, unit: "ms", higherIsBetter: false })).toBe("[met]    d: 5 ms (target <= 10 ms)");
  });
});

describe("runBench", () => {
  it("prints machine info, a table per suite, targets and notes; a missed target still exits 0", async () => {
    const { code, out } = await bench(["alpha", "--quick"]);
    expect(code).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/^synod bench — node v\d+/);
    expect(text).toContain("cores");
    expect(text).toContain("QUICK MODE");
    expect(text).toContain("== alpha: a fake suite");
    expect(text).toContain("[MISSED] fast ops: 10 ops/s (target >= 100 ops/s)");
    expect(text).toContain("[met]    latency: 1.5 ms (target <= 2 ms)");
    expect(text).toContain("  - a note");
    expect(text).toContain("targets 1 met, 1 MISSED");
  });

  it("prints JSON lines: rows, targets, the suite, and a summary with the machine", async () => {
    const { code, out } = await bench(["alpha", "--json"]);
    expect(code).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ suite: "alpha", name: "fast path", opsPerSec: 1000, verdict: "ok" });
    expect(lines[2]).toMatchObject({ suite: "alpha", type: "target", description: "fast ops", met: true });
    expect(lines[4]).toMatchObject({ suite: "alpha", type: "suite", notes: ["a note"] });
    expect(lines[5]).toMatchObject({ summary: true, suites: 1, targetsMet: 2, targetsMissed: 0, quick: false });
    expect((lines[5]?.machine as { cores: number }).cores).toBeGreaterThan(0);
  });

  it("exits 1 when a suite throws, after running the others", async () => {
    const { code, out } = await bench(["--json"]);
    expect(code).toBe(1);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ suite: "broken", type: "error", error: "Error: boom" }));
    expect(lines.at(-1)).toMatchObject({ summary: true, suites: 2, failedSuites: ["broken"] });
  });

  it("runs each suite in a process of its own when isolating, with the same report", async () => {
    const out: string[] = [];
    const code = await runBench({ argv: ["--json"], out: (l) => out.push(l), err: () => undefined, suitesDir: dir, isolate: true });
    expect(code).toBe(1);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ suite: "alpha", name: "fast path", opsPerSec: 1000, verdict: "ok" });
    expect(lines).toContainEqual(expect.objectContaining({ suite: "alpha", type: "suite", notes: ["a note"] }));
    expect(lines).toContainEqual(expect.objectContaining({ suite: "broken", type: "error", error: "Error: boom" }));
    expect(lines.at(-1)).toMatchObject({ summary: true, suites: 2, failedSuites: ["broken"], targetsMet: 2 });
  });

  it("exits 2 on an unknown suite or option", async () => {
    const unknown = await bench(["gamma"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toBe("bench: no suite bench/suites/gamma.ts (known: alpha, broken)");
    expect((await bench(["--nope"])).code).toBe(2);
  });
});
