import type { ProtocolNode, SimulationTarget } from "@synod/core";
import type { SimulationOptions } from "../engine/options.js";
import { runSimulation } from "../engine/run-simulation.js";
import type { Violation } from "../engine/result.js";
import type { FaultSchedule } from "../faults/schedule.js";

/** Outcome of {@link shrinkSchedule}. */
export interface ShrunkSchedule {
  readonly schedule: FaultSchedule;
  /** Simulations run while shrinking. */
  readonly runs: number;
  /** Whether every removal was tried (false: the run budget ran out first). */
  readonly complete: boolean;
  /** The violation of the run with the shrunk schedule (it may fall at another event than the original's). */
  readonly violation: Violation | undefined;
}

/**
 * Shrink a failing run's fault schedule to episodes it needs: remove chunks of episodes (halves, then
 * quarters, … then one at a time, as delta debugging does) and keep a removal when the run with the
 * rest still violates the same invariant. Deterministic: same inputs, same result.
 * @param options - the failing run's options (seed, nodes, duration, heal time, network, workload)
 * @param schedule - the schedule it ran with
 * @param invariant - the invariant it violated
 * @param maxRuns - budget of simulations
 * @returns the smallest failing schedule found
 */
export function shrinkSchedule<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res>(
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  options: Omit<SimulationOptions, "schedule" | "faults" | "trace" | "record">,
  schedule: FaultSchedule,
  invariant: string,
  maxRuns: number,
): ShrunkSchedule {
  let current = [...schedule];
  let runs = 0;
  let violation: Violation | undefined;
  const fails = (candidate: FaultSchedule): boolean => {
    runs++;
    const found = runSimulation(target, { ...options, schedule: candidate }).violations.find((v) => v.invariant === invariant);
    if (found !== undefined) violation = found;
    return found !== undefined;
  };
  let chunk = Math.max(1, Math.ceil(current.length / 2));
  while (current.length > 0) {
    let removed = false;
    for (let start = 0; start < current.length; ) {
      if (runs >= maxRuns) return { schedule: current, runs, complete: false, violation };
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (fails(candidate)) {
        current = candidate;
        removed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk === 1 && !removed) break;
    chunk = Math.max(1, Math.floor(chunk / 2));
  }
  return { schedule: current, runs, complete: true, violation };
}
