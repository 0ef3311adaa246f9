import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { HuntResult } from "./hunt-result.js";
import { detectorCommand, validateFlags, type Detector, type SimDetector } from "./mutant.js";

/** What one detector found on one mutant. */
/** One seed's line of `pnpm specs validate raft|crdt|pbft|gossip --json` (the fields read here). */
interface ValidatedSeed {
  readonly seed: number;
  readonly verdict: { readonly result: "validated" | "rejected" | "violation" | "error"; readonly line?: number; readonly property?: string };
}

export interface DetectorOutcome {
  /** The detector, as a command. */
  readonly detector: string;
  readonly kind: Detector["kind"];
  readonly caught: boolean;
  /** CPU seconds to the verdict (for the simulator: the seeds only, module loading excluded). */
  readonly cpuSeconds: number;
  readonly seedsRun?: number;
  readonly seed?: number;
  readonly setup?: string;
  /** The violated invariant, or what failed. */
  readonly invariant?: string;
  readonly message?: string;
  /** The detector did not finish within the time limit (not counted as caught). */
  readonly timedOut?: boolean;
  /** The detector could not run (e.g. no TLC jar): not counted either way. */
  readonly error?: string;
}

/** Where TLC is expected (see /work/shared/TLC-NOTES.md): `$TLA2TOOLS_JAR` or ~/.cache/tla/tla2tools.jar. */
export function tlcJar(): string {
  return process.env.TLA2TOOLS_JAR ?? join(homedir(), ".cache", "tla", "tla2tools.jar");
}

/**
 * Run `command` under /usr/bin/time when present, to learn the child's CPU seconds. The limit is
 * enforced by coreutils `timeout` when present: it kills the detector's whole process group (a
 * `tsx` hunt runs its script in a grandchild, which a plain `spawnSync` timeout left running,
 * orphaned, after killing only the wrapper); `spawnSync`'s own timeout, a little later, is the
 * backstop where `timeout` is missing.
 */
