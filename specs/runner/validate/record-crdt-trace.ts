import { runSimulation, type FaultSelection } from "../../../simulator/src/index.js";
import { validatedFaults } from "./validated-faults.js";
import {
  CRDT_SPEC_TRACE_ELEMENTS,
  CRDT_SPEC_TRACE_EXCLUDED_FAULTS,
  CRDT_SPEC_TRACE_FAULTS,
  CrdtSpecTraceRecorder,
  crdtSpecTraceTarget,
  type CrdtSpecTraceEvent,
  type CrdtSpecTraceHeader,
} from "../../../packages/crdt/src/index.js";

/** What CRDT run to record. */
export interface CrdtRunOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly durationMs: number;
  /** `none`, `all` (every fault a validated run allows) or a comma-separated list. */
  readonly faults: string;
}

/** A recorded run: the header, the spec events, and what the simulator itself said. */
export interface RecordedCrdtRun {
  readonly header: CrdtSpecTraceHeader;
  readonly events: CrdtSpecTraceEvent[];
  /** Invariant violations the simulator found (a failing run is still recorded up to its stop). */
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
  /** Steps a crash lost before their records were synced: they never happened, and are not in the trace. */
  readonly lostSteps: number;
}

/**
 * The fault selection of a validated CRDT run: `all` means every fault in CRDT_SPEC_TRACE_FAULTS.
 * @throws {Error} for a fault a validated run refuses (with the reason) or an unknown one
 */
export function crdtValidatedFaults(text: string): FaultSelection {
  return validatedFaults(text, CRDT_SPEC_TRACE_FAULTS, CRDT_SPEC_TRACE_EXCLUDED_FAULTS, "DeltaAntiEntropy.tla");
}

/**
 * Run the CRDT simulation once (the spec's workload: increments, adds and removes) with the
 * spec-trace recorder attached. Deterministic: the same options give the same events.
 * Liveness is not checked: a run ends at its duration (a validated run may stop before healing).
 * @param target - the simulation target (tests replace it; default {@link crdtSpecTraceTarget})
 * @throws {CrdtSpecTraceError} when a step cannot be mapped to the spec (the simulator stops there)
 */
export function recordCrdtRun(options: CrdtRunOptions, target = crdtSpecTraceTarget()): RecordedCrdtRun {
  const nodes = Array.from({ length: options.nodes }, (_, k) => `n${k + 1}`);
  const recorder = new CrdtSpecTraceRecorder(nodes);
  const result = runSimulation(recorder.wrap(target), {
    seed: options.seed,
    nodes: options.nodes,
    durationMs: options.durationMs,
    faults: crdtValidatedFaults(options.faults),
    checkLiveness: false,
    trace: (line) => recorder.onSimulatorLine(line),
  });
  if (recorder.failure !== undefined) throw recorder.failure;
  const events = recorder.events;
  const header: CrdtSpecTraceHeader = {
    specTrace: "crdt",
    version: 1,
    seed: options.seed,
    nodes,
    durationMs: options.durationMs,
    faults: options.faults,
    elements: [...CRDT_SPEC_TRACE_ELEMENTS],
    maxOps: CrdtSpecTraceRecorder.maxOps(events),
  };
  const violations = result.violations.map((v) => `${v.invariant}: ${v.message}`);
  return { header, events, violations, simulatorEvents: result.events, lostSteps: recorder.lostSteps };
}

/** @returns the trace as NDJSON: the header line, then one line per event */
export function crdtTraceNdjson(run: Pick<RecordedCrdtRun, "header" | "events">): string {
  return [run.header, ...run.events].map((x) => JSON.stringify(x)).join("\n") + "\n";
}
