import { readFileSync } from "node:fs";
import { SynodError } from "@synod/core";
import { summarize, type BatchOptions } from "../parallel/run-summary.js";
import { RunRecorder } from "../record/run-recorder.js";
import { replayTrace } from "../replay/replay-trace.js";
import { parseTraceHeader } from "../trace/trace-header.js";
import type { CliCommand } from "./args.js";
import { loadProtocol, protocolNames, type AnySimulationTarget } from "./registry.js";
import { describeRun, replayCommand } from "./report.js";
import { recordedRun, writeRunReport } from "./report-run.js";
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
  const spec = { protocol: command.protocol, nodes, seed, durationMs: command.durationMs, faultsText: command.faultsText, byzantine: command.byzantine };
  const summary = summarize(run.result);
  if (command.json) process.stdout.write(`${JSON.stringify({ ...summary, faultSelection: command.faultsText, report })}\n`);
  else process.stdout.write(`${describeRun(summary, replayCommand(spec))}\n`);
  const rerun = replayCommand(spec).replace(/--trace \S+$/, `--report ${report}`);
  const { byzantineNodes: _b, faults: _f, ...rerunOptions } = options;
  const written = writeRunReport(report, target, run, rerunOptions, rerun, command.byzantine > 0);
  (command.json ? process.stderr : process.stdout).write(`${written}\n`);
  return summary.violations.length > 0 ? 1 : 0;
}

/**
 * `synod replay TRACE [--report FILE]`: run the trace's simulation again, say whether it matched the
 * recording event for event, print it and write its report.
 * @returns the exit code (0 matched and held, 1 diverged or violated, 2 bad usage)
 */
export async function replayMain(command: ReplayCommand): Promise<number> {
  let lines: string[];
  let protocol: string;
  try {
    lines = readFileSync(command.trace, "utf8").trimEnd().split("\n");
    protocol = parseTraceHeader(lines[0] ?? "").protocol;
  } catch (error) {
    return fail(`replay: cannot read ${command.trace}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const target = await loadProtocol(protocol);
  if (target === undefined) return fail(`replay: the trace's protocol "${protocol}" is not one of ${protocolNames().join(", ")}`, 2);
  const problem = command.report === undefined ? undefined : traceDirectoryProblem(command.report);
  if (problem !== undefined) return fail(`--report: ${problem}`, 2);
  const recorder = new RunRecorder();
  let replay;
  try {
    replay = replayTrace(target, lines, { record: recorder });
  } catch (error) {
    if (error instanceof SynodError && error.code === "usage") return fail(`replay: ${error.message}`, 2);
    throw error;
  }
  const summary = summarize(replay.result);
  process.stdout.write(`${describeRun(summary, `pnpm sim replay ${command.trace}`)}\n`);
  const d = replay.divergence;
  const diverged = d === undefined ? "" : `replay: DIVERGED at event ${d.event} (trace line ${d.line}):\n  recorded: ${d.first}\n  replayed: ${d.second}\n`;
  process.stdout.write(d === undefined ? "replay: identical to the recorded trace\n" : diverged);
  if (command.report !== undefined) {
    const header = parseTraceHeader(lines[0] as string);
    const { nodes, durationMs, network, workload, codecRoundTrip } = header;
    const options = { nodes, durationMs, network, workload, codecRoundTrip };
    const rerun = `pnpm sim replay ${command.trace} --report ${command.report}`;
    process.stdout.write(`${writeRunReport(command.report, target, { result: replay.result, recorder }, options, rerun, false)}\n`);
  }
  return d !== undefined || summary.violations.length > 0 ? 1 : 0;
}
