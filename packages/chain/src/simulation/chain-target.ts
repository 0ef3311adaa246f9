import { okAfter, type ClusterView, type NodeContext, type SimulationTarget } from "@synod/core";
import { raftRecordCodec, type KvOp, type KvResult, type RaftRecord } from "@synod/raft";
import { ChainNode } from "../chain-node.js";
import type { ChainConfig } from "../config.js";
import type { ChainInput, ChainOutput } from "../io.js";
import { chainMessageCodec, type ChainMessage } from "../messages.js";
import { createChainInvariants } from "./invariants.js";
import { chainKvClientModel } from "./kv-client.js";

/** The chain simulation target's type. */
export type ChainSimulationTarget = SimulationTarget<ChainNode, ChainMessage, ChainInput, ChainOutput, RaftRecord, KvOp, KvResult>;
type View = ClusterView<ChainNode, KvOp, KvResult>;

/** Virtual milliseconds per tick. */
export const CHAIN_SIM_TICK_MS = 10;
/**
 * Liveness bound after healing: 6 s. After the heal a dead member is suspected within 30 ticks
 * (0.3 s), a Raft election takes a few 10-tick timeouts, and each restarted node rejoins one
 * configuration change at a time (a Raft commit, a snapshot and the re-sent writes): 5 nodes
 * rejoining and a request's round trips fit with room for clock skew.
 */
export const CHAIN_LIVENESS_BOUND_MS = 6_000;

function sum(view: View, pick: (node: ChainNode) => number): number {
  let total = 0;
  for (const node of view.nodes.values()) if (node !== undefined) total += pick(node);
  return total;
}

/** The newest configuration any live node adopted. */
function newest(view: View): ChainNode | undefined {
  let best: ChainNode | undefined;
  for (const node of view.nodes.values()) if (node !== undefined && (best === undefined || node.configuration.epoch > best.configuration.epoch)) best = node;
  return best;
}

/**
 * Whether the chain can still serve: a quorum of the configuration group is not halted on corrupted
 * storage, and a live member of the newest configuration still holds every committed write (chain
 * data is volatile: when every such member crashed, it is gone, and the chain — by design — stays
 * unavailable rather than serve from an empty copy).
 */
export function chainRecoverable(view: View): boolean {
  const halted = [...view.nodes.values()].filter((n) => n?.halted !== undefined).length;
  if (halted >= Math.floor(view.members.length / 2) + 1) return false;
  const config = newest(view)?.configuration;
  if (config === undefined || config.members.length === 0) return true;
  return config.members.some((m) => {
    const node = view.nodes.get(m.id);
    return node !== undefined && node.halted === undefined && node.boot === m.boot && node.dataSince === m.since && node.synced;
  });
}

/**
 * Chain replication / CRAQ replicating the KV store (`pnpm sim chain`): 5 nodes by default (each a
 * replica of the Raft configuration group and a chain candidate), the KV workload with client
 * sessions, the invariants of specs/chain checked after every event, and liveness after healing.
 * @param config - overrides of the node defaults (`{ mode: "chain" }`: reads at the tail)
 */
export function createChainSimulation(config: Partial<ChainConfig> = {}): ChainSimulationTarget {
  return {
    name: config.mode === "chain" ? "chain-cr" : "chain",
    description: `${config.mode === "chain" ? "chain replication (reads at the tail)" : "CRAQ (apportioned reads)"} with a Raft master, replicating a KV store`,
    defaultNodes: 5,
    minNodes: 1,
    tickMs: CHAIN_SIM_TICK_MS,
    createNode: (ctx: NodeContext<RaftRecord>) => new ChainNode({ ctx, config }),
    messageCodec: chainMessageCodec,
    recordCodec: raftRecordCodec,
    client: chainKvClientModel,
    createInvariants: createChainInvariants,
    liveness: {
      description:
        "a request invoked after healing completes, unless the committed data is gone (every member holding it crashed) or a quorum halted on corrupt storage",
      boundMs: CHAIN_LIVENESS_BOUND_MS,
      holds(view, healedAtMs) {
        if (!chainRecoverable(view)) return true;
        return okAfter(view.history, healedAtMs);
      },
    },
    /** The node heads the chain in its own configuration (writes enter there): `leader-crash` aims at it. */
    leads(node) {
      return node.configuration.members[0]?.id === node.id;
    },
    metrics(view) {
      return {
        epoch: newest(view)?.configuration.epoch ?? 0,
        chainLength: newest(view)?.configuration.members.length ?? 0,
        committed: Math.max(0, ...[...view.nodes.values()].map((n) => n?.store.committed ?? 0)),
        ordered: sum(view, (n) => n.metrics.ordered),
        resent: sum(view, (n) => n.metrics.resent),
        snapshotsInstalled: sum(view, (n) => n.metrics.snapshotsInstalled),
        proposals: sum(view, (n) => n.metrics.proposals),
        cleanReads: sum(view, (n) => n.metrics.cleanReads),
        dirtyReads: sum(view, (n) => n.metrics.dirtyReads),
        tailReads: sum(view, (n) => n.metrics.tailReads),
        confirmRounds: sum(view, (n) => n.metrics.confirmRounds),
        rejectedStaleEpoch: sum(view, (n) => n.metrics.rejected["stale-epoch"]),
        rejectedNotNeighbour: sum(view, (n) => n.metrics.rejected["not-neighbour"]),
        rejectedMalformed: sum(view, (n) => n.metrics.rejected.malformed),
        haltedNodes: sum(view, (n) => (n.halted === undefined ? 0 : 1)),
      };
    },
  };
}

/** CRAQ, as `pnpm sim chain` runs it. */
export const chainSimulation: ChainSimulationTarget = createChainSimulation();
/** Plain chain replication (every strong read at the tail), as `pnpm sim chain-cr` runs it. */
export const chainReplicationSimulation: ChainSimulationTarget = createChainSimulation({ mode: "chain" });
