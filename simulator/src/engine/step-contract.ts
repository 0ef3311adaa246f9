import { assert, emptyStep, type Envelope, type NodeId, type ProtocolNode, type Rng, type SimulationTarget, type Step } from "@synod/core";
import { BuggifyCrash, type Buggify } from "./buggify.js";
import type { SimulationCounters } from "./counters.js";
import type { SimulatedDisk } from "./disk.js";
import type { InvariantRunner } from "./invariant-runner.js";
import { CrashPoint, type NodeTable } from "./node-table.js";
import type { RunState } from "./run-state.js";
import type { Transmission } from "./transmission.js";
import type { Workload } from "./workload.js";

const EMPTY_STEP: Step<unknown, unknown, unknown> = emptyStep();
// Module-local copies: the hot path reads plain consts, not module bindings.
const AFTER_PERSIST = CrashPoint.AfterPersist;
const BEFORE_SYNC = CrashPoint.BeforeSync;
const BEFORE_SEND = BuggifyCrash.BeforeSend;
const AFTER_SEND = BuggifyCrash.AfterSend;
const DROP_SENDS = BuggifyCrash.DropSends;
const DROP_SENDS_THEN_CRASH = BuggifyCrash.DropSendsThenCrash;

/** What honouring a step acts on (the simulation wires it). */
export interface StepContractHost<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res> {
  readonly target: SimulationTarget<N, M, I, O, P, Op, Res>;
  readonly table: NodeTable<N, M, I, O, P, Op, Res>;
  readonly transmission: Transmission<M>;
  readonly invariants: InvariantRunner<N, M, O, P, Op, Res>;
  readonly workload: Workload<I, O, Op, Res> | undefined;
  readonly counters: SimulationCounters;
  readonly state: RunState<O>;
  /** Draws where a torn write ends. */
  readonly faultRng: Rng;
  /** Whether outputs are collected for the trace. */
  readonly tracing: boolean;
  /** The target's crash points, armed while a `buggify` episode is on. */
  readonly buggify: Buggify<N, M, I, O, P>;
}

/**
 * The driver's side of the step contract (`Step` in core): a node's step is honoured in order —
 * persist (synced) → send → output — then the `afterStep` invariants see it. A crash armed for the
 * node ({@link CrashPoint}) falls inside the step: before the sync (the records are lost, the first
 * maybe torn) or after it (the sends are lost); either way nothing later in the step happens. A
 * buggify crash point the step passes ({@link Buggify}) crashes the node after the sync (before the
 * sends) or after the whole step, or loses the step's sends (no crash, or a crash after the whole
 * step), as the target's point says.
 */
export class StepContract<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res> {
  constructor(private readonly host: StepContractHost<N, M, I, O, P, Op, Res>) {}

  /** Honour `step`, just produced by node `i`. */
  apply(i: number, step: Step<M, O, P>): void {
    const host = this.host;
    const state = host.state;
    const counters = host.counters;
    const table = host.table;
    state.changed = i;
    if (step === EMPTY_STEP) {
      // A delivery answered with nothing: only the invariants about what a node heard see it.
      if (state.delivered !== undefined && i < table.memberCount && host.invariants.hasDeliveryHooks) {
        const from = state.deliveredFrom < 0 ? undefined : table.ids[state.deliveredFrom];
        host.invariants.afterEmptyDelivery(i, table.ids[i] as NodeId, table.nodes[i] as N, step as Step<M, O, P>, state.delivered as M, from);
      }
      return;
    }
    const buggify = host.buggify;
    const bug = buggify.armed ? buggify.crashOf(table.nodes[i] as N, step) : 0;
    const persist = step.persist;
    if (persist.length > 0 || step.compact === true) {
      const crashPoint = table.crashPoint[i];
      if (crashPoint === BEFORE_SYNC) {
        if (table.crashTorn[i] === 1 && persist.length > 0) {
          table.disks[i]?.tearTail(persist[0] as P, host.target.recordCodec, host.faultRng);
          counters.tornWrites++;
        }
        counters.unsyncedRecordsLost += persist.length;
        return table.crash(i, table.crashDownMs[i] as number);
      }
      (table.disks[i] as SimulatedDisk).write(persist, step.compact === true, host.target.recordCodec);
      state.stepPersist += persist.length;
      counters.recordsPersisted += persist.length;
      if (crashPoint === AFTER_PERSIST) {
        counters.sendsLostInCrash += step.send.length;
        return table.crash(i, table.crashDownMs[i] as number);
      }
    }
    const send = step.send;
    if (bug === BEFORE_SEND) {
      counters.sendsLostInCrash += send.length;
      return table.crash(i, buggify.downMs);
    }
    if (bug === DROP_SENDS || bug === DROP_SENDS_THEN_CRASH) counters.droppedLoss += send.length;
    else {
      state.stepSend += send.length;
      const adversary = table.adversaries[i];
      const transmission = host.transmission;
      for (let k = 0; k < send.length; k++) transmission.send(i, send[k] as Envelope<M>, adversary);
    }
    const output = step.output;
    // A twin's second copy (an index past the members) answers no client and is not checked (see `NodeTable`).
    const member = i < table.memberCount;
    if (output.length > 0) {
      state.stepOut += output.length;
      if (host.tracing) (state.stepOutputs ??= []).push(...output);
      const workload = host.workload;
      if (workload !== undefined && member) for (let k = 0; k < output.length; k++) workload.onOutput(state.nowMs, i, output[k] as O);
    }
    // Crashes after the whole step (its sends on the wire, or lost): the checks below see it first.
    const crashAfter = bug === AFTER_SEND || bug === DROP_SENDS_THEN_CRASH;
    if (!member) {
      if (crashAfter) table.crash(i, buggify.downMs);
      return;
    }
    // A step that only sends skips the hooks that asked for persisting or outputting steps only.
    const sendOnly = persist.length === 0 && output.length === 0 && step.compact !== true;
    const node = table.nodes[i];
    assert(node !== undefined, "a node whose step is honoured past its persist is up (a crash inside the step returned above)");
    const from = state.deliveredFrom < 0 ? undefined : table.ids[state.deliveredFrom];
    host.invariants.afterStep(i, table.ids[i] as NodeId, node, step, sendOnly, state.delivered as M | undefined, from);
    if (crashAfter) table.crash(i, buggify.downMs);
  }
}
