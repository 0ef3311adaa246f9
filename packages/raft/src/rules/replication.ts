import type { NodeId } from "@synod/core";
import { Progress } from "../progress.js";
import type { Msg, RaftState } from "../raft-state.js";
import { maybeCommit } from "./commit.js";
import { holdsForBatch, sampleQueueDepth } from "./adaptive-batching.js";
import { maybeFinishTransfer } from "./leadership-transfer.js";
import { sendSnapshot } from "./snapshots.js";

/**
 * Log replication with flow control (Raft §5.3; etcd's tracker/progress.go). The leader keeps a
 * {@link Progress} per member. In `probe` it sends one AppendEntries and waits for the answer
 * (finding where the logs agree); in `replicate` it streams, up to maxInflightMessages messages
 * unacknowledged; in `snapshot` it waits for an InstallSnapshot to be acknowledged.
 */

/** Start tracking member `id` (the leader itself matches its own log). */
export function addProgress<R>(r: RaftState<R>, id: NodeId): void {
  if (r.progress.has(id)) return;
  const pr = new Progress(r.log.lastIndex + 1, r.config.maxInflightMessages);
  if (id === r.id) {
    pr.match = r.log.lastIndex;
    pr.becomeReplicate();
    pr.recentActive = true;
  }
  r.progress.set(id, pr);
}

/** Send every follower what it lacks (an empty AppendEntries to those up to date: it carries the commit index). */
export function bcastAppend<R>(r: RaftState<R>): void {
  for (const id of r.progress.keys()) if (id !== r.id) maybeSendAppend(r, id, true);
}

/**
 * Send every follower a new proposal, but a follower from which adaptive batching holds it back
 * (rules/adaptive-batching.ts: it goes with the next acknowledgement, heartbeat answer or tick).
 */
export function replicateProposal<R>(r: RaftState<R>): void {
  for (const [id, pr] of r.progress) if (id !== r.id && !holdsForBatch(r, pr)) maybeSendAppend(r, id, true);
}

/**
 * Send `to` the entries it lacks (or the snapshot when they are compacted away), unless flow
 * control pauses it.
 * @returns whether a message was sent
 */
export function maybeSendAppend<R>(r: RaftState<R>, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.progress.get(to);
  if (pr === undefined || pr.isPaused()) return false;
  const log = r.log;
  const prevIndex = pr.next - 1;
  const prevTerm = log.term(prevIndex);
  // Nothing new to send (and the follower's next entry is not compacted away): no empty slice.
  if (!sendIfEmpty && prevTerm !== undefined && prevIndex >= log.lastIndex) return false;
  const entries = log.slice(pr.next, log.lastIndex + 1, r.config.maxEntriesPerMessage, r.config.maxBytesPerMessage);
  if (prevTerm === undefined || entries === undefined) return sendSnapshot(r, to, pr);
  if (entries.length === 0 && !sendIfEmpty) return false;
  r.send(to, { type: "append", term: r.term, prevIndex, prevTerm, entries, commit: log.committed });
  pr.sentEntries(entries.length, prevIndex + entries.length);
  return true;
}

/**
 * The leader's side of an AppendEntries answer. A rejection moves `next` back (to the follower's
 * hint in probe, to just after `match` in replicate) and probes again. An acceptance advances
 * `match`: a probing follower that answered switches to replicate, a snapshot that was installed
 * ends the snapshot state, and the acknowledged messages leave the in-flight window; then the
 * commit index may move, and the follower gets whatever the window now allows.
 */
export function handleAppendResponse<R>(r: RaftState<R>, from: NodeId, m: Msg<"appendResponse">): void {
  const pr = r.progress.get(from);
  if (pr === undefined) {
    r.reject("unknown-sender");
    return;
  }
  pr.recentActive = true;
  if (m.reject) {
    let nextProbe = m.hintIndex;
    if (m.hintTerm > 0) nextProbe = r.log.findConflictByTerm(m.hintIndex, m.hintTerm);
    if (pr.maybeDecrTo(m.index, nextProbe)) {
      if (pr.state === "replicate") pr.becomeProbe();
      maybeSendAppend(r, from, true);
    }
    return;
  }
  if (m.index > r.log.lastIndex) {
    r.reject("out-of-range");
    return;
  }
  const oldPaused = pr.isPaused();
  const outstanding = r.log.lastIndex - pr.match;
  if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === "probe")) {
    if (pr.state === "probe") pr.becomeReplicate();
    else if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === "replicate") {
      pr.inflights.freeLE(m.index);
      sampleQueueDepth(r, outstanding);
    }
    if (maybeCommit(r)) bcastAppend(r);
    else if (oldPaused) maybeSendAppend(r, from, false);
    streamAppends(r, from);
    maybeFinishTransfer(r, from, pr);
  }
}

/** Leader: send `to` as many appends as its in-flight window allows, stopping if leadership ends. */
export function streamAppends<R>(r: RaftState<R>, to: NodeId): void {
  while (r.role === "leader" && maybeSendAppend(r, to, false)) {
    // keep streaming while the window allows
  }
}
