import type { ClusterView, Invariant, NamedViolation, NodeId, Step } from "@synod/core";
import type { BroadcastOp, BroadcastResult } from "./client.js";
import type { BroadcastMessage, BroadcastOutput, BroadcastRecord } from "./messages.js";
import type { BroadcastNode } from "./node.js";
import { SeqSet } from "./seq-set.js";

type BroadcastInvariant = Invariant<BroadcastNode, BroadcastMessage, BroadcastOutput, BroadcastRecord, BroadcastOp, BroadcastResult>;
type BroadcastView = ClusterView<BroadcastNode, BroadcastOp, BroadcastResult>;
type BroadcastStep = Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>;

/** The five durability properties of specs/broadcast/Broadcast.tla this checker is the twin of. */
export const BROADCAST_DURABILITY_NAMES = ["DeliveredIsPersisted", "DeliveryLogDurable", "FreshIds", "UnackedIsPersisted", "AcksAreDurable"] as const;

type Property = (typeof BROADCAST_DURABILITY_NAMES)[number];

/** One node's bookkeeping: the node object of its current lifetime and what it has made durable. */
interface Shadow {
  node: BroadcastNode | undefined;
  /** Ids persisted (synced), by origin: recovered at the lifetime's start plus every record since. */
  persisted: Map<NodeId, SeqSet>;
  /** Ids delivered (output) in any lifetime, by origin: the spec's `deliveryLog`. */
  everDelivered: Map<NodeId, SeqSet>;
  /** The highest seq of this node's own ids in {@link persisted} (-1: none). */
  maxOwnPersisted: number;
}

function persist(shadow: Shadow, id: NodeId, origin: NodeId, seq: number): void {
  add(shadow.persisted, origin, seq);
  if (origin === id && seq > shadow.maxOwnPersisted) shadow.maxOwnPersisted = seq;
}

function has(sets: Map<NodeId, SeqSet>, origin: NodeId, seq: number): boolean {
  return sets.get(origin)?.has(seq) === true;
}

function add(sets: Map<NodeId, SeqSet>, origin: NodeId, seq: number): void {
  let seqs = sets.get(origin);
  if (seqs === undefined) sets.set(origin, (seqs = new SeqSet()));
  seqs.add(seq);
}

function violation(invariant: Property, message: string): NamedViolation {
  return { invariant, message };
}

/**
 * A new lifetime of node `id`: everything it ever delivered must have been recovered
 * (DeliveryLogDurable), and its durable set starts as what it recovered — read from the node's
 * delivered set, which recovery rebuilds from exactly its records (`fromNodeState`), or empty when
 * the node is first seen after a step of its very first lifetime (whose disk started empty).
 */
function beginLifetime(shadow: Shadow, id: NodeId, node: BroadcastNode, fromNodeState: boolean): NamedViolation | undefined {
  shadow.node = node;
  shadow.persisted = new Map();
  shadow.maxOwnPersisted = -1;
  if (fromNodeState) node.forEachDelivered((origin, seq) => persist(shadow, id, origin, seq));
  for (const [origin, seqs] of shadow.everDelivered) {
    let lost: number | undefined;
    seqs.forEach((seq) => {
      if (lost === undefined && !node.hasDelivered(origin, seq)) lost = seq;
    });
    if (lost !== undefined) {
      return violation("DeliveryLogDurable", `${id} delivered (${origin}, ${lost}) before its crash but did not recover it: it may deliver it again`);
    }
  }
  return undefined;
}

