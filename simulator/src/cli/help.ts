import { FLAGS } from "./flags.js";
import type { AnySimulationTarget } from "./registry.js";
import { byzantineStrategies } from "../byzantine/strategy-names.js";

/** The short usage printed after a usage error. */
export const USAGE = `usage: pnpm sim PROTOCOL [--nodes N] [--seed S] [--seeds K] [--duration MS] [--faults none|all|LIST]
                [--byzantine K [--strategy NAME]] [--json] [--trace FILE] [--report FILE.html] [--check-determinism] [--workers N]
       pnpm sim replay TRACE.ndjson [--report FILE.html]
       pnpm sim --list | --help | PROTOCOL --help`;

/** What each exit code means, as `--help` prints it. */
export const EXIT_CODES = `exit codes:
  0  every run held every invariant (and, with --check-determinism or replay, ran identically)
  1  a run violated an invariant, or two runs of a seed diverged; the command that replays it is printed
  2  bad usage: a bad flag or value, an unknown protocol, an unwritable --trace/--report place, an unreadable trace
  3  internal error: a bug in synod (the stack trace is printed; please report it)`;

/**
 * Rough cost of runs, measured on one core (`pnpm sim raft --nodes N --seed 1 --duration D`): the
 * simulator handles some 50,000–500,000 events per second and message counts grow with the cluster.
 */
export const PRACTICAL_SIZES = `practical sizes (one core, default 10 s of virtual time):
  raft 5 nodes: about 2 s a run; 50 nodes: 10 s; 200 nodes: 20 s; 1000 nodes: minutes per virtual second
  pbft: messages grow with N^2 per request: 49 nodes take about 30 s per virtual second
  A long single run on a terminal shows its progress on stderr; --seeds spreads seeds over cores.`;

function flagLines(): string {
  const left = (name: string, value: string | undefined): string => (value === undefined ? name : `${name} ${value}`);
  const width = Math.max(...FLAGS.map((f) => left(f.name, f.value).length)) + 2;
  return FLAGS.map((f) => `  ${left(f.name, f.value).padEnd(width)}${f.meaning}${f.default === undefined ? "" : ` (default: ${f.default})`}`).join("\n");
}

/** @returns the full `pnpm sim --help` text: usage, every flag with its meaning and default, exit codes, sizes */
export function helpText(protocols: readonly string[]): string {
  return [
    USAGE,
    "",
    "Runs a protocol in the deterministic simulator: the same seed and flags give the same run, event for event.",
    "",
    "flags:",
    flagLines(),
    "",
    `replay: pnpm sim replay TRACE.ndjson runs a recorded trace again, says whether it matched event for event,
  and prints the run (--report FILE.html also writes its report). No other flag applies: the trace holds them.`,
    "",
    EXIT_CODES,
    "",
    PRACTICAL_SIZES,
    "",
    `protocols: ${protocols.join(", ")} (pnpm sim PROTOCOL --help for one)`,
  ].join("\n");
}

/** @returns `pnpm sim PROTOCOL --help`: the protocol's defaults, invariants and workload, then the flags */
export function protocolHelpText(target: AnySimulationTarget): string {
  const checks = target.createInvariants().flatMap((invariant) => invariant.covers ?? [invariant.name]);
  const points = (target.crashPoints ?? []).map((p) => `${p.name} (${p.crash})`);
  const strategies = byzantineStrategies(target.name);
  const aimed = strategies.namedOnly.length > 0 ? `; aimed at one window, only with --strategy: ${strategies.namedOnly.join(", ")}` : "";
  return [
    `${target.name}: ${target.description}`,
    `  nodes: default ${target.defaultNodes}, at least ${target.minNodes}; a tick every ${target.tickMs} virtual ms`,
    `  invariants checked after every step: ${checks.length > 0 ? checks.join(", ") : "(none)"}`,
    `  liveness after healing: ${target.liveness === undefined ? "not checked" : "checked"}; client workload: ${target.client === undefined ? "none" : "yes"}`,
    `  buggify crash points: ${points.length > 0 ? points.join(", ") : "(none)"}`,
    `  Byzantine strategies (--byzantine K, --strategy NAME): drawn ${strategies.drawn.join(", ")}${aimed}`,
    `  example: pnpm sim ${target.name} --seed 1 --seeds 20 --faults all`,
    "",
    "flags:",
    flagLines(),
    "",
    EXIT_CODES,
    "",
    PRACTICAL_SIZES,
  ].join("\n");
}
