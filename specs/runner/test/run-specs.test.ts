import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProcessResult } from "../java-process.js";
import { runSpecs, type RunnerIo } from "../run-specs.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const root = mkdtempSync(join(tmpdir(), "synod-specs-run-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A specs root with one model; its summary expects the counts of tlc-pass.txt unless told otherwise. */
function specsRoot(name: string, expectedLine = "expected: MCBroadcast.cfg distinct=1365 depth=14"): string {
  const dir = join(root, name, "broadcast");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "MCBroadcast.tla"), "");
  writeFileSync(join(dir, "MCBroadcast.cfg"), "");
  writeFileSync(join(dir, "verification_summary.md"), `# Summary\n\n${expectedLine}\n`);
  return join(root, name);
}

/** A fake java: answers SANY, the smoke simulation and the full check with captured outputs. */
function fakeJava(outputs: { sany?: [string, number]; smoke?: [string, number]; full?: [string, number] }, calls: string[][] = []) {
  return (_command: string, args: readonly string[]): Promise<ProcessResult> => {
    calls.push([...args]);
    const pick = args.includes("tla2sany.SANY") ? outputs.sany ?? [fixture("sany-pass.txt"), 0]
      : args.includes("-simulate") ? outputs.smoke ?? [fixture("tlc-simulate-pass.txt"), 0]
      : outputs.full ?? [fixture("tlc-pass.txt"), 0];
    return Promise.resolve({ exitCode: pick[1], output: pick[0], timedOut: false, seconds: 0.5 });
  };
}

