import { runSimulation, type FaultSelection } from "../../../simulator/src/index.js";
import { validatedFaults } from "./validated-faults.js";
import {
  CHAIN_SPEC_TRACE_EXCLUDED_FAULTS,
  CHAIN_SPEC_TRACE_FAULTS,
  ChainSpecTraceError,
  ChainSpecTraceRecorder,
  chainSpecTraceKeys,
  chainSpecTraceTarget,
  type ChainSimulationTarget,
  type ChainSpecTraceEvent,
  type ChainSpecTraceHeader,
} from "../../../packages/chain/src/simulation/index.js";

/** What chain run to record. */
export interface ChainRunOptions {
  readonly seed: number;
  /** At least 2 nodes (Chain.tla's initial state names a head and a successor). */
  readonly nodes: number;
  readonly durationMs: number;
  /** `none`, `all` (every fault a validated run allows) or a comma-separated list. */
  readonly faults: string;
}

/** A recorded run: the header, the spec events, what the spec abstracts, and what the simulator itself said. */
export interface RecordedChainRun {
  readonly header: ChainSpecTraceHeader;
  readonly events: ChainSpecTraceEvent[];
  /** Implementation steps Chain.tla abstracts (not lines of the trace), by kind. */
  readonly abstracted: Readonly<Record<string, number>>;
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
}

/**
 * The fault selection of a validated chain run: `all` means every fault in CHAIN_SPEC_TRACE_FAULTS.
 * @throws {Error} for a fault a validated run refuses (with the reason) or an unknown one
 */
export function chainValidatedFaults(text: string): FaultSelection {
  return validatedFaults(text, CHAIN_SPEC_TRACE_FAULTS, CHAIN_SPEC_TRACE_EXCLUDED_FAULTS, "Chain.tla");
}

/** @returns the header of a chain trace of `events` (its constants computed from them) */
export function chainHeaderOf(
  options: ChainRunOptions,
  chain: readonly string[],
  formedEpoch: number,
  events: readonly ChainSpecTraceEvent[],
): ChainSpecTraceHeader {
  return {
    specTrace: "chain",
    version: 1,
    seed: options.seed,
    nodes: chain,
    formedEpoch,
    keys: chainSpecTraceKeys(events),
    durationMs: options.durationMs,
    faults: options.faults,
    maxWrites: events.filter((e) => e.e === "Write").length,
    maxRemovals: events.filter((e) => e.e === "Reconfigure").length,
    maxJoins: events.filter((e) => e.e === "Join").length,
  };
}

/**
 * Run the CRAQ simulation once (the KV workload's clients, several keys) with the spec-trace recorder attached.
 * Deterministic: the same options give the same events. Liveness is not checked (a run ends at its duration).
 * @param target - the simulation target (default {@link chainSpecTraceTarget})
 * @throws {Error} when nodes is below 2
 * @throws {ChainSpecTraceError} when a step cannot be mapped to the spec, or the chain never formed
 */
export function recordChainRun(options: ChainRunOptions, target: ChainSimulationTarget = chainSpecTraceTarget()): RecordedChainRun {
  if (options.nodes < 2) throw new Error(`--nodes ${options.nodes}: Chain.tla's chain starts with a head and a successor (at least 2 nodes)`);
  const recorder = new ChainSpecTraceRecorder(options.nodes);
  const result = runSimulation(recorder.wrap(target), {
    seed: options.seed,
    nodes: options.nodes,
    durationMs: options.durationMs,
    faults: chainValidatedFaults(options.faults),
    checkLiveness: false,
    trace: (line) => recorder.onSimulatorLine(line),
  });
  if (recorder.failure !== undefined) throw recorder.failure;
  const formed = recorder.formation;
  if (formed === undefined) {
    throw new ChainSpecTraceError(`the chain never formed (no configuration named all ${options.nodes} nodes) within ${options.durationMs} ms`);
  }
  const events = recorder.events;
  const ended = recorder.endedBecause;
  return {
    header: chainHeaderOf(options, formed.chain, formed.epoch, events),
    events,
    abstracted: { ...recorder.abstractedSteps, ...(ended === undefined ? {} : { [`the trace ends: ${ended}`]: 1 }) },
    violations: result.violations.map((v) => `${v.invariant}: ${v.message}`),
    simulatorEvents: result.events,
  };
}

/** @returns the trace as NDJSON: the header line, then one line per event */
export function chainTraceNdjson(run: Pick<RecordedChainRun, "header" | "events">): string {
  return [run.header, ...run.events].map((x) => JSON.stringify(x)).join("\n") + "\n";
}
