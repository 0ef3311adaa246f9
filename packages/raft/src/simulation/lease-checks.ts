import type { NodeId, Step } from "@synod/core";
import { confMembers, type ConfState } from "../conf-state.js";
import type { RaftOutput } from "../io.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import { cachedQuorumOf } from "./property-checks.js";

// The properties CheckQuorum promises (thesis §4.2.3 and §6.2; etcd's CheckQuorum), checked on what
// a node heard and when, by its own clock (`RaftNode.ticks`), not on the implementation's timers:
//
// - VoteLease: a follower that heard from the leader of its term less than the (minimum) election
//   timeout ago grants no vote or pre-vote for a higher term, unless the leader itself asked for the
//   campaign (a leadership transfer's TimeoutNow).
// - CheckQuorumStepsDown: a leader that has not heard from a quorum of its configuration for two
//   check periods no longer leads. CheckQuorum looks every period (the election timeout; a leadership
//   transfer started restarts the period, as in etcd) at the peers heard since the previous look, so
//   a leader that heard no quorum in the last two periods failed a look within them.
//
// Both only with `checkQuorum` on (the lease and the step-down are CheckQuorum's).

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;
type Node = RaftNode<KvReply>;

/** Largest factor by which the adaptive election timeout stretches CheckQuorum's period (adaptive-election-timeout.ts). */
const ADAPTIVE_PERIOD_FACTOR = 10;

/** What the lease checks remember of one node (one lifetime: a restarted node is a new object). */
export class LeaseSlot {
  /** The node object the fields below describe. */
  node: Node | undefined = undefined;
  /** LeaseVotersBound: that lifetime is a restart that recovered a term (it starts in its restart lease, vote-granting.ts). */
  restarted = false;
  /** Its term and role after its previous event. */
  term = 0;
  role = "";
  /** VoteLease: the term in which it last heard from that term's leader, and its tick count then (−1: never). */
  heardTerm = -1;
  heardTick = -1;
  /** CheckQuorumStepsDown: the term it leads (−1: not leading), the tick its current period count started. */
  leadingTerm = -1;
  periodStart = 0;
  /** The tick its configuration last changed while leading (every member counts as heard then). */
  confTick = 0;
  conf: ConfState | undefined = undefined;
  transferee: NodeId | undefined = undefined;
  /** CheckQuorumStepsDown: per peer, the tick it was last heard at in this leadership. */
  readonly peerHeard = new Map<NodeId, number>();
  /** The tick count at which the step-down was last checked (once per tick suffices). */
  checkedTick = -1;
  /** PreVoteQuorum: the term pre-voted for (−1: none yet in this lifetime) and the granted pre-votes heard for it as a pre-candidate. */
  preVoteTerm = -1;
  readonly preVoteGrants = new Set<NodeId>();

  /** @param id - the node's id */
  constructor(readonly id: NodeId) {}
}

/** @returns the CheckQuorum period bound (ticks) of `node`'s configuration */
function periodOf(node: Node): number {
  const c = node.config;
  return c.adaptiveElectionTimeout ? ADAPTIVE_PERIOD_FACTOR * c.electionTimeoutTicks : c.electionTimeoutTicks;
}

function grantsTo(step: RaftStep, to: NodeId, type: "voteResponse" | "preVoteResponse"): boolean {
  const send = step.send;
  for (let k = 0; k < send.length; k++) {
    const envelope = send[k] as (typeof send)[number];
    const m = envelope.message;
    if (envelope.to === to && m.type === type && m.granted) return true;
  }
  return false;
}

/**
 * After a step of `node` (id `id`) answering `delivered` from `from` (both undefined for a tick or a
 * request): VoteLease's verdict on a (pre-)vote granted, and what both checks learn — the leader a
 * follower heard from, the peers a leader heard from. The state before the step is the slot's
 * (recorded by {@link leaseCheck} after the node's previous event).
 * @returns why the step breaks VoteLease, or undefined
 */
export function leaseAfterStep(
  slot: LeaseSlot,
  id: NodeId,
  step: RaftStep,
  node: Node | undefined,
  delivered: RaftMessage | undefined,
  from: NodeId | undefined,
): string | undefined {
  if (node === undefined || delivered === undefined || from === undefined) return undefined;
  if (slot.node !== node || !node.config.checkQuorum) return undefined;
  const type = delivered.type;
  if ((type === "append" || type === "heartbeat" || type === "snapshot") && node.role === "follower" && node.term === delivered.term && node.leader === from) {
    // Only the leader of a term sends these in it (ElectionSafety).
    slot.heardTerm = node.term;
    slot.heardTick = node.ticks;
    return undefined;
  }
  if (slot.leadingTerm === node.term && node.role === "leader" && delivered.term === node.term) {
    slot.peerHeard.set(from, node.ticks);
    return undefined;
  }
  if (type !== "vote" && type !== "preVote") return undefined;
  if (type === "vote" && delivered.transfer) return undefined; // the leader asked for this campaign
  const before = slot.term;
  if (delivered.term <= before || slot.role !== "follower" || slot.heardTerm !== before) return undefined;
  const since = node.ticks - slot.heardTick;
  const timeout = node.config.electionTimeoutTicks;
  if (since >= timeout || !grantsTo(step, from, type === "vote" ? "voteResponse" : "preVoteResponse")) return undefined;
  const what = type === "vote" ? "vote" : "pre-vote";
  const lease = `the lease lasts the election timeout, ${timeout} ticks`;
  return `${id} granted a ${what} for term ${delivered.term} to ${from} ${since} ticks after hearing from the leader of its term ${before} (${lease})`;
}

