import type { RaftState } from "../raft-state.js";
import { bcastHeartbeat } from "./heartbeat.js";
import { inLease } from "./leader-lease.js";
import { refuse, refuseNotLeader } from "./refusals.js";

/**
 * Linearizable reads by ReadIndex (thesis §6.4): the leader records its commit index, confirms it
 * still leads with a heartbeat round acknowledged by a quorum, and answers once that index is
 * applied. A new leader first waits for an entry of its own term to commit (its commit index may
 * lag). With readMode "lease", a leader inside its lease skips the round (leader-lease.ts).
 */

/** Leader: accept a read (or refuse it: not leader, too many waiting). */
export function handleRead<R>(r: RaftState<R>, tag: number, query: Uint8Array): void {
  if (r.role !== "leader") return refuseNotLeader(r, tag);
  if (!r.readOnly.hasRoom() || r.readsBeforeCommit.length >= r.config.maxPendingReads) {
    return refuse(r, tag, "too-many-reads", `more than maxPendingReads (${r.config.maxPendingReads}) reads wait; retry later`);
  }
  if (!committedInCurrentTerm(r)) {
    // The commit index of a new leader may lag: wait until its first entry commits (thesis §6.4).
    r.readsBeforeCommit.push({ tag, query });
    return;
  }
  queueRead(r, tag, query);
  serveReads(r);
}

function committedInCurrentTerm<R>(r: RaftState<R>): boolean {
  return r.log.term(r.log.committed) === r.term;
}

/** Record the read at the commit index, to be confirmed by the next heartbeat round (or by the lease). */
function queueRead<R>(r: RaftState<R>, tag: number, query: Uint8Array): void {
  if (inLease(r)) {
    r.metrics.leaseReads++;
    r.readOnly.add({ tag, query, index: r.log.committed, round: 0 });
    return;
  }
  const round = r.heartbeatRound + 1;
  r.readOnly.add({ tag, query, index: r.log.committed, round });
  if (r.selfIsQuorum) {
    r.heartbeatRound = round; // a single voter confirms itself
    return;
  }
  bcastHeartbeat(r);
}

/** The latest heartbeat round a quorum acknowledged: leadership is confirmed as of that round. */
function confirmedRound<R>(r: RaftState<R>): number {
  return r.quorum.committedIndex(r.ackedRoundOf);
}

/** Leader: answer every read that is confirmed and applied (and queue those that waited for this term's first commit). */
export function serveReads<R>(r: RaftState<R>): void {
  if (r.role !== "leader") return;
  if (r.readsBeforeCommit.length > 0 && committedInCurrentTerm(r)) {
    const waiting = r.readsBeforeCommit;
    r.readsBeforeCommit = [];
    for (const read of waiting) queueRead(r, read.tag, read.query);
  }
  if (r.readOnly.size === 0) return;
  for (const read of r.readOnly.takeReady(confirmedRound(r), r.log.applied)) {
    r.out.output({ type: "read", tag: read.tag, result: r.sm.read(read.query), index: read.index });
  }
}

/** Leadership (or the term) changed: refuse every waiting read, pointing to the new leader if known. */
export function failPendingReads<R>(r: RaftState<R>): void {
  const reads = [...r.readOnly.drain(), ...r.readsBeforeCommit];
  r.readsBeforeCommit = [];
  for (const read of reads) refuseNotLeader(r, read.tag);
}