async function run(io: Partial<RunnerIo> & Pick<RunnerIo, "specsRoot">): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSpecs({
    argv: [],
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    locate: () => Promise.resolve({ found: true, jar: "/fake/tla2tools.jar", java: "java", javaVersion: "fake 17" }),
    ...io,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("runSpecs", () => {
  it("passes when every stage finds nothing and the counts match; runs SANY, smoke, full with a temp metadir", async () => {
    const calls: string[][] = [];
    const result = await run({ specsRoot: specsRoot("pass"), run: fakeJava({}, calls), argv: ["--workers", "1"] });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/broadcast\s+MCBroadcast\.cfg\s+pass\s+19,083\s+1,365\s+14/);
    expect(calls.map((c) => (c.includes("tla2sany.SANY") ? "sany" : c.includes("-simulate") ? "smoke" : "full"))).toEqual(["sany", "smoke", "full"]);
    const full = calls[2] ?? [];
    expect(full).toEqual(expect.arrayContaining(["-tool", "-cleanup", "-workers", "1", "-config", "MCBroadcast.cfg", "MCBroadcast.tla"]));
    expect(full[full.indexOf("-metadir") + 1]).toMatch(new RegExp(`^${tmpdir()}`));
  });

  it("prints one JSON line per model and a summary line with --json", async () => {
    const result = await run({ specsRoot: specsRoot("json"), run: fakeJava({}), argv: ["--json"] });
    const lines = result.out.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ spec: "broadcast", config: "MCBroadcast.cfg", result: "pass", statesGenerated: 19083, distinctStates: 1365, depth: 14 });
    expect(lines[1]).toMatchObject({ summary: true, models: 1, pass: 1, exitCode: 0 });
  });

  it("exits 1 with result 'changed' when the distinct count differs from the summary", async () => {
    const result = await run({ specsRoot: specsRoot("changed", "expected: MCBroadcast.cfg distinct=1000 depth=14"), run: fakeJava({}) });
    expect(result.code).toBe(1);
    expect(result.out).toContain("changed");
    expect(result.out).toContain("distinct states 1365 (expected 1000)");
  });

  it("passes with a note when the summary has no expected line", async () => {
    const result = await run({ specsRoot: specsRoot("missing-line", "no line"), run: fakeJava({}) });
    expect(result.code).toBe(0);
    expect(result.out).toContain('note: no "expected: MCBroadcast.cfg');
  });

  it("exits 1 on a violation and prints the counterexample", async () => {
    const result = await run({ specsRoot: specsRoot("fail"), run: fakeJava({ full: [fixture("tlc-invariant-violation.txt"), 12] }) });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/MCBroadcast\.cfg\s+fail/);
    expect(result.out).toContain("Invariant NoDuplication is violated");
    expect(result.out).toContain("State 3: CrashRecover");
  });

  it("on a violation found by the smoke simulation, reports the full check's shortest counterexample", async () => {
    const calls: string[][] = [];
    const result = await run({
      specsRoot: specsRoot("smoke-fail"),
      run: fakeJava({ smoke: [fixture("tlc-simulate-violation.txt"), 12], full: [fixture("tlc-invariant-violation.txt"), 12] }, calls),
      argv: ["--json"],
    });
    expect(result.code).toBe(1);
    expect(calls).toHaveLength(3);
    const row = JSON.parse(result.out.split("\n")[0] ?? "{}") as { counterexample: string[]; notes: string[] };
    expect(row).toMatchObject({ result: "fail", stages: { smoke: "violation", full: "violation" }, violation: { stage: "full", property: "NoDuplication" } });
    expect(row.counterexample[1]).toBe("Counterexample, 4 states (only changed variables after the first):");
    expect(row.notes.join(" ")).toContain("the smoke simulation found it first");
  });

  it("keeps the smoke simulation's trace when the full check does not reproduce it, and still fails", async () => {
    const result = await run({ specsRoot: specsRoot("smoke-only"), run: fakeJava({ smoke: [fixture("tlc-simulate-violation.txt"), 12] }), argv: ["--json"] });
    expect(result.code).toBe(1);
    const row = JSON.parse(result.out.split("\n")[0] ?? "{}") as { counterexample: string[]; notes: string[] };
    expect(row).toMatchObject({ result: "fail", stages: { smoke: "violation", full: "ok" }, violation: { stage: "smoke" } });
    expect(row.notes.join(" ")).toContain("the full check did not reproduce it (it passed)");
  });

  it("with --no-full, stops at the smoke simulation's violation", async () => {
    const calls: string[][] = [];
    const result = await run({ specsRoot: specsRoot("smoke-fail-no-full"), run: fakeJava({ smoke: [fixture("tlc-simulate-violation.txt"), 12] }, calls), argv: ["--json", "--no-full"] });
    expect(result.code).toBe(1);
    expect(calls).toHaveLength(2);
    expect(JSON.parse(result.out.split("\n")[0] ?? "{}")).toMatchObject({ result: "fail", checks: ["parse", "smoke"], violation: { stage: "smoke", property: "NoDuplication" } });
  });

  it("exits 1 with result 'error' on a parse error", async () => {
    const result = await run({ specsRoot: specsRoot("parse"), run: fakeJava({ sany: [fixture("sany-parse-error.txt"), 255] }) });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/MCBroadcast\.cfg\s+error/);
    expect(result.out).toContain("***Parse Error***");
  });

  it("with --no-full runs parse and smoke only and says so", async () => {
    const calls: string[][] = [];
    const result = await run({ specsRoot: specsRoot("no-full"), run: fakeJava({}, calls), argv: ["--no-full"] });
    expect(result.code).toBe(0);
    expect(calls).toHaveLength(2);
    expect(result.out).toContain("pass (parse+smoke only)");
  });

  it("exits 2 on bad usage and on an unknown spec folder", async () => {
    expect((await run({ specsRoot: specsRoot("usage"), argv: ["--bogus"] })).code).toBe(2);
    const unknown = await run({ specsRoot: specsRoot("usage"), argv: ["pbft"] });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("no spec folder specs/pbft");
  });

  it("skips every model (exit 0) when TLC is missing, and fails (exit 1) when it is required", async () => {
    const missing = { TLA2TOOLS_JAR: join(root, "missing.jar"), HOME: join(root, "home") };
    const skipped = await run({ specsRoot: specsRoot("no-tlc"), env: missing, locate: undefined, argv: ["--json"] });
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain("NO model was checked");
    const lines = skipped.out.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ result: "skipped", reason: "TLC not available", checks: [] });
    expect(lines[1]).toMatchObject({ summary: true, skipped: 1, pass: 0 });
    const required = await run({ specsRoot: specsRoot("no-tlc"), env: { ...missing, SYNOD_REQUIRE_TLC: "1" }, locate: undefined });
    expect(required.code).toBe(1);
    expect(required.out).toContain("skipped (TLC not available)");
    expect(required.err).toContain("SYNOD_REQUIRE_TLC=1");
  });
});
