import {
  createCodec,
  type ClientModel,
  type ClusterView,
  type Invariant,
  type LivenessCheck,
  type NodeId,
  type Rng,
  type SimulationTarget,
} from "@synod/core";
import { CausalContext } from "./causal-context.js";
import type { Dot } from "./dot.js";
import { lwwCausal } from "./register-causality.js";
import { sequentialSpecInvariant, UpdateLog, type RecordedOp } from "./update-log.js";
import type { DocumentOp, ReplicaDocument } from "./replica-document.js";
import {
  CrdtReplicaNode,
  crdtMessageSchema,
  crdtRecordSchema,
  DEFAULT_CRDT_REPLICA_CONFIG,
  type CrdtMessage,
  type CrdtOutput,
  type CrdtRecord,
  type CrdtRequest,
} from "./replica-node.js";
import { MAX_REPLICA_MESSAGE_BYTES, MAX_REPLICA_RECORD_BYTES } from "./limits.js";

/** The result a client sees for a CRDT operation: the dot of the update (null: no-op). */
export type CrdtResult = Dot | null;

type View = ClusterView<CrdtReplicaNode, DocumentOp, CrdtResult>;
type CrdtInvariant = Invariant<CrdtReplicaNode, CrdtMessage, CrdtOutput, CrdtRecord, DocumentOp, CrdtResult>;

/** Virtual milliseconds per tick in the simulation. */
export const CRDT_TICK_MS = 10;

/**
 * Liveness bound after healing: 200 anti-entropy rounds (10 s at 5 ticks of 10 ms). A round
 * trip needs two rounds at most once the network is healed (an interval, then its ack); the
 * margin covers restarted replicas catching up by full state and slow-clock nodes.
 */
export const CRDT_CONVERGENCE_BOUND_MS = 200 * DEFAULT_CRDT_REPLICA_CONFIG.syncIntervalTicks * CRDT_TICK_MS;

const ELEMENTS = ["a", "b", "c", "d", "e"] as const;
const LETTERS = "abcdefghij";

/**
 * The client workload: random increments, set adds/removes, register writes, text inserts/deletes.
 * Text edits aim at the first few positions (the client does not read the text's length): an edit
 * outside the text is rejected by the replica (a `fail` outcome), never clamped.
 */
export const crdtClientModel: ClientModel<CrdtRequest, CrdtOutput, DocumentOp, CrdtResult> = {
  nextOperation(rng: Rng): DocumentOp {
    switch (rng.int(0, 6)) {
      case 0:
        return { type: "increment", amount: rng.int(-3, 4) };
      case 1:
        return { type: "add", element: rng.pick(ELEMENTS) };
      case 2:
        return { type: "remove", element: rng.pick(ELEMENTS) };
      case 3:
        return { type: "assign", value: `v${rng.int(0, 100)}` };
      case 4:
        return { type: "insert", index: rng.int(0, 4), text: LETTERS.slice(0, rng.int(1, 4)) };
      default:
        return { type: "delete", index: rng.int(0, 4), count: rng.int(1, 3) };
    }
  },
  toRequest: (op, invocation) => ({ invocation: invocation.id, op }),
  completion(output) {
    if (output.type === "applied") return { id: output.invocation, outcome: "ok", result: output.dot };
    if (output.type === "rejected") return { id: output.invocation, outcome: "fail", reason: output.reason };
    return undefined;
  },
  timeoutMs: 1_000,
};

function liveNodes(view: View): CrdtReplicaNode[] {
  const nodes: CrdtReplicaNode[] = [];
  for (const node of view.nodes.values()) if (node !== undefined) nodes.push(node);
  return nodes;
}

/**
 * `StrongConvergence`: any two live replicas that have delivered the same set of updates (equal
 * update contexts) have equal states (counter, OR-Set with its dots, register, RGA text with ids).
 *
 * A pair is compared again only when one of its documents changed since its last comparison
 * (their `revision`s, which advance on every call that may change a document): the verdict about
 * an unchanged pair is the same, and comparing whole documents after every event was most of the
 * cost of a CRDT simulation. Equal states are an equivalence, so a document found equal to one that
 * is already equal to the changed document (at both current revisions) is not compared again.
 */
