import { SynodError, type ProtocolNode, type SimulationTarget } from "@synod/core";
import type { SimulationOptions } from "../engine/options.js";
import type { SimulationResult } from "../engine/result.js";
import { runSimulation } from "../engine/run-simulation.js";
import { parseTraceHeader } from "../trace/trace-header.js";
import { firstDivergence, type TraceDivergence } from "./first-divergence.js";

/** Outcome of {@link replayTrace}. */
export interface ReplayReport<Op, Res> {
  /** True when the replay produced the recorded trace line for line (the header's derived fields aside). */
  readonly identical: boolean;
  readonly divergence?: TraceDivergence;
  readonly result: SimulationResult<Op, Res>;
}

/**
 * Replay a recorded ndjson trace: run the simulation its header describes (seed, nodes, duration,
 * healing time, the exact fault schedule, network and workload options) and compare every event
 * line with the recording.
 * @param target - the protocol the trace was recorded with (its name must match the header's)
 * @param lines - the trace's lines
 * @param extra - a recorder, to draw the replayed run
 * @returns whether the replay matched, and where it first diverged
 * @throws {SynodError} code `usage` when the trace is for another protocol or used custom adversaries
 * @example
 * const report = replayTrace(broadcastSimulation, readFileSync("run.ndjson", "utf8").trimEnd().split("\n"));
 */
export function replayTrace<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res>(
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  lines: readonly string[],
  extra: Pick<SimulationOptions, "record"> = {},
): ReplayReport<Op, Res> {
  const header = parseTraceHeader(lines[0] ?? "");
  if (header.protocol !== target.name) throw new SynodError("usage", `the trace was recorded with protocol ${header.protocol}, not ${target.name}`);
  if (header.customAdversaries.length > 0) {
    throw new SynodError("usage", `the trace used custom adversaries on ${header.customAdversaries.join(", ")}, which a trace cannot carry`);
  }
  const result = runSimulation(target, {
    seed: header.seed,
    nodes: header.nodes,
    durationMs: header.durationMs,
    healAtMs: header.healAtMs,
    schedule: header.schedule,
    network: header.network,
    workload: header.workload,
    codecRoundTrip: header.codecRoundTrip,
    checkInvariants: header.checkInvariants,
    checkLiveness: header.checkLiveness,
    ...(header.twins !== undefined ? { twins: header.twins.length } : {}),
    trace: true,
    ...extra,
  });
  // The header differs only in fields derived from how the schedule was made (swarm rates).
  const divergence = firstDivergence(lines.slice(1), (result.trace ?? []).slice(1));
  if (divergence === undefined) return { identical: true, result };
  return { identical: false, divergence: { ...divergence, line: divergence.line + 1 }, result };
}
