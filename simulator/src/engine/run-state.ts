import { nameViolation, type NamedViolation, type NodeId } from "@synod/core";
import type { Violation } from "./result.js";

/**
 * The mutable state of one run that the engine's parts share: virtual time, the event being
 * processed, whether to stop, the first violation, and the summary of the current event's step
 * (for the trace hash and the trace). One object per run, changed in place.
 */
export class RunState<O> {
  /** Virtual time of the current event. */
  nowMs = 0;
  /** Index of the current event (−1 before the first). */
  eventIndex = -1;
  /** Set by the first violation, or at the end once liveness is settled. */
  stopped = false;
  /** The `End` event has passed: the run stops as soon as liveness is settled. */
  endReached = false;
  /** Healing happened and the liveness condition has not held yet. */
  livenessPending = false;
  /** The first violation (the run stops there). */
  violation: Violation | undefined = undefined;
  /** Node changed by the current event (−1: none): the per-event checks look at it. */
  changed = -1;
  /** The message the current event delivered to a node (undefined: a tick, a request, or none): `afterStep` gets it. */
  delivered: unknown = undefined;
  /** The member index of the sender of `delivered` (−1: none). */
  deliveredFrom = -1;
  /** Records the current event's step persisted. */
  stepPersist = 0;
  /** Messages the current event's step sent. */
  stepSend = 0;
  /** Outputs of the current event's step. */
  stepOut = 0;
  /** Those outputs themselves, collected only when a trace is recorded. */
  stepOutputs: O[] | undefined = undefined;

  /** Make the next event, at `timeMs`, current: no node changed yet, an empty step summary. */
  beginEvent(timeMs: number): void {
    this.eventIndex++;
    this.nowMs = timeMs;
    this.changed = -1;
    this.delivered = undefined;
    this.deliveredFrom = -1;
    this.stepPersist = this.stepSend = this.stepOut = 0;
    this.stepOutputs = undefined;
  }

  /**
   * The current event's step summary as one 32-bit word for the trace hash: the three counts at bit
   * offsets 0, 11 and 22, combined with xor (a count of 2^11 or more still changes the word, where an
   * or of masked fields would cut it off; it may then alias another summary, which only weakens the
   * hash for that event). It lets the hash tell apart runs whose nodes did different work in the
   * same event, which the event's kind, time and fields alone do not show.
   */
  stepSummary(): number {
    return this.stepPersist ^ (this.stepSend << 11) ^ (this.stepOut << 22);
  }

  /** Record a violation (only the first counts) and stop the run. */
  fail(invariant: string, message: string, node?: NodeId): void {
    if (this.violation !== undefined) return;
    const at = { invariant, event: this.eventIndex, message, timeMs: this.nowMs };
    this.violation = node === undefined ? at : { ...at, node };
    this.stopped = true;
  }

  /** Record what `invariant` reported: under its own name, or under the covered property's it names. */
  failWith(invariant: { readonly name: string; readonly covers?: readonly string[] }, problem: string | NamedViolation, node?: NodeId): void {
    const named = nameViolation(invariant, problem) as NamedViolation;
    this.fail(named.invariant, named.message, node);
  }
}
