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

  it("exits 4 with result 'changed' when the distinct count differs from the summary", async () => {
    const result = await run({ specsRoot: specsRoot("changed", "expected: MCBroadcast.cfg distinct=1000 depth=14"), run: fakeJava({}) });
    expect(result.code).toBe(4);
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
    expect(row.notes.join(" ")).toContain("the smoke simulation (seed 1) found the same property violated first");
    expect(calls[1]).toEqual(expect.arrayContaining(["-seed", "1"]));
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

  it("exits 3 with result 'error' on a parse error", async () => {
    const result = await run({ specsRoot: specsRoot("parse"), run: fakeJava({ sany: [fixture("sany-parse-error.txt"), 255] }) });
    expect(result.code).toBe(3);
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

  it("skips every model (exit 0) when TLC is missing, and fails (exit 6) when it is required", async () => {
    const missing = { HOME: join(root, "home"), SYNOD_TLC_NO_DOWNLOAD: "1" };
    const skipped = await run({ specsRoot: specsRoot("no-tlc"), env: missing, locate: undefined, argv: ["--json"] });
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain("NO model was checked");
    const lines = skipped.out.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ result: "skipped", reason: "TLC not available", checks: [] });
    expect(lines[1]).toMatchObject({ summary: true, skipped: 1, pass: 0 });
    const required = await run({ specsRoot: specsRoot("no-tlc"), env: { ...missing, SYNOD_REQUIRE_TLC: "1" }, locate: undefined });
    expect(required.code).toBe(6);
    expect(required.out).toContain("skipped (TLC not available)");
    expect(required.err).toContain("SYNOD_REQUIRE_TLC=1");
  });

  it("fails (exit 6, never a skip) when TLA2TOOLS_JAR or JAVA is set and does not work", async () => {
    const wrongJar = await run({ specsRoot: specsRoot("wrong-jar"), env: { TLA2TOOLS_JAR: join(root, "missing.jar"), HOME: join(root, "home") }, locate: undefined });
    expect(wrongJar.code).toBe(6);
    expect(wrongJar.err).toContain("TLA2TOOLS_JAR is set, so this is a failure");
    const wrongJava = await run({
      specsRoot: specsRoot("wrong-java"), env: { JAVA: join(root, "no-such-java"), HOME: join(root, "home") },
      locate: () => Promise.resolve({ found: false, reason: "`java -version` did not run" }),
    });
    expect(wrongJava.code).toBe(6);
    expect(wrongJava.err).toContain("JAVA is set");
  });

  it("pins the checked properties: a changed definition with the same counts is 'changed' (exit 4)", async () => {
    const dir = specsRoot("pin");
    writeFileSync(join(dir, "broadcast", "MCBroadcast.cfg"), "INVARIANT Safe\n");
    writeFileSync(join(dir, "broadcast", "MCBroadcast.tla"), "---- MODULE MCBroadcast ----\nVARIABLE x\nSafe == x >= 0\n====\n");
    const first = await run({ specsRoot: dir, run: fakeJava({}), argv: ["--json"] });
    const row = JSON.parse(first.out.split("\n")[0] ?? "{}") as { checked: { hash: string; invariants: string[] }; notes: string[] };
    expect(row.checked.invariants).toEqual(["Safe"]);
    expect(row.notes.join(" ")).toContain(`add properties=${row.checked.hash}`);
    writeFileSync(join(dir, "broadcast", "verification_summary.md"), `expected: MCBroadcast.cfg distinct=1365 depth=14 properties=${row.checked.hash}\n`);
    expect((await run({ specsRoot: dir, run: fakeJava({}) })).code).toBe(0);
    // Comments and layout do not count…
    writeFileSync(join(dir, "broadcast", "MCBroadcast.tla"), "---- MODULE MCBroadcast ----\nVARIABLE x\nSafe ==   x >= 0 \\* still the same\n====\n");
    expect((await run({ specsRoot: dir, run: fakeJava({}) })).code).toBe(0);
    // …a weakened property does, although TLC's counts are the same.
    writeFileSync(join(dir, "broadcast", "MCBroadcast.tla"), "---- MODULE MCBroadcast ----\nVARIABLE x\nSafe == TRUE \\/ x >= 0\n====\n");
    const weakened = await run({ specsRoot: dir, run: fakeJava({}) });
    expect(weakened.code).toBe(4);
    expect(weakened.out).toContain("the checked properties or their definitions changed");
  });

  it("runs the expected failures after the models: one that fails as expected passes, one that survives fails (exit 1)", async () => {
    const dir = specsRoot("expected");
    writeFileSync(join(dir, "broadcast", "MCBroadcast.tla"), "---- MODULE MCBroadcast ----\nVARIABLE x\nNoDuplication == x >= 0\nNeverX == x = 0\n====\n");
    writeFileSync(join(dir, "broadcast", "MCBroadcast.cfg"), "INIT Init\nNEXT Next\nINVARIANT NoDuplication\n");
    writeFileSync(join(dir, "broadcast", "expected-failures.json"), JSON.stringify({
      checks: [
        { name: "bug", kind: "broken-copy", config: "MCBroadcast.cfg", why: "planted", mustViolate: "NoDuplication", edits: [{ file: "MCBroadcast.tla", find: "x >= 0", replace: "x > 0" }] },
        { name: "reach", kind: "reachability", config: "MCBroadcast.cfg", why: "x moves", mustViolate: "NeverX", invariants: ["NeverX"] },
        { name: "slow", kind: "broken-copy", config: "MCBroadcast.cfg", why: "slow", mustViolate: "NoDuplication", deep: true, edits: [{ file: "MCBroadcast.tla", find: "x >= 0", replace: "x > 1" }] },
      ],
    }));
    const calls: string[][] = [];
    // The model passes; "bug" violates NoDuplication as expected; "reach" finds nothing (the fixture passes).
    let expectedRuns = 0;
    const java = (command: string, args: readonly string[], options: { cwd: string; timeoutMs: number }): Promise<ProcessResult> => {
      if (!options.cwd.endsWith("broadcast")) {
        expectedRuns++;
        calls.push([...args, readFileSync(join(options.cwd, "MCBroadcast.cfg"), "utf8"), readFileSync(join(options.cwd, "MCBroadcast.tla"), "utf8")]);
        const out = expectedRuns === 1 ? [fixture("tlc-invariant-violation.txt"), 12] as const : [fixture("tlc-pass.txt"), 0] as const;
        return Promise.resolve({ exitCode: out[1], output: out[0], timedOut: false, seconds: 0.5 });
      }
      return fakeJava({})(command, args);
    };
    const result = await run({ specsRoot: dir, run: java });
    expect(calls).toHaveLength(2);
    expect(calls[0]?.at(-1)).toContain("NoDuplication == x > 0");
    expect(calls[1]?.at(-2)).toMatch(/INVARIANTS\n {4}NeverX\n$/);
    expect(calls[1]?.at(-2)).not.toContain("NoDuplication");
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/broadcast\s+bug\s+broken-copy\s+MCBroadcast\.cfg\s+NoDuplication\s+failed as expected/);
    expect(result.out).toMatch(/broadcast\s+reach\s+reachability\s+MCBroadcast\.cfg\s+NeverX\s+fail/);
    expect(result.out).toContain("the model never reaches the state NeverX rules out");
    expectedRuns = 0;
    calls.length = 0;
    await run({ specsRoot: dir, run: java, argv: ["expected", "--deep"] });
    expect(calls).toHaveLength(3);
  });

  it("names the file SANY failed in when a module extends a broken one", async () => {
    const result = await run({ specsRoot: specsRoot("extends"), run: fakeJava({ sany: [fixture("sany-parse-error-extended.txt"), 255] }) });
    expect(result.code).toBe(3);
    expect(result.out).toContain("SANY: in B.tla: ***Parse Error***");
  });

  it("shows TLC's progress lines on stderr while the full check runs (not with --json)", async () => {
    const java = (command: string, args: readonly string[], options: { cwd: string; timeoutMs: number; onStdout?: (chunk: string) => void }): Promise<ProcessResult> => {
      if (!args.includes("-simulate") && !args.includes("tla2sany.SANY")) options.onStdout?.(fixture("tlc-pass.txt"));
      return fakeJava({})(command, args);
    };
    const shown = await run({ specsRoot: specsRoot("progress"), run: java });
    expect(shown.err).toMatch(/specs: {3}broadcast\/MCBroadcast\.cfg: Progress\(\d+\)/);
    const quiet = await run({ specsRoot: specsRoot("progress-json"), run: java, argv: ["--json"] });
    expect(quiet.err).not.toContain("Progress(");
  });

  it("with --json prints one line per check on stderr as it ends (with its seconds), and only JSON on stdout", async () => {
    const lines: { out: string[]; err: string[] } = { out: [], err: [] };
    let ended = 0;
    const java = (command: string, args: readonly string[]): Promise<ProcessResult> => {
      // The line of a check must be out before the next check starts (progress while the run goes on, not at its end).
      if (args.includes("tla2sany.SANY")) expect(lines.err.length).toBe(ended);
      return fakeJava({})(command, args);
    };
    const code = await runSpecs({
      argv: ["--json"],
      env: {},
      specsRoot: specsRoot("brief-json"),
      out: (l) => lines.out.push(l),
      err: (l) => {
        ended++;
        lines.err.push(l);
      },
      locate: () => Promise.resolve({ found: true, jar: "/fake/tla2tools.jar", java: "java", javaVersion: "fake 17" }),
      run: java,
    });
    expect(code).toBe(0);
    expect(lines.err).toEqual([expect.stringMatching(/^specs: \[1\/1\] check broadcast\/MCBroadcast\.cfg: pass in \d+\.\d s$/)]);
    for (const line of lines.out) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    const silent = await run({ specsRoot: specsRoot("brief-off"), run: fakeJava({}), argv: ["--json"], progress: false });
    expect(silent.err).toBe("");
  });
});
