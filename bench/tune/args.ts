import { TUNE_SPACES } from "./space.js";

/** Usage of `pnpm tune`. */
export const TUNE_USAGE = `usage: pnpm tune <protocol> [--goal GOAL] [--latency-ms MS] [--jitter-ms MS] [--loss P]
                  [--nodes N] [--budget K] [--seeds S] [--seed N]
  protocol      ${Object.keys(TUNE_SPACES).join(" | ")}
  --goal        what to optimise:
                raft, pbft: p99 (default; latency at 200 ops/s), throughput (ok ops/s under overload),
                  recovery (time from a leader/primary crash to the next commit)
                gossip: detection (default; crash to every member holding it dead), convergence (after a
                  partition heals), messages (per member per second without faults)
  --latency-ms  one-way link latency: each link's base is drawn in [MS/2, MS] (default: the simulator's 1–10 ms)
  --jitter-ms   per-message jitter (default 2)
  --loss        share of messages lost, 0 ≤ P < 1 (default 0)
  --nodes       cluster size (default: the protocol's smallest compared size)
  --budget      most settings evaluated, defaults included (default 16; the grid is sampled by --seed)
  --seeds       seeds per setting, averaged (default 2)
  --seed        first seed (default 1)
exit: 0 done, 2 bad usage`;

/** A usage mistake: printed with the usage, exit 2. */
export class TuneUsageError extends Error {}

/** Parsed `pnpm tune` arguments. */
export interface TuneArgs {
  readonly protocol: string;
  readonly goal: string;
  readonly latencyMs: number | undefined;
  readonly jitterMs: number;
  readonly loss: number;
  readonly nodes: number | undefined;
  readonly budget: number;
  readonly seeds: number;
  readonly seed: number;
  readonly help: boolean;
}

function number(flag: string, text: string | undefined, min: number, max: number, integer: boolean): number {
  if (text === undefined) throw new TuneUsageError(`${flag} needs a value`);
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new TuneUsageError(`${flag} must be ${integer ? "an integer" : "a number"} in [${min}, ${max}], got "${text}"`);
  }
  return value;
}

/**
 * @returns the options of `argv`
 * @throws {TuneUsageError} on an unknown flag, protocol or goal, or a value out of range
 */
export function parseTuneArgs(argv: readonly string[]): TuneArgs {
  const positional: string[] = [];
  const values = new Map<string, string | undefined>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") continue;
    if (arg === "--help" || arg === "-h") help = true;
    else if (["--goal", "--latency-ms", "--jitter-ms", "--loss", "--nodes", "--budget", "--seeds", "--seed"].includes(arg)) values.set(arg, argv[++i]);
    else if (arg.startsWith("-")) throw new TuneUsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const protocol = positional[0] ?? "";
  if (!help && positional.length !== 1) throw new TuneUsageError(positional.length === 0 ? "missing protocol" : `one protocol, got ${positional.join(" ")}`);
  if (!help && !(protocol in TUNE_SPACES)) throw new TuneUsageError(`unknown protocol "${protocol}" (known: ${Object.keys(TUNE_SPACES).join(", ")})`);
  const space = TUNE_SPACES[protocol];
  const goal = values.get("--goal") ?? space?.defaultGoal ?? "";
  if (values.has("--goal") && values.get("--goal") === undefined) throw new TuneUsageError("--goal needs a value");
  if (space !== undefined && !(goal in space.goals)) {
    throw new TuneUsageError(`unknown goal "${goal}" for ${protocol} (known: ${Object.keys(space.goals).join(", ")})`);
  }
  const opt = (flag: string, min: number, max: number, integer: boolean): number | undefined =>
    values.has(flag) ? number(flag, values.get(flag), min, max, integer) : undefined;
  return {
    protocol,
    goal,
    latencyMs: opt("--latency-ms", 1, 10_000, false),
    jitterMs: opt("--jitter-ms", 0, 10_000, false) ?? 2,
    loss: opt("--loss", 0, 0.99, false) ?? 0,
    nodes: opt("--nodes", 1, 64, true),
    budget: opt("--budget", 1, 10_000, true) ?? 16,
    seeds: opt("--seeds", 1, 100, true) ?? 2,
    seed: opt("--seed", 0, 2 ** 31, true) ?? 1,
    help,
  };
}
