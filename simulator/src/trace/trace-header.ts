import { DecodeError, nodeIds, type NodeId } from "@synod/core";
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
  /** By node of `customAdversaries`: its adversary's strategy name (`Adversary.name`); absent without adversaries. */
  readonly adversaryStrategies?: Readonly<Record<string, string>>;
  /** The twinned ids (`SimulationOptions.twins`, drawn from the seed); absent without twins. */
  readonly twins?: readonly NodeId[];
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
    ...adversaryStrategies(options),
    ...(config.twins.length > 0 ? { twins: twinIds(config) } : {}),
  };
}

/** @returns the header's `adversaryStrategies` field: each Byzantine node's strategy name, when the run has any */
function adversaryStrategies(options: SimulationOptions): { adversaryStrategies?: Record<string, string> } {
  const entries = Object.entries(options.byzantine ?? {});
  return entries.length === 0 ? {} : { adversaryStrategies: Object.fromEntries(entries.map(([id, adversary]) => [id, adversary.name])) };
}

/** @returns the ids a run twins */
export function twinIds(config: Pick<RunConfig, "nodes" | "twins">): readonly NodeId[] {
  const ids = nodeIds(config.nodes);
  return config.twins.map((i) => ids[i] as NodeId);
}

const NOT_A_TRACE = "not a synod simulator trace: its first line must be the header that `pnpm sim PROTOCOL --seed S --trace FILE` writes";

/**
 * @returns the header of an ndjson trace
 * @throws {DecodeError} when the first line is not JSON or not a synod trace header (version 1)
 */
export function parseTraceHeader(firstLine: string): TraceHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(firstLine);
  } catch {
    throw new DecodeError(firstLine.trim() === "" ? `the file is empty or starts with a blank line; ${NOT_A_TRACE}` : NOT_A_TRACE);
  }
  if (typeof parsed !== "object" || parsed === null || (parsed as { trace?: unknown }).trace !== "synod-simulator") throw new DecodeError(NOT_A_TRACE);
  const version = (parsed as { version?: unknown }).version;
  if (version !== 1) throw new DecodeError(`trace format version ${JSON.stringify(version)} is not the version 1 this simulator reads: record the run again`);
  return parsed as TraceHeader;
}
