import { chooseByzantine, runSimulation, type FaultSelection } from "../../../simulator/src/index.js";
import { validatedFaults } from "./validated-faults.js";
import {
  PBFT_SPEC_TRACE_EXCLUDED_FAULTS,
  PBFT_SPEC_TRACE_FAULTS,
  PbftSpecTraceRecorder,
  pbftSpecTraceConfig,
  pbftSpecTraceTarget,
  type PbftSimulationTarget,
  type PbftSpecTraceEvent,
  type PbftSpecTraceHeader,
} from "../../../packages/pbft/src/index.js";

/** What PBFT run to record. */
export interface PbftRunOptions {
  readonly seed: number;
  /** At least 4 replicas: f = ⌊(n−1)/3⌋, quorums ⌈(n+f+1)/2⌉ as in PBFT.tla. */
  readonly nodes: number;
  readonly durationMs: number;
  /** `none`, `all` (every fault a validated run allows) or a comma-separated list. */
  readonly faults: string;
  /** Byzantine replicas (the spec's Byz), drawn from the seed as `pnpm sim pbft --byzantine K` draws them (default 0). */
  readonly byzantine?: number;
  /** The strategy every Byzantine replica runs (default: drawn per seed, as the simulator does). */
  readonly strategy?: string | undefined;
}

/** A recorded run: the header, the spec events, what the spec abstracts, and what the simulator itself said. */
export interface RecordedPbftRun {
  readonly header: PbftSpecTraceHeader;
  readonly events: PbftSpecTraceEvent[];
  /** Implementation steps PBFT.tla abstracts (not lines of the trace), by kind. */
  readonly abstracted: Readonly<Record<string, number>>;
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
}

/**
 * The fault selection of a validated PBFT run: `all` means every fault in PBFT_SPEC_TRACE_FAULTS.
 * @throws {Error} for a fault a validated run refuses (with the reason) or an unknown one
 */
export function pbftValidatedFaults(text: string): FaultSelection {
  return validatedFaults(text, PBFT_SPEC_TRACE_FAULTS, PBFT_SPEC_TRACE_EXCLUDED_FAULTS, "PBFT.tla");
}

/** @returns the header of a PBFT trace of `events` (its constants computed from them) */
export function pbftHeaderOf(options: PbftRunOptions, events: readonly PbftSpecTraceEvent[]): PbftSpecTraceHeader {
  const config = pbftSpecTraceConfig();
  return {
    specTrace: "pbft",
    version: 1,
    seed: options.seed,
    nodes: Array.from({ length: options.nodes }, (_, k) => `n${k + 1}`),
    f: Math.floor((options.nodes - 1) / 3),
    durationMs: options.durationMs,
    faults: options.faults,
    byzantine: pbftByzantineChoice(options).strategies,
    ...PbftSpecTraceRecorder.bounds(events),
    checkpointInterval: config.checkpointInterval as number,
    windowSize: config.windowSize as number,
  };
}

/**
 * The Byzantine replicas of a validated run and their strategies: `chooseByzantine` of the simulator
 * (the same draw as `pnpm sim pbft --byzantine K [--strategy NAME] --seed N`), fresh adversaries each call.
 * @throws {Error} when more than f replicas would be Byzantine (PBFT.tla's properties assume at most f)
 */
export function pbftByzantineChoice(options: PbftRunOptions): ReturnType<typeof chooseByzantine> {
  const count = options.byzantine ?? 0;
  const f = Math.floor((options.nodes - 1) / 3);
  if (count > f) throw new Error(`--byzantine ${count}: at most f = ${f} of ${options.nodes} replicas may be Byzantine`);
  if (count === 0) return { strategies: {}, adversaries: {} };
  const members = Array.from({ length: options.nodes }, (_, k) => `n${k + 1}`);
  return chooseByzantine("pbft", members, count, options.seed, options.strategy);
}

/**
 * Run the PBFT simulation once (signatures, no checkpoint within reach; `byzantine` faulty replicas) with the
 * spec-trace recorder attached. Deterministic: the same options give the same events. Liveness is
 * not checked (a run ends at its duration).
 * @param target - the simulation target (the mutants' detector runs a mutated copy the same way; default {@link pbftSpecTraceTarget})
 * @throws {Error} when nodes is below 4 (f would be 0)
 * @throws {PbftSpecTraceError} when a step cannot be mapped to the spec
 */
export function recordPbftRun(options: PbftRunOptions, target: PbftSimulationTarget = pbftSpecTraceTarget()): RecordedPbftRun {
  if (options.nodes < 4) throw new Error(`--nodes ${options.nodes}: PBFT needs at least 4 replicas (f = 1) to be validated`);
  const choice = pbftByzantineChoice(options);
  const recorder = new PbftSpecTraceRecorder(new Set(Object.keys(choice.strategies)));
  const result = runSimulation(recorder.wrap(target), {
    seed: options.seed,
    byzantine: choice.adversaries,
    nodes: options.nodes,
    durationMs: options.durationMs,
    faults: pbftValidatedFaults(options.faults),
    checkLiveness: false,
    trace: (line) => recorder.onSimulatorLine(line),
  });
  if (recorder.failure !== undefined) throw recorder.failure;
  const events = recorder.events;
  return {
    header: pbftHeaderOf(options, events),
    events,
    abstracted: { ...recorder.abstractedSteps },
    violations: result.violations.map((v) => `${v.invariant}: ${v.message}`),
    simulatorEvents: result.events,
  };
}

/** @returns the trace as NDJSON: the header line, then one line per event */
export function pbftTraceNdjson(run: Pick<RecordedPbftRun, "header" | "events">): string {
  return [run.header, ...run.events].map((x) => JSON.stringify(x)).join("\n") + "\n";
}
