import { InvariantError, SynodError, type NodeId } from "@synod/core";
import { MAX_SNAPSHOT_BYTES, MAX_SNAPSHOT_CHUNKS_IN_FLIGHT } from "../limits.js";
import type { SnapshotPayload } from "../messages.js";
import { persistCompacted } from "../persistence.js";
import type { Progress } from "../progress.js";
import type { Msg, RaftState } from "../raft-state.js";
import { SnapshotAssembly } from "../snapshot-assembly.js";
import { setConf } from "./membership.js";
import { maybeSendAppend } from "./replication.js";

/**
 * Snapshots (Raft §7): take one every snapshotIntervalEntries applied entries (compacting the log),
 * send it in chunks to a follower whose next entry was compacted away, re-send the chunks not
 * acknowledged in time, and install one received from the leader once every chunk is there.
 */

/** Snapshot the applied state and compact the log up to it (skipped, counted and alarmed, when over MAX_SNAPSHOT_BYTES). */
export function takeSnapshot<R>(r: RaftState<R>): void {
  const index = r.log.applied;
  const data = r.sm.snapshot();
  if (data.length > MAX_SNAPSHOT_BYTES) {
    // A snapshot no follower could receive nor this node store: keep the log instead (and say so).
    r.metrics.snapshotsTooLarge++;
    const alarm = r.snapshotBackoff.refused(r.id, index, data.length, r.config.snapshotIntervalEntries);
    if (alarm !== undefined) {
      if (!alarm.retrying) r.metrics.snapshotsStopped++;
      const limit = { name: "MAX_SNAPSHOT_BYTES", max: MAX_SNAPSHOT_BYTES, actual: data.length, retrying: alarm.retrying } as const;
      r.out.output({ type: "alarm", reason: alarm.reason, limit });
    }
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
 * Leader: start sending the latest snapshot to `to`, whose next entry is compacted away. Only to a
 * follower heard from recently: a snapshot is large, and one sent to a node that is down is wasted.
 * @returns whether it was sent
 */
export function sendSnapshot<R>(r: RaftState<R>, to: NodeId, pr: Progress): boolean {
  if (!pr.recentActive) return false;
  pr.becomeSnapshot(r.log.snapshot);
  sendSnapshotChunks(r, to, pr);
  return true;
}

/**
 * Leader: send `to` the next chunks of the snapshot in progress, of snapshotChunkBytes each, while
 * fewer than MAX_SNAPSHOT_CHUNKS_IN_FLIGHT (nor maxInflightMessages) are unacknowledged.
 */
function sendSnapshotChunks<R>(r: RaftState<R>, to: NodeId, pr: Progress): void {
  const snap = pr.sendingSnapshot;
  const header = pr.sendingHeader;
  if (snap === undefined || header === undefined) return;
  const chunk = r.config.snapshotChunkBytes;
  const window = chunk * Math.min(MAX_SNAPSHOT_CHUNKS_IN_FLIGHT, r.config.maxInflightMessages);
  while (!pr.snapshotAllSent && pr.snapshotNext - pr.snapshotAcked < window) {
    const offset = pr.snapshotNext;
    const end = Math.min(header.size, offset + chunk);
    r.send(to, { type: "snapshot", term: r.term, snapshot: header, offset, data: snap.data.subarray(offset, end) });
    pr.snapshotNext = end;
    pr.snapshotAllSent = end === header.size;
    r.metrics.snapshotChunksSent++;
  }
}

/** Leader: a follower acknowledged chunks of the snapshot being sent: send what the window now allows. */
export function handleSnapshotResponse<R>(r: RaftState<R>, from: NodeId, m: Msg<"snapshotResponse">): void {
  const pr = r.progress.get(from);
  if (pr === undefined) {
    r.reject("unknown-sender");
    return;
  }
  pr.recentActive = true;
  if (pr.state !== "snapshot" || m.index !== pr.pendingSnapshot) return; // an answer about an earlier transfer
  if (m.received > (pr.sendingHeader?.size ?? 0)) {
    r.reject("out-of-range");
    return;
  }
  pr.snapshotReceived(m.received);
  sendSnapshotChunks(r, from, pr);
}

/**
 * Leader, every tick, per follower (`this` is the node: called through Map#forEach): chunks
 * unacknowledged for snapshotRetryTicks are presumed lost. A follower still heard from gets them
 * again, from the last byte it acknowledged; one not heard from is probed again (which starts a
 * new transfer once it answers).
 */
export function retrySnapshot<R>(this: RaftState<R>, pr: Progress, id: NodeId): void {
  if (pr.state !== "snapshot") return;
  if (++pr.snapshotTicks < this.config.snapshotRetryTicks) return;
  if (pr.recentActive) {
    pr.resendSnapshotFrom(pr.snapshotAcked);
    sendSnapshotChunks(this, id, pr);
    return;
  }
  pr.becomeProbe();
  maybeSendAppend(this, id, true);
}

/**
 * Follower: a chunk of the leader's snapshot. A snapshot older than our commit index is answered
 * with where we are, one whose last entry we hold just teaches the commit index. Otherwise the chunk
 * joins the snapshot being assembled (a first chunk starts a new one, replacing any other); a chunk
 * after a gap, or of a snapshot we are not assembling, is answered with what we hold so the leader
 * re-sends from there. Once every byte is there the snapshot is installed. A chunk that contradicts
 * the snapshot it claims to be part of (another size), or a snapshot the state machine cannot
 * decode, is a peer's bad bytes: counted as malformed and dropped (well-formed.ts checks the rest).
 */
export function handleInstallSnapshot<R>(r: RaftState<R>, from: NodeId, m: Msg<"snapshot">): void {
  const header = m.snapshot;
  if (header.index <= r.log.committed) {
    // A snapshot we no longer need; so is any assembly at or below the commit index (its memory goes).
    if (r.snapshotAssembly !== undefined && r.snapshotAssembly.index <= r.log.committed) r.snapshotAssembly = undefined;
    r.send(from, { type: "appendResponse", term: r.term, index: r.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  if (r.log.matchTerm(header.index, header.term)) {
    // We already hold the snapshot's last entry: just learn that it is committed.
    r.log.commitTo(header.index);
    r.send(from, { type: "appendResponse", term: r.term, index: header.index, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  let assembly = r.snapshotAssembly;
  if (assembly === undefined || assembly.index !== header.index || assembly.term !== header.term) {
    if (m.offset !== 0) {
      r.send(from, { type: "snapshotResponse", term: r.term, index: header.index, received: 0 });
      return;
    }
    assembly = r.snapshotAssembly = new SnapshotAssembly(header.index, header.term, header.size);
  } else if (assembly.size !== header.size) {
    r.reject("malformed");
    return;
  }
  if (!assembly.add(m.offset, m.data) || !assembly.complete) {
    r.send(from, { type: "snapshotResponse", term: r.term, index: header.index, received: assembly.received });
    return;
  }
  r.snapshotAssembly = undefined;
  const snap: SnapshotPayload = { index: header.index, term: header.term, conf: header.conf, data: assembly.data() };
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
