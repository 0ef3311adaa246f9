import type { ProtocolNode, SimulationTarget } from "@synod/core";
import type { SimulationOptions } from "./options.js";
import type { SimulationResult } from "./result.js";
import { Simulation } from "./simulation.js";

/**
 * Run one deterministic simulation of a protocol: same target, seed and options ⇒ the same events,
 * the same `traceHash` and the same trace.
 * @param target - the protocol's simulation target
 * @param options - seed, cluster size, duration, faults, workload…
 * @returns counters, violations (at most one: the run stops there), history, trace hash
 * @throws {SynodError} code `usage` for bad options, `limit` for a runaway run
 * @example
 * const result = runSimulation(broadcastSimulation, { seed: 42, nodes: 5, faults: "all" });
 * if (result.violations.length > 0) console.log(result.violations[0], result.tail);
 */
export function runSimulation<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res>(
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  options: SimulationOptions,
): SimulationResult<Op, Res> {
  return new Simulation(target, options).run();
}
