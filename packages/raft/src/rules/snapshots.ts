import { InvariantError, SynodError, type NodeId } from "@synod/core";
import { MAX_SNAPSHOT_BYTES, type SnapshotPayload } from "../messages.js";
import { persistCompacted } from "../persistence.js";
import type { Progress } from "../progress.js";
import type { Msg, RaftState } from "../raft-state.js";
import { setConf } from "./membership.js";
import { maybeSendAppend } from "./replication.js";

/**
 * Snapshots (Raft §7): take one every snapshotIntervalEntries applied entries (compacting the log),
 * send it to a follower whose next entry was compacted away, retry when no answer comes, and
 * install one received from the leader.
 */

/** Snapshot the applied state and compact the log up to it (skipped, and counted, when too large to send). */
export function takeSnapshot<R>(r: RaftState<R>): void {
  const index = r.log.applied;
  const data = r.sm.snapshot();
  if (data.length > MAX_SNAPSHOT_BYTES) {
    // A snapshot no follower could receive: keep the log instead (and say so).
    r.metrics.snapshotsTooLarge++;
    const alarm = r.snapshotBackoff.refused(r.id, index, data.length, r.config.snapshotIntervalEntries);
    if (alarm !== undefined) r.out.output({ type: "alarm", reason: alarm });
    return;
  }
  r.snapshotBackoff.succeeded();
  const term = r.log.term(index);
  // The applied index is never compacted away before this snapshot is taken (it is at or after the last one).
  if (term === undefined) throw new InvariantError("the applied entry is not held", { index, snapshotIndex: r.log.snapshotIndex });
  const snap: SnapshotPayload = { index, term, conf: r.conf, data };
  r.log.compact(snap);
  persistCompacted(r);
  r.metrics.snapshotsTaken++;
}

/**
 * Leader: send the latest snapshot to `to`, whose next entry is compacted away. Only to a follower
 * heard from recently: a snapshot is large, and one sent to a node that is down is wasted.
 * @returns whether it was sent
 */
export function sendSnapshot<R>(r: RaftState<R>, to: NodeId, pr: Progress): boolean {
  if (!pr.recentActive) return false;
  const snap = r.log.snapshot;
  r.send(to, { type: "snapshot", term: r.term, snapshot: snap });
  pr.becomeSnapshot(snap.index);
  return true;
}

/**
 * Leader, every tick, per follower (`this` is the node: called through Map#forEach): a snapshot
 * unanswered for snapshotRetryTicks is presumed lost; probe again (which re-sends it if needed).
 */
export function retrySnapshot<R>(this: RaftState<R>, pr: Progress, id: NodeId): void {
  if (pr.state !== "snapshot") return;
  if (++pr.snapshotTicks >= this.config.snapshotRetryTicks) {
    pr.becomeProbe();
    maybeSendAppend(this, id, true);
  }
}

/**
 * Follower: install the leader's snapshot, unless it is older than our commit index (answer where
 * we are) or we already hold its last entry (just learn the commit). A snapshot the state machine
 * cannot decode is a peer's bad bytes: counted as malformed and dropped.
 */
export function handleInstallSnapshot<R>(r: RaftState<R>, from: NodeId, m: Msg<"snapshot">): void {
  const snap = m.snapshot;
  if (snap.index <= r.log.committed) {
    r.send(from, { type: "appendResponse", term: r.term, index: r.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  if (r.log.matchTerm(snap.index, snap.term)) {
    // We already hold the snapshot's last entry: just learn that it is committed.
    r.log.commitTo(snap.index);
    r.send(from, { type: "appendResponse", term: r.term, index: snap.index, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  try {
    r.sm.restore(snap.data);
  } catch (error) {
    if (error instanceof SynodError) {
      r.reject("malformed");
      return;
    }
    throw error;
  }
  r.log.restore(snap);
  setConf(r, snap.conf);
  persistCompacted(r);
  r.metrics.snapshotsInstalled++;
  r.out.output({ type: "restored", index: snap.index, term: snap.term });
  r.send(from, { type: "appendResponse", term: r.term, index: r.log.lastIndex, reject: false, hintIndex: 0, hintTerm: 0 });
}
