import type { RunRecorder } from "../record/run-recorder.js";
import type { NodeId } from "@synod/core";
import type { Adversary } from "../byzantine/adversary.js";
import type { FaultSelection } from "../faults/fault-kinds.js";
import type { FaultSchedule } from "../faults/schedule.js";

/** Latency model of every link. */
export interface NetworkOptions {
  /** Each link's base one-way latency is drawn once per run, uniformly in [minLatencyMs, maxLatencyMs]. */
  readonly minLatencyMs: number;
  readonly maxLatencyMs: number;
  /** Per-message jitter added to the base latency, uniform in [0, jitterMs]. Links stay FIFO unless reordering is on. */
  readonly jitterMs: number;
}

/** How simulated clients load the cluster (needs the target's `client` model). */
export interface WorkloadOptions {
  /** `closed`: `clients` clients, each invokes, waits for the outcome, thinks, invokes again. `open`: arrivals at `ratePerSec`, regardless of outcomes. */
  readonly mode: "closed" | "open";
  /** Number of closed-loop clients (0: no workload). */
  readonly clients: number;
  /** Closed loop: think time between two operations of a client, uniform in [0, thinkMaxMs]. */
  readonly thinkMaxMs: number;
  /** Open loop: mean arrivals per virtual second (exponential inter-arrival times). */
  readonly ratePerSec: number;
  /** Open loop: most invocations pending at once; arrivals beyond it are skipped (counted). */
  readonly maxInFlight: number;
  /** Virtual milliseconds between a client's invocation and the node receiving the request. */
  readonly requestLatencyMs: number;
  /**
   * Stale routing: while two or more nodes believe they lead (the target's `leads`), the probability
   * that an operation goes to one of them other than the node the client was last redirected to
   * (drawn among them) — a client writing at a new leader then reading at a deposed one that does not
   * know it yet (a `leader-island`, a `leader-stall`), where a read served without a valid lease or
   * quorum is stale. Only for client models that follow the leader (`followsLeader`); nothing is
   * drawn while at most one node leads, so such runs go as with 0.
   */
  readonly staleRouting: number;
}

/** Options of one simulated run. Everything not given has a documented default. */
export interface SimulationOptions {
  /** Root seed: every random choice of the run derives from it. */
  readonly seed: number;
  /** Cluster size (default: the target's `defaultNodes`). */
  readonly nodes?: number;
  /** Virtual milliseconds to simulate (default 10,000). The run goes on past it while liveness is still being checked. */
  readonly durationMs?: number;
  /** Swarm-generated faults (default `"none"`). Ignored when `schedule` is given. */
  readonly faults?: FaultSelection;
  /** An explicit fault schedule (e.g. from `faultScheduleArbitrary`), instead of swarm generation. */
  readonly schedule?: FaultSchedule;
  /** When every fault stops and everything heals, as a fraction of `durationMs` (default 0.7). */
  readonly healAtFraction?: number;
  /** When every fault stops, in virtual ms (overrides `healAtFraction`; at most `durationMs`). */
  readonly healAtMs?: number;
  readonly network?: Partial<NetworkOptions>;
  readonly workload?: Partial<WorkloadOptions>;
  /** Custom adversaries, active from the start until healing (the `permanent` ones for the whole run), keyed by node id. */
  readonly byzantine?: Readonly<Record<NodeId, Adversary<unknown>>>;
  /**
   * Twins (Bano et al., 2020): this many members, drawn from the seed, each run as two honest copies
   * sharing the id (and so its keys) until healing, the network choosing which peers talk to which
   * copy (see `Twins`). The twinned ids join `ClusterView.faulty`; at healing the second copies stop.
   * Default 0. May exceed what the protocol tolerates (such runs are expected to fail).
   */
  readonly twins?: number;
  /**
   * Record the trace: `true` keeps ndjson lines in the result (`trace`); a function receives each
   * line as it is produced (e.g. to write a file). Off by default (it costs time).
   */
  readonly trace?: boolean | ((line: string) => void);
  /**
   * Record what a space-time diagram needs (messages and their fates, faults, roles) into this
   * recorder. Recording changes nothing in the run: the trace hash is the same with or without it.
   */
  readonly record?: RunRecorder;
  /** Encode and decode every message through the target's codec (counts bytes; slower). Default false. */
  readonly codecRoundTrip?: boolean;
  /** Run the target's invariants (default true). */
  readonly checkInvariants?: boolean;
  /** Check the target's liveness condition after healing (default true). */
  readonly checkLiveness?: boolean;
  /** Most events processed before the run stops with a `limit` error (default 50,000,000). */
  readonly maxEvents?: number;
  /**
   * Called every {@link PROGRESS_EVERY_EVENTS} events with how far the run has got (for a progress
   * line on a terminal). It only observes: the run and its trace hash are the same without it.
   */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Events kept for a violation report (default 20). */
  readonly tailEvents?: number;
}

/** How far a run has got, as {@link SimulationOptions.onProgress} reports it. */
export interface RunProgress {
  /** Virtual time reached. */
  readonly simulatedMs: number;
  /** The run's planned virtual duration (it may run past it while liveness is checked). */
  readonly durationMs: number;
  /** Events processed so far. */
  readonly events: number;
}

/** Events between two {@link SimulationOptions.onProgress} calls (a power of two). */
export const PROGRESS_EVERY_EVENTS = 1 << 16;

/** Default virtual duration of a run. */
export const DEFAULT_DURATION_MS = 10_000;

/** Defaults of {@link NetworkOptions}. */
export const DEFAULT_NETWORK: NetworkOptions = Object.freeze({ minLatencyMs: 1, maxLatencyMs: 10, jitterMs: 2 });

/** Defaults of {@link WorkloadOptions}. */
export const DEFAULT_WORKLOAD: WorkloadOptions = Object.freeze({
  mode: "closed",
  clients: 3,
  thinkMaxMs: 50,
  ratePerSec: 200,
  maxInFlight: 1000,
  requestLatencyMs: 1,
  staleRouting: 0.5,
});