export function strongConvergence(): CrdtInvariant {
  /** Per document, per other document: both revisions at their last comparison (numbers, no string per pair and event). */
  const compared = new WeakMap<ReplicaDocument, WeakMap<ReplicaDocument, { a: number; b: number }>>();
  /** @returns whether the pair was compared (and passed) at both documents' current revisions */
  const current = (x: ReplicaDocument, y: ReplicaDocument): boolean => {
    const xy = compared.get(x)?.get(y);
    if (xy !== undefined && xy.a === x.revision && xy.b === y.revision) return true;
    const yx = compared.get(y)?.get(x);
    return yx !== undefined && yx.a === y.revision && yx.b === x.revision;
  };
  /** Documents found state-equal to the changed one in this check, with the same updates (reused). */
  const equalHere: ReplicaDocument[] = [];
  return {
    name: "StrongConvergence",
    check(view, changed) {
      if (changed === undefined) return undefined;
      const node = view.nodes.get(changed);
      if (node === undefined) return undefined;
      const mine = node.document;
      let row = compared.get(mine);
      if (row === undefined) compared.set(mine, (row = new WeakMap()));
      equalHere.length = 0;
      for (const other of view.nodes.values()) {
        if (other === undefined || other === node) continue;
        const theirs = other.document;
        const stamp = row.get(theirs);
        if (stamp !== undefined && stamp.a === mine.revision && stamp.b === theirs.revision) continue;
        const sameUpdates = theirs.updates.equals(mine.updates);
        // Equal states are an equivalence: a document equal to one already found equal to `mine`
        // (same updates, compared at both current revisions) is equal to `mine`; no need to compare.
        let equal = !sameUpdates;
        if (sameUpdates) {
          for (const found of equalHere) if (current(found, theirs)) equal = true;
          if (!equal && theirs.sameStates(mine)) {
            equal = true;
            equalHere.push(theirs);
          }
        }
        if (equal) {
          if (stamp === undefined) row.set(theirs, { a: mine.revision, b: theirs.revision });
          else {
            stamp.a = mine.revision;
            stamp.b = theirs.revision;
          }
        } else {
          equalHere.length = 0;
          return `${node.id} and ${other.id} delivered the same updates but differ: counter ${mine.counter.value()} vs ${theirs.counter.value()}, set [${mine.set.values()}] vs [${theirs.set.values()}], text ${JSON.stringify(mine.text.toString())} vs ${JSON.stringify(theirs.text.toString())}`;
        }
      }
      equalHere.length = 0;
      return undefined;
    },
  };
}

/**
 * `AddWins` (OR-Set against its sequential specification): at every replica, an element is present
 * exactly when some delivered add of it has not been observed by any delivered remove of it — so an
 * element added concurrently with its removal is present. Also fails when a replica issues one dot
 * for two different updates (the specification names updates by their dots).
 */
export function addWins(log = new UpdateLog()): CrdtInvariant {
  const start = (): { revision: number; setOps: number; perElement: Map<string, AddWinsProgress> } => ({ revision: -1, setOps: -1, perElement: new Map() });
  return sequentialSpecInvariant("AddWins", start, (node, progress) => {
    // Nothing delivered here and no set op learned since this replica's last check (which passed):
    // every element's verdict is the one of that check (each AddWinsProgress would say so too).
    if (progress.revision === node.document.revision && progress.setOps === log.setOpCount) return undefined;
    progress.revision = node.document.revision;
    progress.setOps = log.setOpCount;
    const perElement = progress.perElement;
    for (const element of ELEMENTS) {
      let state = perElement.get(element);
      if (state === undefined) perElement.set(element, (state = new AddWinsProgress()));
      const expected = state.present(log.setOps.get(element), node.document.updates, node.document.revision);
      if (node.document.set.has(element) !== expected) {
        return `${node.id}: element ${element} is ${expected ? "missing" : "present"}, but the add-wins specification over its delivered updates says ${expected ? "present" : "absent"}`;
      }
    }
    return undefined;
  }, log);
}

/**
 * The add-wins specification of one element at one replica, kept up to date incrementally: the
 * delivered adds that no delivered remove has observed ("live"), and the recorded ops not delivered
 * there yet. A replica's delivered updates only grow (a node's update context has no way to lose a
 * dot; a restart makes a new node and a new progress), so each op moves from pending to delivered
 * once, and the element is present exactly when some add is live.
 */
class AddWinsProgress {
  private addsSeen = 0;
  private removesSeen = 0;
  private readonly pendingAdds: RecordedOp[] = [];
  private readonly pendingRemoves: RecordedOp[] = [];
  private readonly live = new Set<RecordedOp>();
  private revision = -1;

  /** @returns whether the element must be present at a replica that delivered `delivered` */
  present(ops: { adds: RecordedOp[]; removes: RecordedOp[] } | undefined, delivered: CausalContext, revision: number): boolean {
    if (ops === undefined) return false;
    const fresh = ops.adds.length !== this.addsSeen || ops.removes.length !== this.removesSeen;
    if (!fresh && revision === this.revision) return this.live.size > 0;
    this.revision = revision;
    for (; this.addsSeen < ops.adds.length; this.addsSeen++) this.pendingAdds.push(ops.adds[this.addsSeen] as RecordedOp);
    for (; this.removesSeen < ops.removes.length; this.removesSeen++) this.pendingRemoves.push(ops.removes[this.removesSeen] as RecordedOp);
    // Removes first: an add delivered together with a remove that observed it is not live.
    // (Loops that keep the undelivered ops in place, in order: no closures or new arrays per check.)
    const removes = this.pendingRemoves;
    let kept = 0;
    for (const remove of removes) {
      if (!delivered.contains(remove.dot)) removes[kept++] = remove;
      else for (const add of this.live) if (add.observers.includes(remove)) this.live.delete(add);
    }
    removes.length = kept;
    const adds = this.pendingAdds;
    kept = 0;
    for (const add of adds) {
      if (!delivered.contains(add.dot)) {
        adds[kept++] = add;
        continue;
      }
      let observed = false;
      for (const remove of add.observers) if (delivered.contains(remove.dot)) observed = true;
      if (!observed) this.live.add(add);
    }
    adds.length = kept;
    return this.live.size > 0;
  }
}

