import { SynodError, type Rng } from "@synod/core";
import type { FaultKind } from "../faults/fault-kinds.js";
import type { FaultSchedule } from "../faults/schedule.js";
import { scheduleKinds } from "../faults/schedule-kinds.js";
import { planSwarm } from "../faults/swarm.js";
import { DEFAULT_MAX_EVENTS, MAX_CLIENTS, MAX_NODES } from "./limits.js";
import { DEFAULT_DURATION_MS, type NetworkOptions, type SimulationOptions, type WorkloadOptions } from "./options.js";

/** The validated shape of one run: sizes, times and the fault schedule. */
export interface RunConfig {
  readonly nodes: number;
  readonly durationMs: number;
  readonly healAtMs: number;
  readonly maxEvents: number;
  readonly schedule: FaultSchedule;
  readonly enabledFaults: readonly FaultKind[];
  readonly faultRates: Readonly<Record<string, number>>;
  /** Member indices twinned for the faulty period (`SimulationOptions.twins`), ascending; empty without twins. */
  readonly twins: readonly number[];
}

/**
 * Validate a run's options and lay out its faults (the explicit schedule, else the swarm plan drawn
 * from `root.fork("swarm")`).
 * @throws {SynodError} code `usage` naming the bad option
 */
export function resolveRunConfig(target: { readonly name: string; readonly defaultNodes: number; readonly minNodes: number }, options: SimulationOptions, root: Rng): RunConfig {
  const nodes = options.nodes ?? target.defaultNodes;
  if (!Number.isInteger(nodes) || nodes < target.minNodes || nodes > MAX_NODES) {
    throw new SynodError("usage", `nodes must be an integer in [${target.minNodes}, ${MAX_NODES}] for ${target.name}, got ${nodes}`);
  }
  const durationMs = options.durationMs ?? DEFAULT_DURATION_MS;
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) throw new SynodError("usage", `durationMs must be a positive number, got ${durationMs}`);
  const healFraction = options.healAtFraction ?? 0.7;
  if (!(healFraction >= 0 && healFraction <= 1)) throw new SynodError("usage", `healAtFraction must be in [0, 1], got ${healFraction}`);
  if (options.healAtMs !== undefined && !(options.healAtMs >= 0 && options.healAtMs <= durationMs)) {
    throw new SynodError("usage", `healAtMs must be in [0, durationMs], got ${options.healAtMs}`);
  }
  const healAtMs = options.healAtMs ?? Math.floor(durationMs * healFraction);
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const twins = drawTwins(options.twins ?? 0, nodes, root);
  if (options.schedule !== undefined) {
    const schedule = [...options.schedule].sort((x, y) => x.atMs - y.atMs);
    return { nodes, durationMs, healAtMs, maxEvents, schedule, enabledFaults: scheduleKinds(schedule), faultRates: {}, twins };
  }
  const plan = planSwarm(root.fork("swarm"), options.faults ?? "none", nodes, healAtMs);
  return { nodes, durationMs, healAtMs, maxEvents, schedule: plan.schedule, enabledFaults: plan.enabled, faultRates: plan.rates, twins };
}

/**
 * Draw `count` member indices to twin from `root.fork("twins")` (nothing is drawn for 0, so a run
 * without twins draws exactly what it did before they existed).
 * @throws {SynodError} code `usage` when `count` is not an integer in [0, nodes]
 */
function drawTwins(count: number, nodes: number, root: Rng): readonly number[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > nodes) {
    throw new SynodError("usage", `twins must be an integer in [0, ${nodes}] (the cluster size), got ${count}`);
  }
  if (count === 0) return [];
  const indices = Array.from({ length: nodes }, (_, i) => i);
  return root.fork("twins").shuffle(indices).slice(0, count).sort((x, y) => x - y);
}

/**
 * @throws {SynodError} code `usage` when latencies are negative, not finite or min > max
 */
export function validateNetworkOptions(network: NetworkOptions): NetworkOptions {
  const { minLatencyMs, maxLatencyMs, jitterMs } = network;
  if (![minLatencyMs, maxLatencyMs, jitterMs].every((x) => Number.isFinite(x) && x >= 0) || minLatencyMs > maxLatencyMs) {
    throw new SynodError("usage", `network latencies must be finite, >= 0 and minLatencyMs <= maxLatencyMs, got ${JSON.stringify(network)}`);
  }
  return network;
}

/**
 * @throws {SynodError} code `usage` for a negative or absurd client count, rate or time
 */
export function validateWorkloadOptions(workload: WorkloadOptions): WorkloadOptions {
  const ok =
    Number.isInteger(workload.clients) && workload.clients >= 0 && workload.clients <= MAX_CLIENTS &&
    Number.isFinite(workload.thinkMaxMs) && workload.thinkMaxMs >= 0 &&
    Number.isFinite(workload.ratePerSec) && workload.ratePerSec >= 0 &&
    Number.isInteger(workload.maxInFlight) && workload.maxInFlight >= 1 &&
    Number.isFinite(workload.requestLatencyMs) && workload.requestLatencyMs >= 0 &&
    Number.isFinite(workload.staleRouting) && workload.staleRouting >= 0 && workload.staleRouting <= 1;
  if (!ok) throw new SynodError("usage", `invalid workload options ${JSON.stringify(workload)} (clients 0..${MAX_CLIENTS}, times and rates finite and >= 0, maxInFlight >= 1, staleRouting in [0, 1])`);
  return workload;
}
