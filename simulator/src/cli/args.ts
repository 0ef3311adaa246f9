import { MAX_SEED, SynodError } from "@synod/core";
import { parseFaultSelection, type FaultSelection } from "../faults/fault-kinds.js";
import { MAX_NODES, MAX_WORKERS } from "../engine/limits.js";
import { BOOLEAN_FLAGS, DEFAULT_CLI_DURATION_MS, MAX_DURATION_MS, MAX_SEEDS, VALUE_FLAGS } from "./flags.js";

/** A parsed command line. */
export type CliCommand =
  | { readonly kind: "list" }
  /** `--help`; with a protocol name, that protocol's help. */
  | { readonly kind: "help"; readonly protocol: string | undefined }
  /** Replay a recorded trace (and check it matches), optionally writing its report. */
  | { readonly kind: "replay"; readonly trace: string; readonly report: string | undefined }
  | {
      readonly kind: "run";
      readonly protocol: string;
      readonly nodes: number | undefined;
      /** undefined: pick a random first seed (and print it). */
      readonly seed: number | undefined;
      readonly seeds: number;
      readonly durationMs: number;
      readonly faults: FaultSelection;
      readonly faultsText: string;
      readonly json: boolean;
      readonly trace: string | undefined;
      /** Write an HTML report of the run here (a single seed only). */
      readonly report: string | undefined;
      readonly checkDeterminism: boolean;
      readonly workers: number | undefined;
      /** Faulty nodes drawn per seed with protocol-aware strategies (0: none). */
      readonly byzantine: number;
      /** The strategy every faulty node runs (`--strategy`); undefined: each draws one from the seed. */
      readonly strategy: string | undefined;
      /** Nodes run as twins (two copies sharing an id) until healing, drawn per seed (0: none). */
      readonly twins: number;
    };


function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new SynodError("usage", `${flag} needs a whole number, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new SynodError("usage", `${flag} must be between ${min} and ${max}, got ${text}`);
  return value;
}

/**
 * Parse `synod`'s arguments (without the node and script paths). Flags take their value as the
 * next argument or after `=`.
 * @throws {SynodError} code `usage`, with a message naming the bad flag or value
 */
export function parseArgs(argv: readonly string[]): CliCommand {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      if (VALUE_FLAGS.has(name)) {
        const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined || value === "") throw new SynodError("usage", `${name} needs a value`);
        if (values.has(name)) throw new SynodError("usage", `${name} given twice`);
        values.set(name, value);
      } else if (BOOLEAN_FLAGS.has(name) && eq < 0) {
        flags.add(name);
      } else {
        throw new SynodError("usage", `unknown flag ${arg}`);
      }
    } else {
      positional.push(arg);
    }
  }
  if (flags.has("--help") || flags.has("-h")) return { kind: "help", protocol: positional[0] === "replay" ? undefined : positional[0] };
  if (flags.has("--list")) {
    if (positional.length > 0 || values.size > 0) throw new SynodError("usage", "--list takes no other arguments");
    return { kind: "list" };
  }
  if (positional.length === 0) throw new SynodError("usage", "missing protocol name (see synod --list)");
  if (positional[0] === "replay") return replayCommand(positional, values, flags);
  if (positional.length > 1) throw new SynodError("usage", `expected one protocol name, got ${positional.join(" ")}`);
  if (flags.has("--adaptive") && positional[0] !== "gossip") {
    throw new SynodError("usage", `--adaptive applies to gossip only (its adaptive tuning), got ${positional[0]}`);
  }
  const get = (flag: string): string | undefined => values.get(flag);
  const faultsText = get("--faults") ?? "none";
  const seeds = get("--seeds") === undefined ? 1 : integer("--seeds", get("--seeds") as string, 1, MAX_SEEDS);
  const seed = get("--seed") === undefined ? undefined : integer("--seed", get("--seed") as string, 0, MAX_SEED);
  if (seed !== undefined && seed > MAX_SEED - (seeds - 1)) {
    throw new SynodError("usage", `--seed ${seed} --seeds ${seeds} goes past the largest seed ${MAX_SEED}: give a smaller --seed`);
  }
  if (get("--report") !== undefined && seeds > 1) throw new SynodError("usage", "--report draws one run: give --seed S without --seeds");
  const byzantine = get("--byzantine") === undefined ? 0 : integer("--byzantine", get("--byzantine") as string, 0, 1024);
  if (get("--strategy") !== undefined && byzantine === 0) {
    throw new SynodError("usage", "--strategy names what the faulty nodes do: give --byzantine K too (K ≥ 1)");
  }
  if (get("--report") !== undefined && flags.has("--check-determinism")) throw new SynodError("usage", "--report and --check-determinism: run them separately");
  return {
    kind: "run",
    protocol: flags.has("--adaptive") ? "gossip-adaptive" : (positional[0] as string),
    nodes: get("--nodes") === undefined ? undefined : integer("--nodes", get("--nodes") as string, 1, MAX_NODES),
    seed,
    seeds,
    durationMs: get("--duration") === undefined ? DEFAULT_CLI_DURATION_MS : integer("--duration", get("--duration") as string, 1, MAX_DURATION_MS),
    faults: parseFaultSelection(faultsText),
    faultsText,
    json: flags.has("--json"),
    trace: get("--trace"),
    report: get("--report"),
    checkDeterminism: flags.has("--check-determinism"),
    workers: get("--workers") === undefined ? undefined : integer("--workers", get("--workers") as string, 1, MAX_WORKERS),
    byzantine,
    strategy: get("--strategy"),
    twins: get("--twins") === undefined ? 0 : integer("--twins", get("--twins") as string, 0, MAX_NODES),
  };
}

/** `synod replay TRACE [--report FILE]`: no other flag applies. */
function replayCommand(positional: readonly string[], values: ReadonlyMap<string, string>, flags: ReadonlySet<string>): CliCommand {
  if (positional.length !== 2) throw new SynodError("usage", "replay takes one trace file: synod replay TRACE.ndjson [--report FILE.html]");
  const other = [...values.keys(), ...flags].filter((flag) => flag !== "--report");
  if (other.length > 0) throw new SynodError("usage", `replay takes only --report (the trace holds the rest), got ${other.join(" ")}`);
  return { kind: "replay", trace: positional[1] as string, report: values.get("--report") };
}
