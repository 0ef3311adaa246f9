import { availableParallelism } from "node:os";
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from "./check-options.js";

/**
 * What `pnpm specs` runs: `check` (default) parses, simulates and model-checks every model, then
 * runs the expected failures; `parse` only runs SANY; `smoke` parses and simulates; `expected`
 * runs only the expected failures (expected-failures.json).
 */
export type RunnerCommand = "check" | "parse" | "smoke" | "expected";

/** Parsed command line of `pnpm specs`. */
export interface RunnerArgs {
  readonly command: RunnerCommand;
  /** Protocol folders to check (empty: all). */
  readonly only: readonly string[];
  readonly json: boolean;
  readonly help: boolean;
  /** Also run the expected failures marked `deep` (slow broken copies). */
  readonly deep: boolean;
  /** Expected failures run at the same time (each is a one-worker TLC). */
  readonly jobs: number;
  readonly check: CheckOptions;
}

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `usage: pnpm specs [check|parse|smoke|expected] [PROTOCOL...] [--deep] [--no-full] [--workers N|auto] [--jobs N] [--smoke-seed N] [--json]
  check         (default) SANY parse, smoke simulation, full model check of every model, then the
                expected failures of expected-failures.json (broken copies and reachability checks
                that must FAIL); the ones marked deep only with --deep
  parse         SANY parse only
  smoke         SANY parse + smoke simulation (same as --no-full)
  expected      only the expected failures
  validate      trace validation of simulated runs against the spec (\`pnpm specs validate raft --help\`)
  PROTOCOL      check only specs/PROTOCOL (e.g. raft); default: every folder under specs/
  --deep        also run the slow expected failures (deep: true)
  --no-full     SANY parse + smoke simulation only, no full model check, no expected failures
  --workers N   TLC workers for the full check (default auto)
  --jobs N      expected failures run N at a time (default: the number of cores, at most 4)
  --smoke-seed N  TLC -seed of the smoke simulation (default 1; printed with what it finds)
  --json        one JSON line per model and per expected failure, then a summary line (stdout is
                only JSON; run it as \`pnpm -s specs --json\` so that pnpm adds no banner)
environment: TLA2TOOLS_JAR (jar path), JAVA (java command), SYNOD_REQUIRE_TLC=1 (fail when TLC
  or Java is missing instead of skipping), SYNOD_TLC_NO_DOWNLOAD=1 (never download the jar)
exit: 0 all pass (or skipped: no TLC, not required) · 1 a property violated, or an expected failure
  did not fail · 2 bad usage · 3 parse error · 4 changed counts or properties pin · 5 TLC could not
  check a model (TLC error, timeout, missing module, broken expected-failures.json) · 6 TLC or Java
  not available while required (SYNOD_REQUIRE_TLC=1, or TLA2TOOLS_JAR / JAVA set and not working).
  With several outcomes the first in the order 1, 3, 5, 4, 6 wins.`;

/** Thrown for bad usage (the runner exits 2 with the message and USAGE). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const PROTOCOL = /^[a-z0-9][a-z0-9-]*$/;
const COMMANDS = new Set<string>(["check", "parse", "smoke", "expected"]);
const MAX_WORKERS = 256;

function integerFlag(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined) throw new UsageError(`${name} needs a value`);
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer in ${min}..${max}, got "${value}"`);
  return n;
}

/**
 * Parse `pnpm specs` arguments.
 * @param argv - the arguments after the script name
 * @returns the parsed options
 * @throws {UsageError} on an unknown flag, a bad worker count or seed, or a malformed protocol name
 */
export function parseRunnerArgs(argv: readonly string[]): RunnerArgs {
  const only: string[] = [];
  let command: RunnerCommand = "check";
  let json = false;
  let help = false;
  let deep = false;
  let full = DEFAULT_CHECK_OPTIONS.full;
  let workers = DEFAULT_CHECK_OPTIONS.workers;
  let smokeSeed = DEFAULT_CHECK_OPTIONS.smokeSeed;
  let jobs = Math.max(1, Math.min(4, availableParallelism()));
  const args = argv.filter((a) => a !== "--");
  if (args[0] !== undefined && COMMANDS.has(args[0])) command = args.shift() as RunnerCommand;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = (flag: string): string | undefined => (arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : args[++i]);
    if (arg === "--json") json = true;
    else if (arg === "--no-full") full = false;
    else if (arg === "--deep") deep = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--workers" || arg.startsWith("--workers=")) {
      const v = value("--workers");
      if (v === undefined) throw new UsageError("--workers needs a value (a number or auto)");
      workers = v === "auto" ? "auto" : integerFlag("--workers", v, 1, MAX_WORKERS);
    } else if (arg === "--jobs" || arg.startsWith("--jobs=")) {
      jobs = integerFlag("--jobs", value("--jobs"), 1, 64);
    } else if (arg === "--smoke-seed" || arg.startsWith("--smoke-seed=")) {
      smokeSeed = integerFlag("--smoke-seed", value("--smoke-seed"), 0, Number.MAX_SAFE_INTEGER);
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (!PROTOCOL.test(arg)) throw new UsageError(`"${arg}" is not a spec folder name (lowercase letters, digits, dashes)`);
    else only.push(arg);
  }
  if (command === "smoke") full = false;
  if (command === "parse") full = false;
  return { command, only, json, help, deep, jobs, check: { ...DEFAULT_CHECK_OPTIONS, full, workers, smokeSeed, parseOnly: command === "parse" } };
}
