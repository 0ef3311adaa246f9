import { CRDT_TICK_MS, crdtSimulation, DEFAULT_CRDT_REPLICA_CONFIG, type CrdtReplicaNode, type DocumentOp } from "@synod/crdt";
import type { ConvergenceProtocol, ConvergenceTarget, ConvergenceView } from "../convergence-protocol.js";

/** After the heal, every arrival is this edit, which a replica refuses (outside any text) without changing or sending anything. */
const REFUSED_EDIT: DocumentOp = Object.freeze({ type: "delete", index: 2 ** 31, count: 1 });

/**
 * The CRDT replicas of `pnpm sim crdt` (PN-Counter, OR-Set, LWW-Register, RGA text; delta
 * anti-entropy every 5 ticks of 10 ms): converged when every live replica has delivered the same
 * updates and holds an equal document.
 */
export const protocol: ConvergenceProtocol = {
  name: "crdt",
  clusterSizes: [3, 5, 9, 17],
  quickSizes: [3, 5],
  roundMs: DEFAULT_CRDT_REPLICA_CONFIG.syncIntervalTicks * CRDT_TICK_MS,
  roundName: "anti-entropy round",
  partition: { atMs: 500, durMs: 2_000 },
  boundMs: 10_000,
  writesPerSec: 100,
  target(_nodes, healed): ConvergenceTarget {
    const client = crdtSimulation.client!;
    return {
      ...crdtSimulation,
      client: {
        ...client,
        nextOperation: (rng: Parameters<typeof client.nextOperation>[0], c: number) => (healed() ? REFUSED_EDIT : client.nextOperation(rng, c)),
      },
    } as unknown as ConvergenceTarget;
  },
  convergedMeans: "every live replica has delivered the same updates and holds an equal document (counter, set, register, text)",
  converged(view: ConvergenceView): boolean {
    let first: CrdtReplicaNode | undefined;
    for (const node of view.nodes.values() as IterableIterator<CrdtReplicaNode | undefined>) {
      if (node === undefined) continue;
      if (first === undefined) first = node;
      else if (!node.document.updates.equals(first.document.updates)) return false;
    }
    if (first === undefined) return false;
    // Equal update contexts: compare the whole documents once (StrongConvergence says they are equal).
    for (const node of view.nodes.values() as IterableIterator<CrdtReplicaNode | undefined>) {
      if (node !== undefined && node !== first && !node.document.equals(first.document)) return false;
    }
    return true;
  },
};
