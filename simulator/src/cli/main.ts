import { randomInt } from "node:crypto";
import { availableParallelism } from "node:os";
import { SynodError } from "@synod/core";
import type { RunProgress } from "../engine/options.js";
import { formatFaultSelection } from "../faults/fault-kinds.js";
import { ProgressBar } from "../parallel/progress-bar.js";
import { runSeedsInWorkers, errorSummary } from "../parallel/run-seeds.js";
import { runOneSeed, type BatchOptions, type RunSummary } from "../parallel/run-summary.js";
import { parseArgs, type CliCommand } from "./args.js";
import { helpText, protocolHelpText, USAGE } from "./help.js";
import { loadProtocol, protocolNames, type AnySimulationTarget } from "./registry.js";
import { describeRun, describeRunBriefly, determinismVerdict, replayCommand } from "./report.js";
import { replayMain, reportOneSeed } from "./report-commands.js";
import { RunProgressLine } from "./run-progress-line.js";
import { runProblem } from "./run-problem.js";
import { TraceFile, tracePathFor } from "./trace-file.js";

type RunCommand = Extract<CliCommand, { kind: "run" }>;

function usageError(message: string): number {
  process.stderr.write(`synod: ${message}\n${USAGE}\n`);
  return 2;
}

/**
 * The `synod` command line (`pnpm sim`). Exit code 0 when every run held every invariant, 1 when
 * any run violated one (the replay command is printed), 2 on bad usage (an unwritable `--trace`
 * place included), 3 on an internal error (a bug: the stack trace is printed).
 * @param argv - arguments after the script path
 * @returns the exit code
 */
export async function main(argv: readonly string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof SynodError && error.code === "usage") return usageError(error.message);
    throw error;
  }
  if (command.kind === "help") return help(command.protocol);
  if (command.kind === "replay") return replayMain(command);
  if (command.kind === "list") {
    process.stdout.write(protocolNames().map((name) => `${name}\n`).join(""));
    return 0;
  }
  return run(command);
}

/** `--help`, or `PROTOCOL --help`. */
async function help(protocol: string | undefined): Promise<number> {
  if (protocol === undefined) {
    process.stdout.write(`${helpText(protocolNames())}\n`);
    return 0;
  }
  const target = await loadProtocol(protocol);
  if (target === undefined) return usageError(`unknown protocol "${protocol}" (available: ${protocolNames().join(", ")})`);
  process.stdout.write(`${protocolHelpText(target)}\n`);
  return 0;
}

