import type { NodeId } from "@synod/core";
import type { RaftMessage } from "./messages.js";
import type { RaftState } from "./raft-state.js";
import { handleHeartbeatResponse } from "./rules/heartbeat.js";
import { handleAppendResponse } from "./rules/replication.js";
import { handleSnapshotResponse } from "./rules/snapshots.js";

/**
 * A leader's messages of the current term (after the term rules of step.ts): the answers to its
 * AppendEntries, heartbeats and snapshot chunks. Two leaders in one term is impossible in Raft (Election Safety),
 * so AppendEntries, heartbeats or snapshots of this term come from a faulty peer: counted and
 * dropped. Anything else (late vote answers, TimeoutNow) is ignored.
 */
export function stepLeader<R>(r: RaftState<R>, from: NodeId, m: RaftMessage): void {
  switch (m.type) {
    case "appendResponse":
      handleAppendResponse(r, from, m);
      return;
    case "heartbeatResponse":
      handleHeartbeatResponse(r, from, m);
      return;
    case "snapshotResponse":
      handleSnapshotResponse(r, from, m);
      return;
    case "append":
    case "heartbeat":
    case "snapshot":
      r.reject("unexpected");
      return;
    default:
      return;
  }
}
