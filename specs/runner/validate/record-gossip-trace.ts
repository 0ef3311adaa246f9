import { runSimulation, type FaultSelection } from "../../../simulator/src/index.js";
import { validatedFaults } from "./validated-faults.js";
import {
  GOSSIP_SPEC_TRACE_EXCLUDED_FAULTS,
  GOSSIP_SPEC_TRACE_FAULTS,
  GossipSpecTraceRecorder,
  gossipSpecTraceNodes,
  gossipSpecTraceTarget,
  type GossipTarget,
  type SwimSpecTraceEvent,
  type SwimSpecTraceHeader,
} from "../../../packages/gossip/src/index.js";

/** What SWIM run to record. */
export interface GossipRunOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly durationMs: number;
  /** `none`, `all` (every fault a validated run allows) or a comma-separated list. */
  readonly faults: string;
}

/** A recorded run: the header, the spec events, what the spec abstracts, and what the simulator itself said. */
export interface RecordedGossipRun {
  readonly header: SwimSpecTraceHeader;
  readonly events: SwimSpecTraceEvent[];
  /** Implementation steps Swim.tla abstracts (not lines of the trace), by kind. */
  readonly abstracted: Readonly<Record<string, number>>;
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
}

/**
 * The fault selection of a validated SWIM run: `all` means every fault in GOSSIP_SPEC_TRACE_FAULTS.
 * @throws {Error} for a fault a validated run refuses (with the reason) or an unknown one
 */
export function gossipValidatedFaults(text: string): FaultSelection {
  return validatedFaults(text, GOSSIP_SPEC_TRACE_FAULTS, GOSSIP_SPEC_TRACE_EXCLUDED_FAULTS, "Swim.tla");
}

/** @returns the header of a SWIM trace of `events` (MaxInc computed from them) */
export function gossipHeaderOf(options: GossipRunOptions, events: readonly SwimSpecTraceEvent[]): SwimSpecTraceHeader {
  return {
    specTrace: "gossip",
    version: 1,
    seed: options.seed,
    nodes: gossipSpecTraceNodes(options.nodes),
    durationMs: options.durationMs,
    faults: options.faults,
    maxInc: GossipSpecTraceRecorder.maxInc(events),
  };
}

/**
 * Run the gossip simulation once (the default `pnpm sim gossip` configuration) with the spec-trace
 * recorder attached. Deterministic: the same options give the same events. Liveness is not checked
 * (a run ends at its duration).
 * @param target - the simulation target (the mutants' detector runs a mutated copy the same way; default {@link gossipSpecTraceTarget})
 * @throws {GossipSpecTraceError} when a step cannot be mapped to the spec
 */
export function recordGossipRun(options: GossipRunOptions, target: GossipTarget = gossipSpecTraceTarget()): RecordedGossipRun {
  const recorder = new GossipSpecTraceRecorder();
  const result = runSimulation(recorder.wrap(target), {
    seed: options.seed,
    nodes: options.nodes,
    durationMs: options.durationMs,
    faults: gossipValidatedFaults(options.faults),
    checkLiveness: false,
    trace: (line) => recorder.onSimulatorLine(line),
  });
  const events = recorder.events;
  if (recorder.failure !== undefined) throw recorder.failure;
  return {
    header: gossipHeaderOf(options, events),
    events,
    abstracted: { ...recorder.abstractedSteps },
    violations: result.violations.map((v) => `${v.invariant}: ${v.message}`),
    simulatorEvents: result.events,
  };
}

/** @returns the trace as NDJSON: the header line, then one line per event */
export function gossipTraceNdjson(run: Pick<RecordedGossipRun, "header" | "events">): string {
  return [run.header, ...run.events].map((x) => JSON.stringify(x)).join("\n") + "\n";
}