/** The step's records are synced before its sends leave and its outputs are released: take them first. */
function afterStep(shadow: Shadow, id: NodeId, step: BroadcastStep): NamedViolation | undefined {
  for (const record of step.persist) persist(shadow, id, record.origin, record.seq);
  for (const envelope of step.send) {
    const message = envelope.message;
    if (has(shadow.persisted, message.origin, message.seq)) {
      if (message.type === "msg" && envelope.to === id) return violation("UnackedIsPersisted", `${id} sent (${message.origin}, ${message.seq}) to itself`);
      continue;
    }
    if (message.type === "ack") {
      return violation("AcksAreDurable", `${id} acknowledged (${message.origin}, ${message.seq}) to ${envelope.to} without having it persisted`);
    }
    return violation("UnackedIsPersisted", `${id} sent (${message.origin}, ${message.seq}) to ${envelope.to}, which it has not persisted`);
  }
  for (const output of step.output) {
    if (output.type !== "deliver") continue;
    add(shadow.everDelivered, output.origin, output.seq);
    if (!has(shadow.persisted, output.origin, output.seq)) {
      return violation("DeliveredIsPersisted", `${id} delivered (${output.origin}, ${output.seq}) without having persisted it`);
    }
  }
  return undefined;
}

/** FreshIds: the node's next own seq is above every own id it persisted (O(1), after every step). */
function freshIds(shadow: Shadow, id: NodeId, node: BroadcastNode): NamedViolation | undefined {
  const next = node.nextSequence();
  if (shadow.maxOwnPersisted < next) return undefined;
  return violation("FreshIds", `${id} will originate seq ${next}, but (${id}, ${shadow.maxOwnPersisted}) is already persisted: an id would be re-used`);
}

/**
 * UnackedIsPersisted on the whole pending set, at the start of a lifetime (recovery rebuilds it);
 * afterwards every (re-)send is checked as it leaves, which is where an unpersisted id would show.
 */
function pendingCheck(shadow: Shadow, id: NodeId, node: BroadcastNode): NamedViolation | undefined {
  let problem: NamedViolation | undefined;
  node.forEachPending((origin, seq, waitsOnSelf) => {
    if (problem !== undefined) return;
    if (waitsOnSelf) problem = violation("UnackedIsPersisted", `${id} waits for its own acknowledgement of (${origin}, ${seq})`);
    else if (!has(shadow.persisted, origin, seq)) {
      problem = violation("UnackedIsPersisted", `${id} will re-send (${origin}, ${seq}), which it has not persisted`);
    }
  });
  return problem;
}

/**
 * The twins of Broadcast.tla's durability invariants, checked in one pass: after every step
 * (send-only steps too, since an acknowledgement leaves without a record) and every restart. A node
 * halted on corrupted storage is outside the fault model and is not checked.
 * @returns a fresh checker for one run
 */
export function broadcastDurability(): BroadcastInvariant {
  const shadows = new Map<NodeId, Shadow>();
  const shadowOf = (id: NodeId): Shadow => {
    let shadow = shadows.get(id);
    if (shadow === undefined) shadows.set(id, (shadow = { node: undefined, persisted: new Map(), everDelivered: new Map(), maxOwnPersisted: -1 }));
    return shadow;
  };
  return {
    name: "BroadcastDurability",
    covers: BROADCAST_DURABILITY_NAMES,
    afterStep(id: NodeId, step: BroadcastStep, view: BroadcastView, given?: BroadcastNode) {
      const node = given ?? view.nodes.get(id);
      if (node === undefined || node.halted) return undefined;
      const shadow = shadowOf(id);
      if (shadow.node !== node) {
        // First seen at a step: its first lifetime (empty disk), or a restart `check` did not see
        // (then its delivered set, this step's deliveries included, stands in for what it recovered).
        const problem = beginLifetime(shadow, id, node, shadow.node !== undefined);
        if (problem !== undefined) return problem;
      }
      return afterStep(shadow, id, step) ?? freshIds(shadow, id, node);
    },
    check(view: BroadcastView, changed: NodeId | undefined, given?: BroadcastNode) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined || node.halted) return undefined;
      const shadow = shadowOf(changed);
      if (shadow.node === node) return undefined; // checked after its step
      // A restart (or a first start) before any step of this lifetime: the node holds what it recovered.
      return beginLifetime(shadow, changed, node, true) ?? freshIds(shadow, changed, node) ?? pendingCheck(shadow, changed, node);
    },
  };
}
