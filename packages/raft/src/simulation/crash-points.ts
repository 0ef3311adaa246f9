import type { CrashPointSpec, Step } from "@synod/core";
import type { RaftOutput } from "../io.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";

/**
 * Raft's buggify crash points (`pnpm sim raft --faults buggify`): the steps after which a crash
 * tests what the protocol promised before it. Each says where the crash falls and why there.
 */
export const RAFT_CRASH_POINTS: readonly CrashPointSpec[] = [
  // A new leader's no-op is on its disk and nowhere else: the leader of a higher term leaves an entry
  // no other node holds, and the next leader (maybe the old one again) must not count an older term's
  // entry committed by replicas alone (the Raft paper's Figure 8).
  { name: "elected", crash: "before-send" },
  // The leader's commit index advanced and it applied the entries, but followers never hear it, and
  // entries still in flight behind it stop with the leader; the leader recovers an older commit
  // index (it is written only with its next records, see persistence.ts's finishStep).
  { name: "leader-committed", crash: "before-send" },
  // The candidate counts the vote; the voter restarts and must remember it for the whole term.
  { name: "vote-granted", crash: "after-send" },
  // The leader counts the acknowledged entries; the follower restarts and must still hold them.
  { name: "append-acked", crash: "after-send" },
  // The client has its answer; the leader vanishes and its successor's answers must agree with it.
  { name: "read-served", crash: "after-send" },
];

const ELECTED = 0;
const LEADER_COMMITTED = 1;
const VOTE_GRANTED = 2;
const APPEND_ACKED = 3;
const READ_SERVED = 4;

type RaftStep<R> = Step<RaftMessage, RaftOutput<R>, RaftRecord>;

/**
 * @returns the index in {@link RAFT_CRASH_POINTS} of the point `node`'s `step` passes (the first
 * in that order), or -1
 */
export function raftCrashPointOf<R>(node: RaftNode<R>, step: RaftStep<R>): number {
  // Indexed loops: called on every step while buggify is armed (a for-of here allocated an
  // iterator result per element, about 2 % of a chaos run's allocation).
  const output = step.output;
  if (node.role === "leader") {
    for (let k = 0; k < output.length; k++) if ((output[k] as RaftOutput<R>).type === "role") return ELECTED;
    // The step that advances a leader's commit index applies the entries it committed.
    for (let k = 0; k < output.length; k++) if ((output[k] as RaftOutput<R>).type === "apply") return LEADER_COMMITTED;
    for (let k = 0; k < output.length; k++) if ((output[k] as RaftOutput<R>).type === "read") return READ_SERVED;
    return -1;
  }
  const send = step.send;
  for (let k = 0; k < send.length; k++) {
    const m = (send[k] as (typeof send)[number]).message;
    if (m.type === "voteResponse" && m.granted) return VOTE_GRANTED;
    if (m.type === "appendResponse" && !m.reject && step.persist.length > 0) return APPEND_ACKED;
  }
  for (let k = 0; k < output.length; k++) if ((output[k] as RaftOutput<R>).type === "read") return READ_SERVED;
  return -1;
}