// What {@link heardLately} answers about: set by {@link leaseCheck} before each quorum count (a
// module-level function, so that a count builds no set and no closure).
let heardBy: LeaseSlot | undefined;
let heardNow = 0;
let heardBound = 0;

/** @returns true when the leader of `heardBy` heard `peer` within `heardBound` ticks of `heardNow` (itself always), else undefined */
function heardLately(peer: NodeId): true | undefined {
  const slot = heardBy as LeaseSlot;
  if (peer === slot.id) return true;
  const tick = slot.peerHeard.get(peer);
  return tick !== undefined && heardNow - tick <= heardBound ? true : undefined;
}

/**
 * After an event of node `id`: remember the node's state (the next step's "before") and, when
 * `judge` (the deliveries' senders are known), CheckQuorumStepsDown's verdict.
 * @returns why the node breaks CheckQuorumStepsDown, or undefined
 */
export function leaseCheck(slot: LeaseSlot, id: NodeId, node: Node | undefined, judge: boolean): string | undefined {
  if (node === undefined) return undefined;
  const sameLifetime = slot.node === node;
  if (!sameLifetime) {
    slot.restarted = slot.node !== undefined && node.term > 0 && node.ticks === 0;
    slot.node = node;
    slot.heardTerm = -1;
    slot.leadingTerm = -1;
  }
  slot.term = node.term;
  slot.role = node.role;
  if (node.role !== "leader" || !node.config.checkQuorum) {
    slot.leadingTerm = -1;
    return undefined;
  }
  const now = node.ticks;
  const conf = node.confState;
  if (slot.leadingTerm !== node.term) {
    // A new leadership: CheckQuorum's period starts now, and no peer was heard yet.
    slot.leadingTerm = node.term;
    slot.periodStart = now;
    slot.confTick = now;
    slot.conf = conf;
    slot.transferee = node.leadTransferee;
    slot.peerHeard.clear();
    slot.checkedTick = -1;
    return undefined;
  }
  if (conf !== slot.conf) {
    slot.conf = conf;
    slot.confTick = now;
  }
  const transferee = node.leadTransferee;
  if (transferee !== slot.transferee) {
    slot.transferee = transferee;
    if (transferee !== undefined) slot.periodStart = now; // a transfer started restarts the period
  }
  const bound = 2 * periodOf(node);
  if (!judge || now - slot.periodStart < bound || now === slot.checkedTick) return undefined;
  slot.checkedTick = now;
  if (now - slot.confTick <= bound) return undefined; // members added lately count as heard
  // A quorum of the members heard within the bound, itself counted: the granted "votes" of a
  // quorum system (majorities and joint ones: won exactly when the set of those members is a quorum).
  heardBy = slot;
  heardNow = now;
  heardBound = bound;
  const quorum = cachedQuorumOf(conf);
  if (quorum.voteResult(heardLately) === "won") return undefined;
  const members = confMembers(conf).filter((m) => m !== id);
  const last = members.map((m) => `${m}@${String(slot.peerHeard.get(m) ?? "never")}`).join(", ");
  const of = `${quorum.kind} ${quorum.voters.join(",")}`;
  return `${id} still leads term ${node.term} at tick ${now}, having heard from no quorum of ${of} in ${bound} ticks (last heard: ${last})`;
}

/**
 * PreVoteQuorum (thesis §9.6): a pre-candidate campaigns (becomes a candidate of the next term) only
 * with granted pre-votes for that term from a quorum of its configuration, itself counted — the
 * grants heard as a pre-candidate of the term below in this lifetime (from any of its pre-campaigns
 * at that term: a superset of what the node counts). Needs the senders of deliveries (`from`); the
 * state before the step is the slot's, as for VoteLease.
 * @returns why the step breaks PreVoteQuorum, or undefined
 */
export function preVoteQuorumAfterStep(
  slot: LeaseSlot,
  id: NodeId,
  node: Node | undefined,
  delivered: RaftMessage | undefined,
  from: NodeId | undefined,
): string | undefined {
  if (node === undefined || slot.node !== node) return undefined;
  if (slot.role === "pre-candidate" && slot.preVoteTerm !== slot.term + 1) {
    slot.preVoteTerm = slot.term + 1;
    slot.preVoteGrants.clear();
  }
  const grant = delivered?.type === "preVoteResponse" && delivered.granted && delivered.term === slot.term + 1;
  if (slot.role === "pre-candidate" && grant && from !== undefined) slot.preVoteGrants.add(from);
  if (slot.role !== "pre-candidate" || node.role !== "candidate" || node.term !== slot.term + 1) return undefined;
  const quorum = cachedQuorumOf(node.confState);
  const granted = new Set(slot.preVoteGrants);
  granted.add(id);
  if (quorum.isQuorum(granted)) return undefined;
  const heard = [...slot.preVoteGrants].join(", ") || "none";
  return `${id} campaigned for term ${node.term} from a pre-campaign granted by ${heard} (and itself): no quorum of ${quorum.kind} ${quorum.voters.join(",")}`;
}
