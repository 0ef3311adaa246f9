import type { History } from "@synod/core";
import { twinIds } from "../trace/trace-header.js";
import type { SimulationCounters } from "./counters.js";
import type { RunConfig } from "./run-config.js";
import type { SimulationResult, Violation } from "./result.js";

/** Everything a finished run's result is made of. */
export interface FinishedRun<Op, Res> {
  readonly protocol: string;
  readonly seed: number;
  readonly config: RunConfig;
  readonly simulatedMs: number;
  readonly events: number;
  readonly violation: Violation | undefined;
  readonly traceHash: string;
  readonly counters: SimulationCounters;
  /** The target's own metrics (empty when it has none or they threw). */
  readonly protocolMetrics: Readonly<Record<string, number>>;
  /** Completions the workload ignored (0 without a workload). */
  readonly ignoredCompletions: number;
  readonly invariants: readonly string[];
  readonly history: History<Op, Res>;
  /** The last events, rendered. */
  readonly tail: readonly string[];
  /** The ndjson trace, when it was kept in memory. */
  readonly trace: readonly string[] | undefined;
}

/**
 * @returns the {@link SimulationResult} of a finished run: its metrics are the simulator's counters,
 * the history's counts by type and the protocol's metrics (a protocol metric never hides a simulator
 * counter of the same name: it is reported as `<protocol>.<name>` instead).
 */
export function buildResult<Op, Res>(run: FinishedRun<Op, Res>): SimulationResult<Op, Res> {
  const counts = countHistory(run.history);
  const metrics: Record<string, number> = {
    ...run.counters.toRecord(),
    historyInvoke: counts.invoke,
    historyOk: counts.ok,
    historyFail: counts.fail,
    historyUnknown: counts.unknown,
    ignoredCompletions: run.ignoredCompletions,
  };
  for (const [name, value] of Object.entries(run.protocolMetrics)) metrics[name in metrics ? `${run.protocol}.${name}` : name] = value;
  const { config } = run;
  const result: SimulationResult<Op, Res> = {
    protocol: run.protocol,
    seed: run.seed,
    nodes: config.nodes,
    faults: config.enabledFaults,
    faultRates: config.faultRates,
    schedule: config.schedule,
    healAtMs: config.healAtMs,
    simulatedMs: run.simulatedMs,
    events: run.events,
    messagesDelivered: run.counters.messagesDelivered,
    violations: run.violation === undefined ? [] : [run.violation],
    traceHash: run.traceHash,
    metrics,
    invariants: run.invariants,
    history: run.history,
    tail: run.tail,
  };
  const withTwins = config.twins.length === 0 ? result : { ...result, twins: twinIds(config) };
  return run.trace === undefined ? withTwins : { ...withTwins, trace: run.trace };
}

/** @returns the history's events counted by type */
function countHistory(history: History<unknown, unknown>): { invoke: number; ok: number; fail: number; unknown: number } {
  const counts = { invoke: 0, ok: 0, fail: 0, unknown: 0 };
  // (A switch, not counts[event.type]++: a keyed increment per event is a slow generic store.)
  for (let k = 0; k < history.length; k++) {
    switch ((history[k] as (typeof history)[number]).type) {
      case "invoke":
        counts.invoke++;
        break;
      case "ok":
        counts.ok++;
        break;
      case "fail":
        counts.fail++;
        break;
      case "unknown":
        counts.unknown++;
        break;
    }
  }
  return counts;
}