/**
 * `CounterSum` (PN-Counter against its sequential specification): every replica's counter equals
 * the sum of the increments it has delivered. Also fails when one dot names two different updates.
 * The sum is kept per replica incrementally, as {@link AddWinsProgress} keeps its sets.
 */
export function counterSum(log = new UpdateLog()): CrdtInvariant {
  const start = (): { seen: number; pending: RecordedOp[]; sum: number; revision: number } => ({ seen: 0, pending: [], sum: 0, revision: -1 });
  return sequentialSpecInvariant("CounterSum", start, (node, state) => {
    if (state.revision === node.document.revision && state.seen === log.counterOps.length) return undefined;
    state.revision = node.document.revision;
    for (; state.seen < log.counterOps.length; state.seen++) state.pending.push(log.counterOps[state.seen] as RecordedOp);
    const delivered = node.document.updates;
    let kept = 0;
    for (const entry of state.pending) {
      if (!delivered.contains(entry.dot)) state.pending[kept++] = entry;
      else if (entry.op.type === "increment") state.sum += entry.op.amount;
    }
    state.pending.length = kept;
    const actual = node.document.counter.value();
    return actual === state.sum ? undefined : `${node.id}: counter is ${actual}, but its delivered increments sum to ${state.sum}`;
  }, log);
}

const obligations = new WeakMap<object, CausalContext>();

/**
 * Liveness `Convergence`: after healing, every live replica delivers every update that any live
 * replica had delivered when the faults healed, within {@link CRDT_CONVERGENCE_BOUND_MS}.
 * (Clients keep writing, so there may never be an instant where all replicas are equal; with no
 * new writes, delivering the same updates makes them equal, by StrongConvergence.)
 */
export const convergenceLiveness: LivenessCheck<CrdtReplicaNode, DocumentOp, CrdtResult> = {
  description: "Convergence: every live replica delivers every update any live replica had when faults healed",
  boundMs: CRDT_CONVERGENCE_BOUND_MS,
  holds(view) {
    const nodes = liveNodes(view);
    let obligation = obligations.get(view);
    if (obligation === undefined) {
      obligation = new CausalContext();
      for (const node of nodes) obligation.merge(node.document.updates);
      obligations.set(view, obligation);
    }
    const required = obligation;
    return nodes.every((node) => {
      const vv = node.document.updates.versionVector();
      return required.versionVector().leq(vv) && required.cloudDots().every((d) => node.document.updates.contains(d));
    });
  },
};

/**
 * The CRDT family as a simulation target (`pnpm sim crdt`): replicas of a document holding a
 * PN-Counter, an OR-Set, a LWW-Register and an RGA text, synchronised by delta anti-entropy over
 * whatever network the simulator makes (loss, duplication, reordering, partitions, crashes).
 */
export const crdtSimulation: SimulationTarget<CrdtReplicaNode, CrdtMessage, CrdtRequest, CrdtOutput, CrdtRecord, DocumentOp, CrdtResult> = {
  name: "crdt",
  description: "delta-state CRDTs (PN-Counter, OR-Set, LWW-Register, RGA) with delta anti-entropy",
  defaultNodes: 3,
  minNodes: 1,
  tickMs: CRDT_TICK_MS,
  createNode: (ctx) => new CrdtReplicaNode(ctx),
  messageCodec: createCodec(crdtMessageSchema, { maxBytes: MAX_REPLICA_MESSAGE_BYTES }),
  recordCodec: createCodec(crdtRecordSchema, { maxBytes: MAX_REPLICA_RECORD_BYTES }),
  client: crdtClientModel,
  createInvariants: () => {
    const log = new UpdateLog(); // one history for the sequential specifications
    return [strongConvergence(), addWins(log), counterSum(log), lwwCausal(log)];
  },
  liveness: convergenceLiveness,
  metrics(view) {
    const totals = { droppedMessages: 0, fullStatesSent: 0, deltasSent: 0, nacksSent: 0, bufferedDeltas: 0, textRuns: 0, stableUpdates: 0 };
    for (const node of liveNodes(view)) {
      totals.droppedMessages += node.stats.droppedMessages;
      totals.fullStatesSent += node.stats.fullStatesSent;
      totals.deltasSent += node.stats.deltasSent;
      totals.nacksSent += node.stats.nacksSent;
      totals.bufferedDeltas += node.bufferedDeltas;
      totals.textRuns += node.document.text.runCount;
      totals.stableUpdates = Math.max(totals.stableUpdates, node.stableVersionVector().total());
    }
    return totals;
  },
};
