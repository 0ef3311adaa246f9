import type { NodeId } from "@synod/core";
import type { RaftMessage } from "./messages.js";
import type { RaftState } from "./raft-state.js";
import { becomeFollower } from "./roles.js";
import { tallyVote } from "./rules/election.js";
import { handleHeartbeat } from "./rules/heartbeat.js";
import { handleAppend } from "./rules/log-matching.js";
import { handleInstallSnapshot } from "./rules/snapshots.js";

/**
 * A candidate's or pre-candidate's messages of the current term (after the term rules of
 * step.ts). A message from a leader of this term means the election is lost: become its follower,
 * then handle the message as one. Answers are counted only by a campaign of the kind they answer
 * (late answers to an earlier pre-campaign are ignored). Everything else is ignored.
 */
export function stepCandidate<R>(r: RaftState<R>, from: NodeId, m: RaftMessage): void {
  switch (m.type) {
    case "append":
      becomeFollower(r, m.term, from);
      handleAppend(r, from, m);
      return;
    case "heartbeat":
      becomeFollower(r, m.term, from);
      handleHeartbeat(r, from, m);
      return;
    case "snapshot":
      becomeFollower(r, m.term, from);
      handleInstallSnapshot(r, from, m);
      return;
    case "preVoteResponse":
      if (r.role === "pre-candidate") tallyVote(r, from, m);
      return;
    case "voteResponse":
      if (r.role === "candidate") tallyVote(r, from, m);
      return;
    default:
      return;
  }
}
