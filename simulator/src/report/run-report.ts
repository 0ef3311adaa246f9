import type { FaultSchedule } from "../faults/schedule.js";
import type { SimulationResult } from "../engine/result.js";
import { MESSAGE_FATES, MessageFate, type RunRecording } from "../record/run-recording.js";
import { runReportHtml, type RunReport, type SpaceTimeView, type SpaceTimeViolation } from "@synod/viz";
import { describeFault } from "./describe-fault.js";
import { historyViewOfRun } from "./history-view-of-run.js";

/** What a run's report is made of. */
export interface RunReportInput {
  readonly result: SimulationResult;
  readonly recording: RunRecording;
  /** The command that reproduces the run, shown under the title. */
  readonly command: string;
  /** Drawn length of messages that never arrived (the network's minimum latency). */
  readonly nominalLatencyMs: number;
  /** With a violation: the shrunk schedule and how it was found. */
  readonly shrunk?: { readonly schedule: FaultSchedule; readonly note: string };
}

/** Messages drawn before a violation in the first window of a failing run's report. */
const MESSAGES_BEFORE_VIOLATION = 250;

const count = (fates: readonly number[], fate: number): number => fates.reduce((n, f) => (f === fate ? n + 1 : n), 0);

function violationOf(input: RunReportInput): SpaceTimeViolation | undefined {
  const { result, recording } = input;
  const v = result.violations[0];
  if (v === undefined) return undefined;
  const node = v.node === undefined ? -1 : recording.nodes.indexOf(v.node);
  const schedule = input.shrunk?.schedule ?? result.schedule;
  return {
    invariant: v.invariant,
    message: v.message,
    event: v.event,
    atMs: v.timeMs,
    ...(node >= 0 ? { node } : {}),
    states: recording.nodes.map((id) => ({ node: id, json: JSON.stringify(recording.states?.[id] ?? null, null, 1) })),
    schedule: schedule.map((event) => describeFault(event, recording.nodes)),
    scheduleNote: input.shrunk?.note ?? `not shrunk: the ${result.schedule.length} episodes the run had`,
  };
}

/** @returns the first window: the whole run, or for a violation the last messages before it */
function initialWindow(recording: RunRecording, endMs: number, violation: SpaceTimeViolation | undefined): { fromMs: number; toMs: number } {
  if (violation === undefined) return { fromMs: 0, toMs: endMs };
  const sends = recording.messages.sendEvent;
  let last = sends.length - 1;
  while (last >= 0 && (sends[last] as number) > violation.event) last--;
  const first = Math.max(0, last - MESSAGES_BEFORE_VIOLATION);
  const fromMs = last < 0 ? 0 : (recording.messages.sentMs[first] as number);
  const toMs = violation.atMs + Math.max(1, (violation.atMs - fromMs) * 0.08);
  return { fromMs, toMs };
}

/** @returns the report of a recorded run: space-time diagram, history, violation */
export function buildRunReport(input: RunReportInput): RunReport {
  const { result, recording } = input;
  const fates = recording.messages.fate;
  const violation = violationOf(input);
  const spacetime: SpaceTimeView = {
    title: `${result.protocol} seed ${result.seed}: ${result.nodes} nodes, ${result.simulatedMs.toFixed(0)} ms`,
    summary:
      `${result.events} events, ${fates.length} messages (${count(fates, MessageFate.Lost)} lost, ${count(fates, MessageFate.Cut)} cut, ` +
      `${recording.messages.dupOf.filter((d) => d >= 0).length} duplicates), ${result.schedule.length} fault episodes, faults heal at ${result.healAtMs} ms; ` +
      `trace hash ${result.traceHash} — ${input.command}`,
    lanes: recording.nodes,
    endMs: result.simulatedMs,
    messageTypes: recording.messageTypes,
    fates: MESSAGE_FATES,
    messages: recording.messages,
    nodeEpisodes: recording.nodeEpisodes,
    networkEpisodes: recording.networkEpisodes,
    roles: recording.roles,
    eventTimesMs: recording.eventTimesMs,
    nominalLatencyMs: input.nominalLatencyMs,
    initialWindow: initialWindow(recording, result.simulatedMs, violation),
    ...(violation !== undefined ? { violation } : {}),
  };
  const history = historyViewOfRun(`${result.protocol} seed ${result.seed}`, result.history);
  return { spacetime, ...(history.view !== undefined ? { history: history.view } : {}), ...(history.note !== undefined ? { historyNote: history.note } : {}) };
}

/** @returns the report as one self-contained HTML page */
export function runReportPage(input: RunReportInput): string {
  return runReportHtml(buildRunReport(input));
}
