import { runSimulation, type FaultSelection } from "../../../simulator/src/index.js";
import { validatedFaults } from "./validated-faults.js";
import {
  createRaftSimulation,
  SPEC_TRACE_EXCLUDED_FAULTS,
  SPEC_TRACE_FAULTS,
  SpecTraceRecorder,
  specTraceRaftConfig,
  type SpecTraceEvent,
  type SpecTraceHeader,
} from "../../../packages/raft/src/simulation/index.js";

/** What run to record. */
export interface RaftRunOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly durationMs: number;
  /** `none`, `all` (every fault a validated run allows) or a comma-separated list. */
  readonly faults: string;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
}

/** A recorded run: the header, the spec events, and what the simulator itself said. */
export interface RecordedRaftRun {
  readonly header: SpecTraceHeader;
  readonly events: SpecTraceEvent[];
  /** Invariant violations the simulator found (a failing run is still recorded up to its stop). */
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
}

/**
 * The fault selection of a validated run: `all` means every fault in SPEC_TRACE_FAULTS.
 * @throws {Error} for a fault a validated run refuses (with the reason) or an unknown one
 */
export function raftValidatedFaults(text: string): FaultSelection {
  return validatedFaults(text, SPEC_TRACE_FAULTS, SPEC_TRACE_EXCLUDED_FAULTS, "Raft.tla");
}

/**
 * Run the Raft simulation once with the spec-trace recorder attached. Deterministic: the same
 * options give the same events.
 */
export function recordRaftRun(options: RaftRunOptions): RecordedRaftRun {
  const recorder = new SpecTraceRecorder();
  const target = recorder.wrap(createRaftSimulation(specTraceRaftConfig(options)));
  const result = runSimulation(target, {
    seed: options.seed,
    nodes: options.nodes,
    durationMs: options.durationMs,
    faults: raftValidatedFaults(options.faults),
    trace: (line) => recorder.onSimulatorLine(line),
  });
  if (recorder.failure !== undefined) throw recorder.failure;
  const events = recorder.events;
  const header: SpecTraceHeader = {
    specTrace: "raft",
    version: 1,
    seed: options.seed,
    nodes: Array.from({ length: options.nodes }, (_, k) => `n${k + 1}`),
    durationMs: options.durationMs,
    faults: options.faults,
    preVote: options.preVote,
    checkQuorum: options.checkQuorum,
    values: SpecTraceRecorder.values(events),
  };
  return { header, events, violations: result.violations.map((v) => `${v.invariant}: ${v.message}`), simulatorEvents: result.events };
}

/** @returns the trace as NDJSON: the header line, then one line per event */
export function traceNdjson(run: Pick<RecordedRaftRun, "header" | "events">): string {
  return [run.header, ...run.events].map((x) => JSON.stringify(x)).join("\n") + "\n";
}
