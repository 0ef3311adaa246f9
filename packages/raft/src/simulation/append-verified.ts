import type { NodeId, Step } from "@synod/core";
import type { RaftOutput } from "../io.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import type { NodeSlot } from "./node-slots.js";

// What an AppendEntries proves, and what a follower may claim or commit on it (Raft Figure 2, the
// receiver's rules; Raft.tla's HandleAppendEntriesRequest). An accepted append proves that the
// follower's log matches the leader's up to `prevIndex + entries.length` (its "index of last new
// entry") and no further: past it the follower may hold a tail of another leader. Entries up to the
// follower's commit index are committed, hence the same in every log. These are step rules, judged
// on the message the step answers: they hold whether or not the unverified tail happens to match.

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;
type Node = RaftNode<KvReply>;

/** @returns the last index an append verifies: the entry it matched and the ones it carried */
function lastNewOf(m: Extract<RaftMessage, { readonly type: "append" }>): number {
  return m.prevIndex + m.entries.length;
}

/**
 * AckVerified: a successful answer to an append acknowledges at most what that append verified or
 * what the follower knows committed — `max(prevIndex + entries.length, commit index)`, Raft.tla's
 * `mmatchIndex`. An acknowledgement beyond it vouches for entries nobody compared; when they are a
 * stale leader's tail the leader counts them toward commitment (AckMatchesLeader then fails too, but
 * only when the tail differs — this rule holds on every answer).
 * @param delivered - the message the step of node `id` answers (undefined for a tick or a request)
 * @param from - its sender
 * @returns why the step breaks it, or undefined
 */
export function ackVerifiedAfterStep(
  id: NodeId,
  step: RaftStep,
  node: Node | undefined,
  delivered: RaftMessage | undefined,
  from: NodeId | undefined,
): string | undefined {
  if (node === undefined || delivered === undefined || delivered.type !== "append") return undefined;
  const send = step.send;
  for (let k = 0; k < send.length; k++) {
    const envelope = send[k] as (typeof send)[number];
    const m = envelope.message;
    if (m.type !== "appendResponse" || m.reject || envelope.to !== from) continue;
    const verified = Math.max(lastNewOf(delivered), node.commitIndex);
    if (m.index > verified) {
      const what = `an append of ${delivered.entries.length} entries after index ${delivered.prevIndex} (term ${delivered.term})`;
      const known = `it verified up to ${lastNewOf(delivered)}, and ${id}'s commit index is ${node.commitIndex}`;
      return `${id} acknowledged up to index ${m.index} to ${from} on ${what}: ${known}`;
    }
  }
  return undefined;
}

/**
 * CommitVerified: on an append, a follower's commit index rises at most to `min(leaderCommit,
 * prevIndex + entries.length)` (Figure 2, receiver rule 5: "index of last new entry"), never over the
 * entries past the append, which it did not compare with the leader's. `slot` holds the node's commit
 * index after its previous event (CommitIndexMonotonic's bookkeeping, same lifetime only).
 * @param delivered - the message the step of node `id` answers
 * @returns why the step breaks it, or undefined
 */
export function commitVerifiedAfterStep(slot: NodeSlot, id: NodeId, node: Node | undefined, delivered: RaftMessage | undefined): string | undefined {
  if (node === undefined || delivered === undefined || delivered.type !== "append" || slot.commitNode !== node) return undefined;
  const before = slot.commitIndex;
  const after = node.commitIndex;
  if (after <= before) return undefined;
  const bound = Math.min(delivered.commit, lastNewOf(delivered));
  if (after <= bound) return undefined;
  const what = `an append of ${delivered.entries.length} entries after index ${delivered.prevIndex} with leader commit ${delivered.commit}`;
  return `${id}'s commit index rose from ${before} to ${after} on ${what}: it verified only up to ${lastNewOf(delivered)}`;
}
