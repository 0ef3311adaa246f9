import { FAULT_KINDS } from "../faults/fault-kinds.js";
import { MAX_NODES, MAX_WORKERS } from "../engine/limits.js";
import { DEFAULT_DURATION_MS } from "../engine/options.js";

/** One command-line flag of `synod`: the parser accepts exactly these, and `--help` lists each. */
export interface FlagSpec {
  readonly name: string;
  /** The value's placeholder (`N`, `FILE`); absent for a boolean flag. */
  readonly value?: string;
  readonly meaning: string;
  /** What applies when the flag is not given. */
  readonly default?: string;
}

/** Largest `--seeds` count. */
export const MAX_SEEDS = 1_000_000;

/** Largest `--duration`, in virtual milliseconds. */
export const MAX_DURATION_MS = 100_000_000;

/** Default `--duration`. */
export const DEFAULT_CLI_DURATION_MS = DEFAULT_DURATION_MS;

/** Every flag, in the order `--help` lists them. */
export const FLAGS: readonly FlagSpec[] = [
  {
    name: "--nodes",
    value: "N",
    meaning: `cluster size, 1..${MAX_NODES} (see "practical sizes" below)`,
    default: "the protocol's, shown by pnpm sim PROTOCOL --help",
  },
  { name: "--seed", value: "S", meaning: "first seed, 0..2^53-1: every random choice of a run derives from it", default: "a random seed, printed" },
  { name: "--seeds", value: "K", meaning: `run K seeds, S..S+K-1, 1..${MAX_SEEDS} (on worker threads)`, default: "1" },
  {
    name: "--duration",
    value: "MS",
    meaning: `virtual milliseconds per run, 1..${MAX_DURATION_MS}; faults heal at 70 %`,
    default: String(DEFAULT_CLI_DURATION_MS),
  },
  {
    name: "--faults",
    value: "F",
    meaning:
      `none; all (each seed draws which faults are on and their rates; byzantine excluded); or a comma-separated list of ${FAULT_KINDS.join(", ")}` +
      " (buggify: crash a node right after a step that passes one of the protocol's crash points, with a per-seed probability, and restart it quickly;" +
      " PROTOCOL --help lists the points)",
    default: "none",
  },
  {
    name: "--byzantine",
    value: "K",
    meaning: "K faulty nodes per seed, each with a strategy drawn from the seed, active until healing (a permanent one: the whole run)",
    default: "0",
  },
  {
    name: "--strategy",
    value: "NAME",
    meaning:
      "every faulty node of --byzantine K runs strategy NAME instead of a drawn one (the faulty nodes are still drawn from the seed);" +
      " needs --byzantine (exit 2 without it). NAME is one of the protocol's, listed by PROTOCOL --help," +
      " including those aimed at one window and never drawn (PBFT's split-write)",
    default: "drawn per seed",
  },
  {
    name: "--twins",
    value: "K",
    meaning:
      "Twins: K nodes per seed, each run as two honest copies sharing its id and keys until healing; the network chooses which peers talk to which copy" +
      " (equivocation without a hand-written attack). K may exceed what the protocol tolerates: such runs are expected to fail",
    default: "0",
  },
  {
    name: "--adaptive",
    meaning:
      "gossip only: adaptive tuning on (fanout, retransmit limit and probe interval follow the measured loss and cluster size;" +
      " the detection and liveness bounds allow for it); runs as gossip-adaptive, the name its traces and replay commands carry",
    default: "off",
  },
  { name: "--json", meaning: "one JSON object per run on stdout, then a summary object; no progress output", default: "text" },
  {
    name: "--trace",
    value: "FILE",
    meaning: "write each run's ndjson trace to FILE (with --seeds: FILE.SEED.ndjson); runs the seeds one by one",
    default: "no trace",
  },
  { name: "--report", value: "FILE.html", meaning: "write an HTML report (space-time diagram) of one run; needs a single seed", default: "no report" },
  { name: "--check-determinism", meaning: "run every seed twice and compare the traces event by event; prints the verdict", default: "off" },
  { name: "--workers", value: "N", meaning: `worker threads for --seeds, 1..${MAX_WORKERS}`, default: "min(K, cores, 8)" },
  { name: "--list", meaning: "print the protocol names, one a line" },
  { name: "--help", meaning: "this text; with a protocol name, that protocol's defaults and invariants (also -h)" },
];

/** Flags that take a value (`--nodes 5` or `--nodes=5`). */
export const VALUE_FLAGS: ReadonlySet<string> = new Set(FLAGS.filter((f) => f.value !== undefined).map((f) => f.name));

/** Flags without a value. */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([...FLAGS.filter((f) => f.value === undefined).map((f) => f.name), "-h"]);
