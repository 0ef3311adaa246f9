import type { NetworkOptions, SimulationOptions, WorkloadOptions } from "../engine/options.js";
import type { RunConfig } from "../engine/run-config.js";
import type { FaultKind } from "../faults/fault-kinds.js";
import type { FaultSchedule } from "../faults/schedule.js";

/**
 * The first line of an ndjson trace: everything needed to run the same simulation again (see
 * `replayTrace`), except custom adversary objects, which are only named.
 */
export interface TraceHeader {
  readonly trace: "synod-simulator";
  readonly version: 1;
  readonly protocol: string;
  readonly seed: number;
  readonly nodes: number;
  readonly durationMs: number;
  readonly healAtMs: number;
  readonly faults: readonly FaultKind[];
  readonly faultRates: Readonly<Record<string, number>>;
  readonly schedule: FaultSchedule;
  readonly network: NetworkOptions;
  readonly workload: WorkloadOptions;
  readonly codecRoundTrip: boolean;
  readonly checkInvariants: boolean;
  readonly checkLiveness: boolean;
  /** Nodes that had a custom adversary (not replayable from the trace alone). */
  readonly customAdversaries: readonly string[];
}

/**
 * @returns the trace header of a run of `protocol` with these options, resolved configuration and
 *   validated network and workload options
 */
export function buildTraceHeader(
  protocol: string,
  options: SimulationOptions,
  config: RunConfig,
  network: NetworkOptions,
  workload: WorkloadOptions,
): TraceHeader {
  return {
    trace: "synod-simulator",
    version: 1,
    protocol,
    seed: options.seed,
    nodes: config.nodes,
    durationMs: config.durationMs,
    healAtMs: config.healAtMs,
    faults: config.enabledFaults,
    faultRates: config.faultRates,
    schedule: config.schedule,
    network,
    workload,
    codecRoundTrip: options.codecRoundTrip ?? false,
    checkInvariants: options.checkInvariants ?? true,
    checkLiveness: options.checkLiveness ?? true,
    customAdversaries: Object.keys(options.byzantine ?? {}),
  };
}

/**
 * @returns the header of an ndjson trace
 * @throws {SyntaxError} when the first line is not JSON; {@link Error} when it is not a synod trace header
 */
export function parseTraceHeader(firstLine: string): TraceHeader {
  const parsed: unknown = JSON.parse(firstLine);
  if (typeof parsed !== "object" || parsed === null || (parsed as { trace?: unknown }).trace !== "synod-simulator" || (parsed as { version?: unknown }).version !== 1) {
    throw new Error("not a synod-simulator trace (version 1): the first line must be its header");
  }
  return parsed as TraceHeader;
}
