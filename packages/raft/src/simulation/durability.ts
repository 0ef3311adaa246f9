import type { ClusterView, NodeId, Step } from "@synod/core";
import type { RaftOutput } from "../io.js";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import type { NodeSlot } from "./node-slots.js";

type Node = RaftNode<KvReply>;
type View = ClusterView<Node, KvOp, KvResult>;
type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

/**
 * Durability as an invariant, not a hope: what a node says and does must be backed by what it has
 * synced, so that a crash at any instant cannot make it contradict itself. The simulator syncs a
 * step's records before its messages leave, so the durable state at a send is every record synced
 * so far, this step's included. Two properties (in TLA+ terms, with `votedFor`, `currentTerm` and
 * `log` the persistent variables and `messages` the network):
 *
 * - `HardStateDurable`: after every event, a running node's term and vote are the last ones it
 *   synced; after a restart, it recovers a term and vote at least as recent as the last synced
 *   (a vote once synced is never forgotten within its term).
 * - `MessagesDurable`: every message a node sends is justified by its durable state when it
 *   leaves: its term is the durable term (Pre-Vote's look-ahead terms excepted); a granted vote and
 *   a vote request are backed by the durable vote (`\A m \in messages : m.mtype = RequestVoteResponse
 *   /\ m.mvoteGranted /\ currentTerm[m.msource] = m.mterm => votedFor[m.msource] = m.mdest`); an
 *   append (or snapshot) acknowledgement up to index k by durable entries up to k.
 *
 * The durable log is the shadow CommittedEntriesDurable keeps (`slot.shadow`, updated by its hook
 * before this one runs); the durable hard state is shadowed here from the persisted `hardState`
 * records. A node halted on corrupted storage is outside the fault model and is not checked.
 */
export class DurabilityCheck {
  /** After every step of node `id` (send-only steps included: a message can leave without a record). */
  afterStep(slot: NodeSlot, id: NodeId, step: RaftStep, node: Node | undefined): string | undefined {
    if (node === undefined || node.halted !== undefined) return undefined;
    if (slot.hardStateNode !== node) {
      if (slot.hardStateNode !== undefined) return undefined; // a restart not seen by `check` yet: it adopts the node's state
      slot.hardStateNode = node; // first start: nothing durable yet
    }
    const persist = step.persist;
    for (let k = 0; k < persist.length; k++) {
      const r = persist[k] as RaftRecord;
      if (r.type === "hardState") {
        slot.durableTerm = r.term;
        slot.durableVote = r.vote ?? undefined;
      }
    }
    const send = step.send;
    for (let k = 0; k < send.length; k++) {
      const envelope = send[k] as (typeof send)[number];
      const problem = this.justified(slot, id, envelope.to, envelope.message, node);
      if (problem !== undefined) return `${id} sent ${envelope.message.type} to ${envelope.to} ${problem}`;
    }
    return undefined;
  }

  private justified(slot: NodeSlot, id: NodeId, to: NodeId, m: RaftMessage, node: Node): string | undefined {
    if (m.type === "preVote" || m.type === "preVoteResponse") return undefined; // Pre-Vote asks about term + 1 without adopting it
    if (m.term !== slot.durableTerm) return `in term ${m.term} while its durable term is ${slot.durableTerm}`;
    if ((m.type === "voteResponse" && m.granted && slot.durableVote !== to) || (m.type === "vote" && slot.durableVote !== id)) {
      return `in term ${m.term} while its durable vote is ${slot.durableVote ?? "none"}`;
    }
    if (m.type === "appendResponse" && !m.reject && m.index > 0) {
      const shadow = slot.shadowNode === node ? slot.shadow : undefined;
      const term = node.entryTerm(m.index);
      if (shadow !== undefined && term !== undefined && !shadow.holds(m.index, term)) {
        return `acknowledging entry ${m.index}:${term}, but its durable log ends at ${shadow.lastIndex}${shadow.lastIndex >= m.index ? " with another term there" : ""}`;
      }
    }
    return undefined;
  }

  /** After an event of a node: its term and vote are the durable ones; after a restart, none was lost. */
  check(slot: NodeSlot, node: Node | undefined): string | undefined {
    if (node === undefined || node.halted !== undefined) return undefined;
    const term = node.term;
    const vote = node.vote;
    if (slot.hardStateNode === node) {
      if (term === slot.durableTerm && vote === slot.durableVote) return undefined;
      return `${node.id} runs in term ${term} with vote ${vote ?? "none"}, but its durable term is ${slot.durableTerm} with vote ${slot.durableVote ?? "none"}`;
    }
    const restarted = slot.hardStateNode !== undefined;
    const durableTerm = slot.durableTerm;
    const durableVote = slot.durableVote;
    slot.hardStateNode = node;
    slot.durableTerm = term;
    slot.durableVote = vote;
    // A crash right after a sync (before the step's hooks ran) may have made a newer term or vote durable: never an older one.
    if (restarted && (term < durableTerm || (term === durableTerm && durableVote !== undefined && vote !== durableVote))) {
      return `${node.id} recovered term ${term} with vote ${vote ?? "none"}, but had synced term ${durableTerm} with vote ${durableVote ?? "none"}`;
    }
    return undefined;
  }
}
