import type { RaftState } from "../raft-state.js";

/**
 * The leader lease (thesis §6.4.1), for readMode "lease". Followers that acknowledged a heartbeat
 * sent at tick t will not vote for another candidate before t + electionTimeout (the vote lease in
 * vote-granting.ts), so until then no other leader can exist, and this leader may serve reads
 * without a heartbeat round. The lease starts at the send tick of the latest round a quorum
 * acknowledged, and is shortened by leaseSafetyMarginTicks to cover clock drift. It is void while
 * a leadership transfer runs (the target campaigns ignoring the vote lease), and for the rest of the
 * leadership once a transfer was abandoned after its TimeoutNow went out (the target may still campaign).
 * @returns whether a read may be served now from the lease
 */
export function inLease<R>(r: RaftState<R>): boolean {
  if (r.config.readMode !== "lease" || r.leadTransferee !== undefined) return false;
  if (r.transferAbandonedAfterTimeoutNow) return false; // a forced campaign may still come
  const leaseStart = leaseStartTick(r);
  return r.nowTicks - leaseStart < r.config.electionTimeoutTicks - r.config.leaseSafetyMarginTicks;
}

/**
 * The tick (this leader's clock) at which the latest heartbeat round a quorum acknowledged was sent:
 * where the lease counts from.
 * @returns that tick (the current tick when this node alone is a quorum)
 */
export function leaseStartTick<R>(r: RaftState<R>): number {
  return r.quorum.committedIndex((id) => (id === r.id ? r.nowTicks : r.progress.get(id)?.ackedRoundSentTick));
}
