import type { ProtocolNode, SimulationTarget } from "@synod/core";
import type { SimulationOptions } from "../engine/options.js";
import type { SimulationResult } from "../engine/result.js";
import { runSimulation } from "../engine/run-simulation.js";
import { firstDivergence, type TraceDivergence } from "./first-divergence.js";

/** Outcome of {@link checkDeterminism}. */
export interface DeterminismReport<Op, Res> {
  /** True when both runs produced identical traces and hashes. */
  readonly deterministic: boolean;
  /** Where the two runs first differ, when they do. */
  readonly divergence?: TraceDivergence;
  /** The first run's result (with its trace). */
  readonly result: SimulationResult<Op, Res>;
}

/**
 * Run the same seed and options twice, recording both traces, and compare them line by line. A
 * protocol (or simulator) that reads a clock, `Math.random`, or state leaking between runs shows
 * up here, with the first event where the runs diverge.
 * @param target - the protocol
 * @param options - the run (its `trace` option is replaced: both runs record in memory)
 * @returns whether the runs matched, and where they first differ
 * @example
 * const report = checkDeterminism(broadcastSimulation, { seed: 7, faults: "all" });
 * if (!report.deterministic) console.log(report.divergence);
 */
export function checkDeterminism<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res>(
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  options: SimulationOptions,
): DeterminismReport<Op, Res> {
  const first = runSimulation(target, { ...options, trace: true });
  const second = runSimulation(target, { ...options, trace: true });
  const divergence = firstDivergence(first.trace ?? [], second.trace ?? []);
  if (divergence === undefined && first.traceHash === second.traceHash) return { deterministic: true, result: first };
  return { deterministic: false, divergence: divergence ?? { event: first.events, line: first.trace?.length ?? 0, first: first.traceHash, second: second.traceHash }, result: first };
}
