import type { ProtocolNode, SimulationTarget } from "@synod/core";
import type { WorkloadOptions } from "../engine/options.js";
import type { SimulationOptions } from "../engine/options.js";
import type { SimulationResult } from "../engine/result.js";
import { runSimulation } from "../engine/run-simulation.js";
import type { FaultSchedule } from "../faults/schedule.js";

/** A scenario for shrinking: an explicit schedule, a workload, and everything else fixed. */
export interface ScheduledRunOptions extends Omit<SimulationOptions, "schedule" | "faults" | "workload"> {
  readonly schedule: FaultSchedule;
  readonly workload?: Partial<WorkloadOptions>;
}

/**
 * Run a simulation with an explicit fault schedule (what {@link faultScheduleArbitrary} generates)
 * instead of swarm-generated faults.
 * @param target - the protocol
 * @param options - seed, schedule, workload and the usual options
 * @returns the run's result
 * @example
 * const details = fc.check(fc.property(faultScheduleArbitrary({ nodes: 3, healAtMs: 2100 }), workloadArbitrary(),
 *   (schedule, workload) => runWithSchedule(target, { seed: 1, nodes: 3, durationMs: 3000, schedule, workload }).violations.length === 0),
 *   { seed: 42 });
 * // details.counterexample: the shrunk [schedule, workload]
 */
export function runWithSchedule<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res>(
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  options: ScheduledRunOptions,
): SimulationResult<Op, Res> {
  return runSimulation(target, options);
}
