import type { SimulationOptions } from "../engine/options.js";
import type { SimulationResult, Violation } from "../engine/result.js";
import { runSimulation } from "../engine/run-simulation.js";
import { checkDeterminism } from "../replay/check-determinism.js";
import type { AnySimulationTarget } from "../cli/registry.js";
import { chooseByzantine } from "../byzantine/choose-byzantine.js";
import { nodeIds } from "@synod/core";

/**
 * The serialisable outcome of one seed (what `--json` prints, minus the CLI's extra fields): the
 * result's scalar fields as they are, the schedule reduced to its length, the invariants by name.
 */
export interface RunSummary
  extends Pick<
    SimulationResult,
    "protocol" | "seed" | "nodes" | "faults" | "faultRates" | "healAtMs" | "simulatedMs" | "events" | "messagesDelivered" | "violations" | "traceHash" | "metrics"
  > {
  readonly scheduledFaults: number;
  readonly invariants: readonly string[];
  /** The last events, when a violation stopped the run. */
  readonly tail?: readonly string[];
  /** With `twins`: the twinned ids. */
  readonly twins?: readonly string[];
  /** With `byzantineNodes`: the strategy drawn for each faulty node. */
  readonly byzantine?: Readonly<Record<string, string>>;
  /** With a determinism check: whether two runs of the seed were identical (false adds a `Determinism` violation). */
  readonly deterministic?: boolean;
}

/** Options of a batch of seeds: everything but the seed, in a form that crosses a worker boundary. */
export type BatchOptions = Omit<SimulationOptions, "seed" | "trace" | "byzantine" | "schedule"> & {
  /** Faulty nodes drawn per seed, each with a strategy (`chooseByzantine`), active until healing. */
  readonly byzantineNodes?: number;
  /** The strategy every faulty node runs instead of a drawn one (`--strategy`; one of the protocol's, `byzantineStrategies`). */
  readonly byzantineStrategy?: string;
};

/** @returns the serialisable summary of a result */
export function summarize(result: SimulationResult): RunSummary {
  const summary: RunSummary = {
    protocol: result.protocol,
    seed: result.seed,
    nodes: result.nodes,
    faults: result.faults,
    faultRates: result.faultRates,
    scheduledFaults: result.schedule.length,
    healAtMs: result.healAtMs,
    simulatedMs: Math.round(result.simulatedMs * 1000) / 1000,
    events: result.events,
    messagesDelivered: result.messagesDelivered,
    violations: result.violations,
    traceHash: result.traceHash,
    invariants: result.invariants,
    metrics: result.metrics,
  };
  const withTwins = result.twins === undefined ? summary : { ...summary, twins: result.twins };
  return result.violations.length > 0 ? { ...withTwins, tail: result.tail } : withTwins;
}

/**
 * Run one seed and summarise it; with `determinism`, run it twice and turn a mismatch into a
 * `Determinism` violation naming the first diverging event.
 * @param traceSink - receives trace lines (only without `determinism`)
 */
export function runOneSeed(target: AnySimulationTarget, batch: BatchOptions, seed: number, determinism: boolean, traceSink?: (line: string) => void): RunSummary {
  const { byzantineNodes, byzantineStrategy, ...options } = batch;
  if (byzantineNodes !== undefined && byzantineNodes > 0) {
    const choice = () => chooseByzantine(target.name, nodeIds(options.nodes ?? target.defaultNodes), byzantineNodes, seed, byzantineStrategy);
    const strategies = choice().strategies;
    if (determinism) {
      // Adversaries keep state: each of the two runs gets fresh ones, drawn alike from the seed.
      const first = runSimulation(target, { ...options, seed, byzantine: choice().adversaries });
      const second = runSimulation(target, { ...options, seed, byzantine: choice().adversaries });
      const summary = { ...summarize(first), byzantine: strategies, deterministic: first.traceHash === second.traceHash };
      if (summary.deterministic) return summary;
      const violation: Violation = { invariant: "Determinism", event: 0, message: `two runs of seed ${seed} end with different trace hashes (${first.traceHash}, ${second.traceHash})`, timeMs: 0 };
      return { ...summary, violations: [...summary.violations, violation] };
    }
    const run = { ...options, seed, byzantine: choice().adversaries };
    return { ...summarize(runSimulation(target, traceSink === undefined ? run : { ...run, trace: traceSink })), byzantine: strategies };
  }
  if (!determinism) return summarize(runSimulation(target, traceSink === undefined ? { ...options, seed } : { ...options, seed, trace: traceSink }));
  const report = checkDeterminism(target, { ...options, seed });
  if (traceSink !== undefined) for (const line of report.result.trace ?? []) traceSink(line);
  const summary = { ...summarize({ ...report.result, trace: undefined }), deterministic: report.deterministic };
  if (report.deterministic || report.divergence === undefined) return summary;
  const d = report.divergence;
  const violation: Violation = {
    invariant: "Determinism",
    event: d.event,
    message: `two runs of seed ${seed} diverge at event ${d.event} (trace line ${d.line}):\n  first:  ${d.first}\n  second: ${d.second}`,
    timeMs: 0,
  };
  return { ...summary, violations: [...summary.violations, violation] };
}
