import type { History, NodeId } from "@synod/core";
import type { FaultKind } from "../faults/fault-kinds.js";
import type { FaultSchedule } from "../faults/schedule.js";

/** A violated invariant (or liveness, or a node that threw). */
export interface Violation {
  /** The invariant's name (`NoDuplication`, `Liveness`, `NodeThrew`, `StorageIntegrity`, `Determinism`). */
  readonly invariant: string;
  /** Index of the event after which it was found. */
  readonly event: number;
  readonly message: string;
  /** Virtual time of that event. */
  readonly timeMs: number;
  /** The node whose step broke it, when there is one. */
  readonly node?: NodeId;
}

/** Outcome of one simulated run. */
export interface SimulationResult<Op = unknown, Res = unknown> {
  readonly protocol: string;
  readonly seed: number;
  readonly nodes: number;
  /** The faults that were on (swarm choice, or the kinds present in an explicit schedule). */
  readonly faults: readonly FaultKind[];
  /** Rates the swarm drew for this seed. */
  readonly faultRates: Readonly<Record<string, number>>;
  /** The schedule that ran. */
  readonly schedule: FaultSchedule;
  readonly healAtMs: number;
  /** Virtual time when the run stopped. */
  readonly simulatedMs: number;
  /** Events processed. */
  readonly events: number;
  readonly messagesDelivered: number;
  /** At most one (the run stops at the first violation). */
  readonly violations: readonly Violation[];
  /** 16 hex digits folded over every event record; equal for equal seeds and options. */
  readonly traceHash: string;
  /** Simulator counters (messages, faults injected, history counts) and the protocol's metrics. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The invariants checked, by name. */
  readonly invariants: readonly string[];
  /** The client history. */
  readonly history: History<Op, Res>;
  /** The last events before the end (or the violation), one readable line each. */
  readonly tail: readonly string[];
  /** Ndjson trace lines, when `trace: true`. */
  readonly trace?: readonly string[];
  /** The twinned ids (`SimulationOptions.twins`); absent without twins. */
  readonly twins?: readonly NodeId[];
}
