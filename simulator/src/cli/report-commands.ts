import { SynodError } from "@synod/core";
import { summarize, type BatchOptions } from "../parallel/run-summary.js";
import { RunRecorder } from "../record/run-recorder.js";
import { replayTrace } from "../replay/replay-trace.js";
import type { TraceDivergence } from "../replay/first-divergence.js";
import type { TraceHeader } from "../trace/trace-header.js";
import type { CliCommand } from "./args.js";
import { loadProtocol, protocolNames, type AnySimulationTarget } from "./registry.js";
import { describeRun, replayCommand } from "./report.js";
import { recordedRun, writeRunReport } from "./report-run.js";
import { readTraceFile, recordedRunFlags } from "./read-trace-file.js";
import { traceDirectoryProblem, TraceFile } from "./trace-file.js";

type RunCommand = Extract<CliCommand, { kind: "run" }>;
type ReplayCommand = Extract<CliCommand, { kind: "replay" }>;

function fail(message: string, code: number): number {
  process.stderr.write(`synod: ${message}\n`);
  return code;
}

/**
 * `synod <protocol> --seed S --report FILE`: run one seed recorded, print it as a story and write its
 * HTML report (and its trace with `--trace`).
 * @returns the exit code (0 held, 1 violated, 2 bad report place)
 */
export function reportOneSeed(command: RunCommand, target: AnySimulationTarget, options: BatchOptions, nodes: number, seed: number): number {
  const report = command.report as string;
  const problem = traceDirectoryProblem(report);
  if (problem !== undefined) return fail(`--report: ${problem}`, 2);
  const trace = command.trace === undefined ? undefined : new TraceFile(command.trace);
  let run;
  try {
    run = recordedRun(target, options, seed, trace === undefined ? undefined : (line) => trace.write(line));
  } finally {
    trace?.close();
  }
  const { protocol, durationMs, faultsText, byzantine, strategy, twins } = command;
  const spec = { protocol, nodes, seed, durationMs, faultsText, byzantine, strategy, twins };
  const summary = summarize(run.result);
  if (command.json) process.stdout.write(`${JSON.stringify({ ...summary, faultSelection: command.faultsText, report })}\n`);
  else process.stdout.write(`${describeRun(summary, replayCommand(spec))}\n`);
  const rerun = replayCommand(spec).replace(/--trace \S+$/, `--report ${report}`);
  const { byzantineNodes: _b, byzantineStrategy: _s, faults: _f, ...rerunOptions } = options;
  const written = writeRunReport(report, target, run, rerunOptions, rerun, command.byzantine > 0);
  (command.json ? process.stderr : process.stdout).write(`${written}\n`);
  return summary.violations.length > 0 ? 1 : 0;
}

/**
 * `synod replay TRACE [--report FILE]`: run the trace's simulation again, say whether it matched the
 * recording event for event, print it and write its report. Every refusal says what to do instead.
 * @returns the exit code (0 matched and held, 1 diverged or violated, 2 bad usage or an unreadable trace)
 */
export async function replayMain(command: ReplayCommand): Promise<number> {
  const read = readTraceFile(command.trace);
  if (!read.ok) return fail(`replay: ${read.problem}`, 2);
  const { lines, header } = read;
  const target = await loadProtocol(header.protocol);
  if (target === undefined) {
    return fail(`replay: the trace's protocol "${header.protocol}" is not one of ${protocolNames().join(", ")} (recorded by another version of synod?)`, 2);
  }
  const problem = command.report === undefined ? undefined : traceDirectoryProblem(command.report);
  if (problem !== undefined) return fail(`--report: ${problem}`, 2);
  if (header.customAdversaries.length > 0) {
    const rerun = `pnpm sim ${recordedRunFlags(header)} with the --faults it had`;
    const strategyOf = (id: string): string => (header.adversaryStrategies?.[id] === undefined ? id : `${id} ${header.adversaryStrategies[id]}`);
    const nodes = header.customAdversaries.map(strategyOf).join(", ");
    return fail(`replay: the run had Byzantine nodes (${nodes}), whose strategies a trace cannot carry: run the command that recorded it again (${rerun})`, 2);
  }
  const recorder = new RunRecorder();
  let replay;
  try {
    replay = replayTrace(target, lines, { record: recorder });
  } catch (error) {
    if (error instanceof SynodError && error.code === "usage") {
      return fail(`replay: the trace's header is invalid (was the file edited?): ${error.message}`, 2);
    }
    throw error;
  }
  const summary = summarize(replay.result);
  process.stdout.write(`${describeRun(summary, `pnpm sim replay ${command.trace}`)}\n`);
  process.stdout.write(replayVerdict(replay.divergence, read.complete, header));
  if (command.report !== undefined) {
    const { nodes, durationMs, network, workload, codecRoundTrip } = header;
    const twins = header.twins !== undefined ? { twins: header.twins.length } : {};
    const options = { nodes, durationMs, network, workload, codecRoundTrip, ...twins };
    const rerun = `pnpm sim replay ${command.trace} --report ${command.report}`;
    process.stdout.write(`${writeRunReport(command.report, target, { result: replay.result, recorder }, options, rerun, false)}\n`);
  }
  return replay.divergence !== undefined || summary.violations.length > 0 ? 1 : 0;
}

/** @returns whether the replay matched the recording, and when not, the likely reason and what to do */
function replayVerdict(d: TraceDivergence | undefined, complete: boolean, header: TraceHeader): string {
  if (d === undefined) return complete ? "replay: identical to the recorded trace\n" : "replay: identical to the recorded trace (which has no end line)\n";
  const where = `replay: DIVERGED at event ${d.event} (trace line ${d.line}):\n  recorded: ${d.first}\n  replayed: ${d.second}\n`;
  if (!complete && d.first === "<missing>") {
    const again = `record it again with the command that wrote it (${recordedRunFlags(header)} …)`;
    return `${where}replay: the trace ends early (cut short, or still being written): ${again}\n`;
  }
  const check = `pnpm sim ${header.protocol} --nodes ${header.nodes} --seed ${header.seed} --duration ${header.durationMs} --check-determinism`;
  return `${where}replay: the code changed since the trace was recorded, or the run is not deterministic (check: ${check})\n`;
}
