import { writeFileSync } from "node:fs";
import { nodeIds } from "@synod/core";
import { chooseByzantine } from "../byzantine/choose-byzantine.js";
import { DEFAULT_NETWORK, type SimulationOptions } from "../engine/options.js";
import type { SimulationResult } from "../engine/result.js";
import { runSimulation } from "../engine/run-simulation.js";
import type { BatchOptions } from "../parallel/run-summary.js";
import { RunRecorder } from "../record/run-recorder.js";
import { runReportPage } from "../report/run-report.js";
import { shrinkSchedule } from "../report/shrink-schedule.js";
import type { AnySimulationTarget } from "./registry.js";

/** Simulations a report may spend shrinking a failing run's fault schedule. */
export const REPORT_SHRINK_RUNS = 60;

/** @returns one seed's run, recorded for a report (Byzantine nodes drawn as `runOneSeed` draws them) */
export function recordedRun(
  target: AnySimulationTarget,
  batch: BatchOptions,
  seed: number,
  traceSink?: (line: string) => void,
): { result: SimulationResult; recorder: RunRecorder } {
  const { byzantineNodes, byzantineStrategy, ...options } = batch;
  const recorder = new RunRecorder();
  const members = nodeIds(options.nodes ?? target.defaultNodes);
  const byzantine = byzantineNodes ? chooseByzantine(target.name, members, byzantineNodes, seed, byzantineStrategy).adversaries : undefined;
  const result = runSimulation(target, { ...options, seed, record: recorder, ...(byzantine ? { byzantine } : {}), ...(traceSink ? { trace: traceSink } : {}) });
  return { result, recorder };
}

/**
 * Write the report of a recorded run to `path`; a violation's fault schedule is shrunk first (not for
 * runs with Byzantine nodes, whose adversaries a schedule does not carry).
 * @param options - the run's options apart from its schedule (to rerun it while shrinking)
 * @returns one line for the user: where the report is and what shrinking did
 */
export function writeRunReport(
  path: string,
  target: AnySimulationTarget,
  run: { readonly result: SimulationResult; readonly recorder: RunRecorder },
  options: Omit<SimulationOptions, "seed" | "schedule" | "faults" | "trace" | "record">,
  command: string,
  byzantine: boolean,
): string {
  const { result } = run;
  const violation = result.violations[0];
  let shrunk: { schedule: SimulationResult["schedule"]; note: string } | undefined;
  if (violation !== undefined && !byzantine && result.schedule.length > 0) {
    const rerun = { ...options, seed: result.seed, healAtMs: result.healAtMs };
    const s = shrinkSchedule(target, rerun, result.schedule, violation.invariant, REPORT_SHRINK_RUNS);
    const how = s.complete ? "no single episode more can go" : `budget of ${REPORT_SHRINK_RUNS} runs spent`;
    const v = s.violation;
    const at = v === undefined ? "" : `; with it the run fails at event ${v.event}, t=${v.timeMs.toFixed(3)} ms: ${v.message}`;
    const note = `${result.schedule.length} episodes shrunk to ${s.schedule.length} that still violate ${violation.invariant} (${s.runs} runs, ${how})${at}`;
    shrunk = { schedule: s.schedule, note };
  }
  const html = runReportPage({
    result,
    recording: run.recorder.recording(),
    command,
    nominalLatencyMs: { ...DEFAULT_NETWORK, ...options.network }.minLatencyMs,
    ...(shrunk !== undefined ? { shrunk } : {}),
  });
  writeFileSync(path, html);
  const messages = run.recorder.recording().messages.from.length;
  return `report: ${path} (${(html.length / 1024).toFixed(0)} KiB, ${messages} messages)${shrunk ? `; ${shrunk.note}` : ""}`;
}
