import type { NodeId } from "@synod/core";
import type { RaftMessage } from "./messages.js";
import type { RaftState } from "./raft-state.js";
import { handleHeartbeat } from "./rules/heartbeat.js";
import { handleTimeoutNow } from "./rules/leadership-transfer.js";
import { handleAppend } from "./rules/log-matching.js";
import { handleInstallSnapshot } from "./rules/snapshots.js";

/**
 * A follower's messages of the current term (after the term rules of step.ts). From the leader:
 * AppendEntries, heartbeats and snapshots, each of which restarts the election timer; TimeoutNow
 * from the leader starts a campaign. Answers meant for a leader or a candidate are ignored.
 */
export function stepFollower<R>(r: RaftState<R>, from: NodeId, m: RaftMessage): void {
  switch (m.type) {
    case "append":
      heardFromLeader(r, from);
      handleAppend(r, from, m);
      return;
    case "heartbeat":
      heardFromLeader(r, from);
      handleHeartbeat(r, from, m);
      return;
    case "snapshot":
      heardFromLeader(r, from);
      handleInstallSnapshot(r, from, m);
      return;
    case "timeoutNow":
      handleTimeoutNow(r, from);
      return;
    default:
      return;
  }
}

function heardFromLeader<R>(r: RaftState<R>, from: NodeId): void {
  r.electionElapsedTicks = 0;
  r.lead = from;
}
