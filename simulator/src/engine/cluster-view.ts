import type { ClusterView, HistoryEvent, NodeId } from "@synod/core";

/** The simulator's live {@link ClusterView}: one object per run, updated in place. */
export class SimulatedClusterView<N, Op, Res> implements ClusterView<N, Op, Res> {
  nowMs = 0;
  readonly members: readonly NodeId[];
  readonly nodes = new Map<NodeId, N | undefined>();
  readonly history: HistoryEvent<Op, Res>[] = [];
  /** Members under a Byzantine adversary at any time so far, and the twinned members (never removed: they stay suspect). */
  readonly faulty = new Set<NodeId>();

  constructor(members: readonly NodeId[]) {
    this.members = members;
    for (const id of members) this.nodes.set(id, undefined);
  }
}
