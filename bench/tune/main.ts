/**
 * `pnpm tune <protocol>`: a bounded search over a protocol's parameters against a stated goal
 * (throughput, p99 latency, or time to recover from a leader/primary crash) for a given network
 * model, in the deterministic simulator. Prints the best settings with their measured figure
 * against the defaults', and why: the effect of each changed parameter alone, on the defaults.
 */
import { pathToFileURL } from "node:url";
import { createRng } from "@synod/core";
import type { NetworkOptions } from "@synod/simulator";
import type { TuneGoal } from "./goals.js";
import { parseTuneArgs, TuneUsageError, TUNE_USAGE, type TuneArgs } from "./args.js";
import { allSettings, TUNE_SPACES, type Settings, type TuneSpace } from "./space.js";

interface Evaluated {
  readonly settings: Settings;
  readonly score: number;
}

const same = (a: Settings, b: Settings): boolean => Object.keys(a).every((k) => a[k] === b[k]);
const describe = (s: Settings, defaults: Settings): string =>
  Object.entries(s).filter(([k, v]) => defaults[k] !== v).map(([k, v]) => `${k}=${v}`).join(", ") || "(the defaults)";

function networkOf(args: TuneArgs): Partial<NetworkOptions> {
  if (args.latencyMs === undefined) return { jitterMs: args.jitterMs };
  return { minLatencyMs: args.latencyMs / 2, maxLatencyMs: args.latencyMs, jitterMs: args.jitterMs };
}

/** @returns the mean figure over the seeds (NaN when a seed gave none: that setting is not a candidate) */
function evaluate(space: TuneSpace<unknown>, goal: TuneGoal<unknown>, settings: Settings, args: TuneArgs, nodes: number): number {
  let total = 0;
  for (let s = 0; s < args.seeds; s++) total += goal.measure(space.build(settings), args.seed + s, nodes, networkOf(args), args.loss);
  return total / args.seeds;
}

const better = (goal: TuneGoal<unknown>, a: number, b: number): boolean => Number.isFinite(a) && (!Number.isFinite(b) || (goal.higherIsBetter ? a > b : a < b));

/** The search: the defaults, then settings sampled from the grid (seeded), at most `budget` in all. */
function search(space: TuneSpace<unknown>, goal: TuneGoal<unknown>, args: TuneArgs, nodes: number, log: (line: string) => void): Evaluated[] {
  const grid = createRng(args.seed).fork("tune").shuffle(allSettings(space).filter((s) => !same(s, space.defaults)));
  const candidates = [space.defaults, ...grid.slice(0, args.budget - 1)];
  const results: Evaluated[] = [];
  for (const [i, settings] of candidates.entries()) {
    const score = evaluate(space, goal, settings, args, nodes);
    results.push({ settings, score });
    log(`tune: [${i + 1}/${candidates.length}] ${describe(settings, space.defaults)}: ${score.toFixed(1)} ${goal.unit}`);
  }
  return results;
}

/** Run `pnpm tune`. @returns the exit code */
export function runTune(argv: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  let args: TuneArgs;
  try {
    args = parseTuneArgs(argv);
  } catch (error) {
    if (!(error instanceof TuneUsageError)) throw error;
    err(`tune: ${error.message}`);
    err(TUNE_USAGE);
    return 2;
  }
  if (args.help) {
    out(TUNE_USAGE);
    return 0;
  }
  const space = TUNE_SPACES[args.protocol] as TuneSpace<unknown>;
  const goal = space.goals[args.goal] as TuneGoal<unknown>;
  const nodes = args.nodes ?? space.defaultNodes;
  const network = args.latencyMs === undefined ? "the simulator's default links (1–10 ms)" : `links of ${args.latencyMs / 2}–${args.latencyMs} ms`;
  out(`tune ${space.protocol}, ${nodes} nodes, goal ${goal.name}: ${goal.description}`);
  out(`network: ${network}, jitter ${args.jitterMs} ms, loss ${args.loss}; ${args.seeds} seed(s) from ${args.seed}; at most ${args.budget} settings`);
  const results = search(space, goal, args, nodes, err);
  const defaults = results[0] as Evaluated;
  const best = results.reduce((a, b) => (better(goal, b.score, a.score) ? b : a), defaults);
  printRecommendation(space, goal, args, nodes, defaults, best, results, out);
  return 0;
}

function printRecommendation(
  space: TuneSpace<unknown>,
  goal: TuneGoal<unknown>,
  args: TuneArgs,
  nodes: number,
  defaults: Evaluated,
  best: Evaluated,
  results: Evaluated[],
  out: (line: string) => void,
): void {
  const ranked = [...results].filter((r) => Number.isFinite(r.score)).sort((a, b) => (goal.higherIsBetter ? b.score - a.score : a.score - b.score));
  out("");
  out(`top settings (${goal.unit}, ${goal.higherIsBetter ? "higher" : "lower"} is better):`);
  for (const r of ranked.slice(0, 5)) out(`  ${r.score.toFixed(1).padStart(9)}  ${describe(r.settings, space.defaults)}`);
  out("");
  if (best === defaults || same(best.settings, defaults.settings)) {
    out(`recommendation: keep the defaults (${defaults.score.toFixed(1)} ${goal.unit}); none of the ${results.length - 1} other settings tried did better.`);
    return;
  }
  const ratio = goal.higherIsBetter ? best.score / defaults.score : defaults.score / best.score;
  out(`recommendation: ${describe(best.settings, space.defaults)}`);
  out(`  ${goal.name}: ${best.score.toFixed(1)} vs ${defaults.score.toFixed(1)} ${goal.unit} with the defaults`);
  out(`  (${ratio.toFixed(2)}x better, same seeds and network)`);
  out("why (each change alone, on the defaults):");
  for (const p of space.parameters) {
    const value = best.settings[p.name];
    if (value === undefined || value === space.defaults[p.name]) continue;
    const alone = { ...space.defaults, [p.name]: value };
    const score = space.valid(alone) ? evaluate(space, goal, alone, args, nodes) : Number.NaN;
    const text = Number.isFinite(score) ? `${score.toFixed(1)} ${goal.unit} (defaults ${defaults.score.toFixed(1)})` : "not valid alone";
    out(`  ${p.name} ${space.defaults[p.name]} -> ${value}: ${text}; ${p.effect}`);
  }
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  process.exitCode = runTune(process.argv.slice(2), (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`));
}
