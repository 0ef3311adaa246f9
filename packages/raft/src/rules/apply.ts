import { InvariantError } from "@synod/core";
import type { RaftState } from "../raft-state.js";
import { applyConfEntry, maybeAutoLeaveJoint } from "./membership.js";
import { serveReads } from "./reads.js";
import { takeSnapshot } from "./snapshots.js";

/**
 * Apply (Raft §5.3): every committed entry is applied to the state machine, in log order, exactly
 * once per node lifetime — at most `maxApplyPerStep` of them per call when that bound is set (the
 * rest at the next call: the apply index may then lag the commit index); an entry this node proposed
 * as leader (same index and term) carries the proposal's tag. Then a leader serves the reads that
 * waited for it and may leave a joint configuration, and every node may snapshot.
 */
export function maybeApply<R>(r: RaftState<R>): void {
  const log = r.log;
  if (log.applied >= log.committed) return;
  let room = r.config.maxApplyPerStep === 0 ? Infinity : r.config.maxApplyPerStep;
  while (log.applied < log.committed) {
    if (room-- === 0) break;
    const index = log.applied + 1;
    const entry = log.entry(index);
    if (entry === undefined) throw new InvariantError(`entry ${index} is committed but not held`, { index });
    log.applied = index;
    r.metrics.appliedEntries++;
    if (entry.type === "normal") {
      const result = entry.data.length > 0 ? r.sm.apply(entry) : undefined;
      const tag = r.proposals.take(entry);
      r.out.output(tag === undefined ? { type: "apply", entry, result } : { type: "apply", entry, result, tag });
    } else {
      r.out.output({ type: "apply", entry, result: undefined });
      applyConfEntry(r, entry.index, entry.change);
    }
  }
  if (r.role === "leader") {
    serveReads(r);
    maybeAutoLeaveJoint(r);
  }
  if (r.snapshotBackoff.due(log.applied, log.snapshotIndex, r.config.snapshotIntervalEntries)) takeSnapshot(r);
}
