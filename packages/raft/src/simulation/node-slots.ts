import type { NodeId } from "@synod/core";
import type { ConfState } from "../conf-state.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftNode } from "../raft-node.js";
import type { ClockSlot } from "./leader-lease-check.js";
import { LeaseSlot } from "./lease-checks.js";
import type { ShadowLog } from "./shadow-log.js";

/**
 * The bookkeeping the invariants keep about one node, in one object: every check of an event reads
 * the same node, so this is one lookup and a few cache lines per event instead of one map per
 * invariant. Each invariant owns its own fields.
 */
export class NodeSlot {
  /** ElectionSafety: the term this node was last recorded leading (−1: none). */
  leaderTerm = -1;
  /** LeaderAppendOnly: the node object last seen leading (undefined while it was not), its term and log end. */
  leadingNode: RaftNode<KvReply> | undefined = undefined;
  leadingTerm = 0;
  leadingLastIndex = 0;
  leadingLastTerm: number | undefined = undefined;
  /** LeaderCompleteness: the last term this node was checked leading, and every term it was. */
  completeTerm = -1;
  completeTerms: Set<number> | undefined = undefined;
  /** CommittedEntriesDurable: the durable log's shadow, the node object it was built for. */
  shadow: ShadowLog | undefined = undefined;
  shadowNode: RaftNode<KvReply> | undefined = undefined;
  /** CommittedEntriesDurable: the node object whose configuration after its last event is `conf`. */
  confNode: RaftNode<KvReply> | undefined = undefined;
  conf: ConfState | undefined = undefined;
  /** HardStateDurable / MessagesDurable: the node object whose synced term and vote these are. */
  hardStateNode: RaftNode<KvReply> | undefined = undefined;
  durableTerm = 0;
  durableVote: NodeId | undefined = undefined;
  /** CommittedEntriesDurable: this node was seen halted on corrupted storage (it stays so across restarts: the corruption stays). */
  halted = false;
  /** PreVoteSafety: the node object last seen, its term and vote then. */
  voterNode: RaftNode<KvReply> | undefined = undefined;
  voterTerm = 0;
  voterVote: NodeId | undefined = undefined;
  /** CommitIndexMonotonic: the node object last seen and its commit index then. */
  commitNode: RaftNode<KvReply> | undefined = undefined;
  commitIndex = 0;
  /** ReadAfterApply: the node object last seen and its applied index then. */
  appliedNode: RaftNode<KvReply> | undefined = undefined;
  appliedIndex = 0;
  /** CorrectPeersWellFormed: the node object last seen counting a malformed message, and its count then. */
  malformedNode: RaftNode<KvReply> | undefined = undefined;
  malformed = 0;
  /** VoteLease and CheckQuorumStepsDown (lease-checks.ts). */
  readonly lease: LeaseSlot;
  /** LeaderLease: its clock (leader-lease-check.ts), made by the run's checker on first sight. */
  clock: ClockSlot | undefined = undefined;

  /** @param id - the node's id */
  constructor(readonly id: NodeId) {
    this.lease = new LeaseSlot(id);
  }
}

/** Largest member position {@link NodeSlots.get} remembers slots by (the simulator's clusters are far smaller). */
const MAX_REMEMBERED_MEMBERS = 1024;

/**
 * The {@link NodeSlot}s of one run, found by node id. Given the node's position among the members
 * (the simulator passes it), a slot is one array read and an identity check of its id; otherwise
 * the ids sit in an array scanned with `===` (the driver passes the same id strings every time),
 * and the last id looked up is remembered: every hook of one event asks for the same node.
 * Bounded by the number of distinct node ids the driver names.
 */
export class NodeSlots {
  private readonly slots: NodeSlot[] = [];
  private readonly byMember: (NodeSlot | undefined)[] = [];
  private last: NodeSlot | undefined;

  /**
   * @param member - the node's position in `view.members`, when the caller knows it
   * @returns the slot of node `id` (created on first use)
   */
  get(id: NodeId, member?: number): NodeSlot {
    // Kept tiny so that it inlines into every hook: the slow path is a call of its own.
    const known = member === undefined ? this.last : this.byMember[member];
    return known !== undefined && known.id === id ? known : this.find(id, member);
  }

  private find(id: NodeId, member: number | undefined): NodeSlot {
    const slots = this.slots;
    let k = 0;
    while (k < slots.length && (slots[k] as NodeSlot).id !== id) k++;
    if (k === slots.length) slots.push(new NodeSlot(id));
    const slot = slots[k] as NodeSlot;
    this.last = slot;
    if (member !== undefined && Number.isInteger(member) && member >= 0 && member < MAX_REMEMBERED_MEMBERS) {
      while (this.byMember.length < member) this.byMember.push(undefined);
      this.byMember[member] = slot;
    }
    return slot;
  }
}
