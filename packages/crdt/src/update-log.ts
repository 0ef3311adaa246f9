import type { ClusterView, Invariant, NodeId } from "@synod/core";
import { CausalContext } from "./causal-context.js";
import type { CrdtResult } from "./crdt-simulation.js";
import { dotKey, type Dot } from "./dot.js";
import type { DocumentOp } from "./replica-document.js";
import type { CrdtMessage, CrdtOutput, CrdtRecord, CrdtReplicaNode } from "./replica-node.js";

/** @returns a canonical description of an op (field order independent: decoded records reorder keys) */
function opKey(op: DocumentOp): string {
  switch (op.type) {
    case "increment":
      return `increment(${op.amount})`;
    case "add":
    case "remove":
      return `${op.type}(${JSON.stringify(op.element)})`;
    case "assign":
      return `assign(${JSON.stringify(op.value)})`;
    case "insert":
      return `insert(${op.index}, ${JSON.stringify(op.text)})`;
    case "delete":
      return `delete(${op.index}, ${op.count})`;
  }
}

/** An update the nodes reported as applied, with what its replica had delivered when it issued it. */
export interface RecordedOp {
  readonly op: DocumentOp;
  readonly dot: Dot;
  readonly past: CausalContext;
  /**
   * For an add: the recorded removes of the same element that had observed it; for an assign: the
   * recorded assigns that had observed it (their `past` holds its dot).
   */
  readonly observers: RecordedOp[];
}

/**
 * Every update applied anywhere, keyed by dot, as reported by the nodes' outputs: the history the
 * sequential specifications of the simulator's invariants range over.
 */
export class UpdateLog {
  readonly byDot = new Map<string, RecordedOp>();
  readonly counterOps: RecordedOp[] = [];
  readonly setOps = new Map<string, { adds: RecordedOp[]; removes: RecordedOp[] }>();
  /** How many adds and removes {@link setOps} holds (all elements): grows by one with each learned. */
  setOpCount = 0;
  /** Register writes, in the order learned. */
  readonly assignOps: RecordedOp[] = [];

  /**
   * Learn the local ops a restarted node found in its records (their outputs may have been lost).
   * @returns a description of a reused dot, if one is found
   */
  learnRecovered(node: CrdtReplicaNode): string | undefined {
    if (this.recoveredSeen.has(node)) return undefined;
    this.recoveredSeen.add(node);
    for (const local of node.recoveredLocalOps) {
      const reused = this.record({ type: "applied", invocation: -1, op: local.op, dot: local.dot, past: local.past });
      if (reused !== undefined) return reused;
    }
    return undefined;
  }

  private readonly recoveredSeen = new WeakSet<CrdtReplicaNode>();
  private lastOutputs: readonly CrdtOutput[] | undefined;

  /**
   * Learn every update a step reports as applied (the `afterStep` hook of the invariants).
   * @returns a description of a reused dot, or undefined
   */
  recordOutputs(outputs: readonly CrdtOutput[]): string | undefined {
    // Invariants sharing this log all hand it the same step's outputs: learned by the first.
    if (outputs === this.lastOutputs) return undefined;
    this.lastOutputs = outputs;
    for (const output of outputs) {
      const reused = this.record(output);
      if (reused !== undefined) return reused;
    }
    return undefined;
  }

  /**
   * The node an event changed, once its recovered local ops are learned (the start of a `check`).
   * @returns the live node; a description of a reused dot; or undefined (no node changed, or it is down)
   */
  liveNode(view: ClusterView<CrdtReplicaNode, DocumentOp, CrdtResult>, changed: NodeId | undefined): CrdtReplicaNode | string | undefined {
    if (changed === undefined) return undefined;
    const node = view.nodes.get(changed);
    if (node === undefined) return undefined;
    return this.learnRecovered(node) ?? node;
  }

  /**
   * Learn an applied update. A dot names one update: seeing it again with a different op means a
   * replica issued it twice, and "its delivered updates" (what both specifications range over) is
   * no longer well defined — reported, never silently resolved in favour of the first op.
   * @returns a description of a reused dot, or undefined
   */
  record(output: CrdtOutput): string | undefined {
    if (output.type !== "applied" || output.dot === null) return undefined;
    const key = dotKey(output.dot);
    const known = this.byDot.get(key);
    if (known !== undefined) {
      if (opKey(known.op) === opKey(output.op)) return undefined;
      return `dot [${output.dot[0]}, ${output.dot[1]}] issued twice: first for ${opKey(known.op)}, again for ${opKey(output.op)}`;
    }
    const entry: RecordedOp = { op: output.op, dot: output.dot, past: CausalContext.fromWire(output.past), observers: [] };
    this.byDot.set(key, entry);
    if (output.op.type === "increment") this.counterOps.push(entry);
    if (output.op.type === "assign") {
      // Which write observed which never changes: learned once here (both directions, as below).
      for (const earlier of this.assignOps) {
        if (entry.past.contains(earlier.dot)) earlier.observers.push(entry);
        else if (earlier.past.contains(entry.dot)) entry.observers.push(earlier);
      }
      this.assignOps.push(entry);
    }
    if (output.op.type === "add" || output.op.type === "remove") {
      this.setOpCount++;
      let ops = this.setOps.get(output.op.element);
      if (ops === undefined) this.setOps.set(output.op.element, (ops = { adds: [], removes: [] }));
      // Which remove observed which add never changes: learned once here, not at every check.
      // (Both directions: a restarted replica's recovered ops are learned late.)
      if (output.op.type === "add") {
        for (const remove of ops.removes) if (remove.past.contains(entry.dot)) entry.observers.push(remove);
        ops.adds.push(entry);
      } else {
        for (const add of ops.adds) if (entry.past.contains(add.dot)) add.observers.push(entry);
        ops.removes.push(entry);
      }
    }
    return undefined;
  }
}

/**
 * An invariant that checks each changed live replica against a sequential specification over the
 * update log: `check(node, progress, log)` with the replica's own incremental `progress` (made by
 * `start` the first time the replica is checked; a restarted replica is a new node and starts
 * afresh). Fails too when one dot names two different updates. Invariants of one run may share
 * one `log` (each output is learned once).
 */
export function sequentialSpecInvariant<S extends object>(
  name: string,
  start: () => S,
  check: (node: CrdtReplicaNode, progress: S, log: UpdateLog) => string | undefined,
  log: UpdateLog,
): Invariant<CrdtReplicaNode, CrdtMessage, CrdtOutput, CrdtRecord, DocumentOp, CrdtResult> {
  const progress = new WeakMap<CrdtReplicaNode, S>();
  return {
    name,
    afterStep: (_id, step) => log.recordOutputs(step.output),
    afterStepOn: "persist-or-output",
    check(view, changed) {
      const seen = log.liveNode(view, changed);
      if (typeof seen === "string" || seen === undefined) return seen;
      let state = progress.get(seen);
      if (state === undefined) progress.set(seen, (state = start()));
      return check(seen, state, log);
    },
  };
}