function timed(command: string, args: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; cpuSeconds: number; timedOut: boolean } {
  const timeFile = join(mkdtempSync(join(tmpdir(), "synod-time-")), "t");
  const useTime = existsSync("/usr/bin/time");
  const useTimeout = existsSync("/usr/bin/timeout");
  let argv = useTime ? ["/usr/bin/time", "-f", "%U %S", "-o", timeFile, command, ...args] : [command, ...args];
  if (useTimeout) argv = ["/usr/bin/timeout", "--kill-after=10", `${Math.ceil(timeoutMs / 1000)}s`, ...argv];
  const run = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: "utf8", timeout: useTimeout ? timeoutMs + 20_000 : timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  let cpuSeconds = 0;
  if (useTime && existsSync(timeFile)) {
    const [user, system] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
    cpuSeconds = (user ?? 0) + (system ?? 0);
  }
  rmSync(dirname(timeFile), { recursive: true, force: true });
  const killedByTimeout = useTimeout && (run.status === 124 || run.status === 137);
  const timedOut = killedByTimeout || (run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT");
  return { status: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? "", cpuSeconds, timedOut };
}

/**
 * Run one detector against the code in `root` (a scratch copy with a mutant applied).
 * @param timeoutMs - wall-clock limit for the detector
 */
export function runDetector(root: string, d: Detector, timeoutMs: number): DetectorOutcome {
  const detector = detectorCommand(d);
  const tsx = join(root, "node_modules", ".bin", "tsx");
  switch (d.kind) {
    case "sim": {
      const run = timed(tsx, ["--conditions=source", "mutants/src/hunt.ts", JSON.stringify(d)], root, timeoutMs);
      if (run.timedOut) return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, timedOut: true };
      const line = run.stdout.trim().split("\n").pop() ?? "";
      if (run.status !== 0 || !line.startsWith("{")) {
        // The hunt itself did not run: the mutant broke module loading (a compile-level break).
        return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, error: `hunt exited ${run.status}: ${run.stderr.trim().split("\n").slice(-3).join(" | ").slice(0, 300)}` };
      }
      const hunt = JSON.parse(line) as HuntResult;
      return { detector, kind: d.kind, ...hunt };
    }
    case "tlc": {
      const jar = tlcJar();
      if (!existsSync(jar)) return { detector, kind: d.kind, caught: false, cpuSeconds: 0, error: `no TLC jar at ${jar}` };
      const meta = mkdtempSync(join(tmpdir(), "synod-tlc-"));
      const specDir = join(root, dirname(d.spec));
      const args = ["-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-cleanup", "-metadir", meta, "-config", basename(d.cfg), basename(d.spec)];
      const run = timed("java", args, specDir, timeoutMs);
      rmSync(meta, { recursive: true, force: true });
      if (run.timedOut) return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, timedOut: true };
      const violated = /(Invariant|Temporal property|Action property) (\S+) is violated/.exec(run.stdout) ?? /(Invariant|property) (\S+) .*violated/.exec(run.stdout);
      const caught = run.status === 12 || run.status === 13 || (violated !== null && run.status !== 0);
      if (!caught && run.status !== 0) return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, error: `TLC exited ${run.status}` };
      return { detector, kind: d.kind, caught, cpuSeconds: run.cpuSeconds, ...(violated !== null ? { invariant: violated[2] } : {}) };
    }
    case "validate": {
      const protocol = d.protocol ?? "raft";
      const spec = protocol === "crdt" ? "DeltaAntiEntropy.tla" : protocol === "pbft" ? "PBFT.tla" : protocol === "chain" ? "Chain.tla" : protocol === "gossip" ? "Swim.tla" : "Raft.tla";
      const run = timed(tsx, ["--conditions=source", "specs/runner/main.ts", "validate", protocol, ...validateFlags(d), "--json"], root, timeoutMs, { SYNOD_REQUIRE_TLC: "1" });
      if (run.timedOut) return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, timedOut: true };
      if (run.status !== 0 && run.status !== 1) {
        return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, error: `specs validate exited ${run.status}: ${run.stderr.trim().split("\n").slice(-2).join(" | ").slice(0, 300)}` };
      }
      const seeds = run.stdout.split("\n").filter((line) => line.startsWith("{") && !line.includes('"summary"')).map((line) => JSON.parse(line) as ValidatedSeed);
      const first = seeds.findIndex((s) => s.verdict.result === "rejected" || s.verdict.result === "violation");
      if (first < 0) {
        // Exit 1 with no rejected trace: a step the recorder could not map (a failed validation too).
        if (run.status === 1) return { detector, kind: d.kind, caught: true, cpuSeconds: run.cpuSeconds, invariant: "TraceValidation", message: run.stderr.trim().split("\n").pop() ?? "" };
        return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, seedsRun: seeds.length };
      }
      const rejected = seeds[first] as ValidatedSeed;
      return {
        detector,
        kind: d.kind,
        caught: true,
        cpuSeconds: run.cpuSeconds,
        seedsRun: first + 1,
        seed: rejected.seed,
        invariant: "TraceValidation",
        message:
          rejected.verdict.result === "violation"
            ? `seed ${rejected.seed}: ${rejected.verdict.property ?? `a property of ${spec}`} fails after trace line ${rejected.verdict.line ?? "?"}`
            : `trace line ${rejected.verdict.line ?? "?"} of seed ${rejected.seed} is no step of ${spec}`,
      };
    }
    case "test": {
      const vitest = join(root, "node_modules", ".bin", "vitest");
      const run = timed(vitest, ["run", d.path], root, timeoutMs);
      if (run.timedOut) return { detector, kind: d.kind, caught: false, cpuSeconds: run.cpuSeconds, timedOut: true };
      return { detector, kind: d.kind, caught: run.status !== 0, cpuSeconds: run.cpuSeconds, ...(run.status !== 0 ? { invariant: "test failed" } : {}) };
    }
  }
}

/**
 * A baseline: run a simulator detector over all its seeds on the unmutated code in `root`.
 * @returns the hunt's report with every failing seed (`failing`), or an error message
 */
export function runBaseline(root: string, d: SimDetector, timeoutMs: number): HuntResult | { error: string } {
  const run = timed(join(root, "node_modules", ".bin", "tsx"), ["--conditions=source", "mutants/src/hunt.ts", JSON.stringify(d), "--all"], root, timeoutMs);
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.timedOut) return { error: "timed out" };
  if (run.status !== 0 || !line.startsWith("{")) return { error: `hunt exited ${run.status}: ${run.stderr.trim().slice(-300)}` };
  return JSON.parse(line) as HuntResult;
}
