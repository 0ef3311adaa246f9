import type { ClusterView, LivenessCheck, NodeId } from "@synod/core";
import type { BroadcastNode } from "./node.js";
import type { BroadcastOp, BroadcastResult } from "./client.js";

type BroadcastView = ClusterView<BroadcastNode, BroadcastOp, BroadcastResult>;

/** Ids delivered by some live node when faults healed, per run (keyed by the run's view object). */
const idsAtHeal = new WeakMap<object, Map<NodeId, number[]>>();

function liveNodes(view: BroadcastView): BroadcastNode[] {
  const nodes: BroadcastNode[] = [];
  for (const node of view.nodes.values()) if (node !== undefined && !node.halted) nodes.push(node);
  return nodes;
}

/**
 * `Agreement` (liveness): after healing, every live node delivers every id that any live node had
 * delivered when the faults healed, within `boundMs`. Halted nodes (corrupted storage) are not live.
 * Ids first delivered after healing are not part of the obligation (clients keep broadcasting, so
 * there may never be an instant where every node has every id).
 */
export const agreementLiveness: LivenessCheck<BroadcastNode, BroadcastOp, BroadcastResult> = {
  description: "Agreement: every live node delivers every id delivered by any node when faults healed",
  boundMs: 5_000,
  holds(view: BroadcastView): boolean {
    const nodes = liveNodes(view);
    let obligation = idsAtHeal.get(view);
    if (obligation === undefined) {
      const union = new Map<NodeId, Set<number>>();
      for (const node of nodes) {
        node.forEachDelivered((origin, seq) => {
          let seqs = union.get(origin);
          if (seqs === undefined) union.set(origin, (seqs = new Set()));
          seqs.add(seq);
        });
      }
      obligation = new Map([...union].map(([origin, seqs]) => [origin, [...seqs]]));
      idsAtHeal.set(view, obligation);
    }
    for (const node of nodes) {
      for (const [origin, seqs] of obligation) for (const seq of seqs) if (!node.hasDelivered(origin, seq)) return false;
    }
    return true;
  },
};
