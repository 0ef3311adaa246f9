import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from "./check-options.js";

/** Parsed command line of `pnpm specs`. */
export interface RunnerArgs {
  /** Protocol folders to check (empty: all). */
  readonly only: readonly string[];
  readonly json: boolean;
  readonly help: boolean;
  readonly check: CheckOptions;
}

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `usage: pnpm specs [PROTOCOL...] [--no-full] [--workers N|auto] [--json]
  PROTOCOL      check only specs/PROTOCOL (e.g. raft); default: every folder under specs/
  --no-full     SANY parse + smoke simulation only, no full model check
  --workers N   TLC workers for the full check (default auto)
  --json        one JSON line per model, then a summary line
environment: TLA2TOOLS_JAR (jar path), JAVA (java command), SYNOD_REQUIRE_TLC=1 (fail when TLC
  or Java is missing instead of skipping), SYNOD_TLC_NO_DOWNLOAD=1 (never download the jar)
exit: 0 all pass (or skipped: no TLC, not required), 1 violation / error / changed count, 2 bad usage`;

/** Thrown for bad usage (the runner exits 2 with the message and USAGE). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const PROTOCOL = /^[a-z0-9][a-z0-9-]*$/;
const MAX_WORKERS = 256;

/**
 * Parse `pnpm specs` arguments.
 * @param argv - the arguments after the script name
 * @returns the parsed options
 * @throws {UsageError} on an unknown flag, a bad worker count or a malformed protocol name
 */
export function parseRunnerArgs(argv: readonly string[]): RunnerArgs {
  const only: string[] = [];
  let json = false;
  let help = false;
  let full = DEFAULT_CHECK_OPTIONS.full;
  let workers = DEFAULT_CHECK_OPTIONS.workers;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") continue;
    if (arg === "--json") json = true;
    else if (arg === "--no-full") full = false;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--workers" || arg.startsWith("--workers=")) {
      const value = arg.includes("=") ? arg.slice("--workers=".length) : argv[++i];
      if (value === undefined) throw new UsageError("--workers needs a value (a number or auto)");
      if (value === "auto") workers = "auto";
      else {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new UsageError(`--workers must be auto or an integer in 1..${MAX_WORKERS}, got "${value}"`);
        workers = n;
      }
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (!PROTOCOL.test(arg)) throw new UsageError(`"${arg}" is not a spec folder name (lowercase letters, digits, dashes)`);
    else only.push(arg);
  }
  return { only, json, help, check: { ...DEFAULT_CHECK_OPTIONS, full, workers } };
}