async function run(command: RunCommand): Promise<number> {
  const target = await loadProtocol(command.protocol);
  if (target === undefined) return usageError(`unknown protocol "${command.protocol}" (available: ${protocolNames().join(", ")})`);
  const nodes = command.nodes ?? target.defaultNodes;
  const problem = runProblem(command, target, nodes);
  if (problem !== undefined) {
    process.stderr.write(`synod: ${problem}\n`);
    return 2;
  }
  const randomSeed = command.seed === undefined;
  const firstSeed = command.seed ?? randomInt(0, 2 ** 31);
  const seeds = Array.from({ length: command.seeds }, (_, i) => firstSeed + i);
  const seedNote = `${command.seeds === 1 ? `seed ${firstSeed}` : `seeds ${firstSeed}..${firstSeed + command.seeds - 1}`}${randomSeed ? " (random: pass --seed to repeat)" : ""}`;
  if (command.json) process.stderr.write(`synod: ${command.protocol}, ${seedNote}\n`);
  else process.stdout.write(`synod: ${command.protocol}, ${nodes} nodes, ${seedNote}, faults ${formatFaultSelection(command.faults)}\n`);

  const options: BatchOptions = {
    nodes,
    durationMs: command.durationMs,
    faults: command.faults,
    ...(command.byzantine > 0 ? { byzantineNodes: command.byzantine } : {}),
    ...(command.strategy !== undefined ? { byzantineStrategy: command.strategy } : {}),
    ...(command.twins > 0 ? { twins: command.twins } : {}),
  };
  if (command.report !== undefined) return reportOneSeed(command, target, options, nodes, firstSeed);
  const workers = command.trace !== undefined ? 1 : (command.workers ?? Math.min(command.seeds, availableParallelism(), 8));
  const progress = new ProgressBar(process.stderr, !command.json && command.seeds > 1);
  const startedMs = Date.now();
  let failed = 0;
  let done = 0;
  const checked: RunSummary[] = [];
  const { protocol, durationMs, faultsText, byzantine, strategy, twins } = command;
  const replayFor = (s: RunSummary): string => replayCommand({ protocol, nodes, seed: s.seed, durationMs, faultsText, byzantine, strategy, twins });
  const print = (s: RunSummary): void => {
    const bad = s.violations.length > 0;
    if (command.json) {
      const line = { ...s, faultSelection: command.faultsText, violations: s.violations.map((v) => ({ invariant: v.invariant, event: v.event, message: v.message, timeMs: v.timeMs, ...(v.node ? { node: v.node } : {}) })) };
      process.stdout.write(`${JSON.stringify(bad ? { ...line, replay: replayFor(s) } : line)}\n`);
    } else {
      progress.done();
      process.stdout.write(`${command.seeds === 1 || bad ? describeRun(s, replayFor(s)) : describeRunBriefly(s)}\n`);
    }
  };
  const account = (s: RunSummary): void => {
    done++;
    if (s.violations.length > 0) failed++;
    if (command.checkDeterminism) checked.push(s);
    print(s);
    progress.update(done, command.seeds, failed);
  };

  if (workers <= 1) runSerially(command, target, options, seeds, account);
  else await runInWorkers(command, options, seeds, workers, account);
  progress.done();
  const wallMs = Date.now() - startedMs;
  const verdict = command.checkDeterminism ? { deterministic: checked.every((s) => s.deterministic === true) } : {};
  if (command.json) process.stdout.write(`${JSON.stringify({ summary: true, runs: command.seeds, failed, wallMs, ...verdict })}\n`);
  if (command.checkDeterminism && !command.json) process.stdout.write(`${determinismVerdict(checked)}\n`);
  if (!command.json) process.stdout.write(`${command.seeds} run${command.seeds === 1 ? "" : "s"}, ${failed} failed, ${wallMs} ms wall${failed > 0 ? " — replay a failure with the command printed above" : ""}\n`);
  return failed > 0 ? 1 : 0;
}

/** Runs the seeds one after another in this process (the only way `--trace` files are written). */
function runSerially(
  command: RunCommand,
  target: AnySimulationTarget,
  options: BatchOptions,
  seeds: readonly number[],
  account: (summary: RunSummary) => void,
): void {
  const line = new RunProgressLine(process.stderr, !command.json);
  for (const seed of seeds) {
    let summary: RunSummary;
    const trace = command.trace === undefined ? undefined : new TraceFile(tracePathFor(command.trace, seed, command.seeds === 1));
    line.begin();
    const label = `${command.protocol} seed ${seed}${command.checkDeterminism ? " (determinism check: two runs)" : ""}`;
    const watched = { ...options, onProgress: (progress: RunProgress) => line.update(label, progress) };
    try {
      summary = runOneSeed(target, watched, seed, command.checkDeterminism, trace === undefined ? undefined : (text) => trace.write(text));
    } catch (error) {
      summary = errorSummary(command.protocol, seed, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    } finally {
      trace?.close();
      line.clear();
    }
    account(summary);
  }
}

/** Runs the seeds on worker threads, accounting for the results in seed order as they arrive. */
async function runInWorkers(
  command: RunCommand,
  options: BatchOptions,
  seeds: readonly number[],
  workers: number,
  account: (summary: RunSummary) => void,
): Promise<void> {
  const ready = new Map<number, RunSummary>();
  let nextToPrint = 0;
  await runSeedsInWorkers({
    protocol: command.protocol,
    options,
    seeds,
    workers,
    determinism: command.checkDeterminism,
    onResult: (summary) => {
      ready.set(summary.seed, summary);
      while (nextToPrint < seeds.length && ready.has(seeds[nextToPrint] as number)) {
        account(ready.get(seeds[nextToPrint] as number) as RunSummary);
        ready.delete(seeds[nextToPrint] as number);
        nextToPrint++;
      }
    },
  });
}

// A closed pipe (`pnpm sim … | head`) ends the program quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`synod: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
