import type { ConfChange, Entry } from "../entry.js";
import { persistEntries } from "../persistence.js";
import type { RaftState } from "../raft-state.js";
import { maybeCommit } from "./commit.js";
import { leaderIsLeaving } from "./leaving-leader.js";
import { refuse, refuseLeaving, refuseNotLeader } from "./refusals.js";
import { replicateProposal } from "./replication.js";
import { logHasRoom } from "../term-ceiling.js";

/** What a leader appends: application data or a configuration change. */
export type NewEntry = { type: "normal"; data: Uint8Array } | { type: "conf"; change: ConfChange };

/**
 * Leader: accept proposals (one entry each) unless a limit says no — a transfer in progress, a
 * batch or entry too large, or too many entries awaiting commit (backpressure) — then replicate.
 */
export function handlePropose<R>(r: RaftState<R>, tag: number, items: readonly Uint8Array[]): void {
  const config = r.config;
  if (r.role !== "leader") return refuseNotLeader(r, tag);
  if (r.leadTransferee !== undefined) return refuse(r, tag, "transfer-in-progress", `leadership is moving to ${r.leadTransferee}; retry there`);
  if (leaderIsLeaving(r)) return refuseLeaving(r, tag);
  if (items.length > config.maxProposalBatch) return refuse(r, tag, "batch-too-large", `batch of ${items.length} exceeds maxProposalBatch ${config.maxProposalBatch}; split it`);
  for (const data of items) {
    if (data.length > config.maxEntryBytes) return refuse(r, tag, "entry-too-large", `entry of ${data.length} bytes exceeds maxEntryBytes ${config.maxEntryBytes}`);
  }
  if (r.log.lastIndex + items.length - r.log.committed > config.maxUncommittedEntries) {
    return refuse(r, tag, "too-many-uncommitted", `more than maxUncommittedEntries (${config.maxUncommittedEntries}) entries await commit; retry later`);
  }
  if (items.length === 0) return;
  if (!logHasRoom(r.log.lastIndex, items.length)) return refuse(r, tag, "log-full", `the log is at its ceiling (index ${r.log.lastIndex}): no more proposals`);
  const index = r.log.lastIndex + 1;
  appendEntries(
    r,
    items.map((data) => ({ type: "normal" as const, data })),
  );
  r.proposals.add(tag, r.term, index, items.length);
  r.out.output({ type: "proposed", tag, index, count: items.length });
  replicateProposal(r);
}

/** Leader: append new entries of the current term to the local log (persisted by this step). */
export function appendEntries<R>(r: RaftState<R>, items: readonly NewEntry[]): void {
  const fresh: Entry[] = [];
  let index = r.log.lastIndex;
  for (const item of items) {
    index++;
    const entry: Entry = item.type === "normal" ? { type: "normal", term: r.term, index, data: item.data } : { type: "conf", term: r.term, index, change: item.change };
    r.log.append(entry);
    fresh.push(entry);
  }
  persistEntries(r, fresh);
  r.progress.get(r.id)?.maybeUpdate(r.log.lastIndex);
  maybeCommit(r);
}
