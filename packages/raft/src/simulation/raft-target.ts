import { okAfter, type ClusterView, type SimulationTarget } from "@synod/core";
import type { RaftConfig } from "../config.js";
import type { RaftInput, RaftOutput } from "../io.js";
import { KvStateMachine } from "../kv/kv-state-machine.js";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import { raftMessageCodec, type RaftMessage } from "../messages.js";
import { RaftNode } from "../raft-node.js";
import { raftRecordCodec } from "../record-codec.js";
import type { RaftRecord } from "../records.js";
import { quorumOf } from "../conf-state.js";
import { RAFT_CRASH_POINTS, raftCrashPointOf } from "./crash-points.js";
import { createRaftInvariants, leaderLeaseCounts } from "./invariants.js";
import { kvClientModel } from "./kv-client.js";
import { OperatorRaftNode, type OperatorRates } from "./operator-node.js";

/** The Raft simulation target's type. */
export type RaftSimulationTarget = SimulationTarget<RaftNode<KvReply>, RaftMessage, RaftInput, RaftOutput<KvReply>, RaftRecord, KvOp, KvResult>;

/** Virtual milliseconds per tick in the simulation. */
export const RAFT_SIM_TICK_MS = 10;
/**
 * Configuration used by the simulation target: a small snapshot interval so that snapshots happen,
 * and small snapshot chunks so that a snapshot sent is several chunks (a KV snapshot of the
 * simulation is some tens to hundreds of bytes), each of which the faults can lose, duplicate or reorder.
 */
export const RAFT_SIM_CONFIG: Partial<RaftConfig> = Object.freeze({
  electionTimeoutTicks: 10,
  heartbeatTicks: 2,
  snapshotIntervalEntries: 64,
  snapshotChunkBytes: 32,
});
/**
 * Liveness bound after the last fault heals: 3 s = 300 ticks = 30 election timeouts. An election
 * needs at most a few randomized timeouts (≤ 2 × 10 ticks each, plus Pre-Vote) and a commit two
 * round trips; the bound leaves room for clock skew and retries of split votes.
 */
export const RAFT_LIVENESS_BOUND_MS = 3_000;

function sum(view: ClusterView<RaftNode<KvReply>, KvOp, KvResult>, pick: (node: RaftNode<KvReply>) => number): number {
  let total = 0;
  for (const node of view.nodes.values()) if (node !== undefined) total += pick(node);
  return total;
}

/**
 * The Raft simulation target with other protocol options (every node of a run gets the same):
 * how a swarm over configurations (lease reads, small in-flight windows, Pre-Vote off, …) runs.
 * @param config - overrides of the node defaults (RAFT_SIM_CONFIG gives {@link raftSimulation})
 * @param operator - with it, a simulated operator changes membership and moves leadership during
 *   the run (see {@link OperatorRaftNode})
 */
export function createRaftSimulation(config: Partial<RaftConfig>, operator?: OperatorRates): RaftSimulationTarget {
  if (operator === undefined) return { ...raftTargetBase, createNode: (ctx) => new RaftNode({ ctx, stateMachine: new KvStateMachine(), config }) };
  return { ...raftTargetBase, createNode: (ctx) => new OperatorRaftNode({ ctx, stateMachine: new KvStateMachine(), config }, operator) };
}

/**
 * @returns whether the nodes not halted on corrupted storage still include a quorum of the newest
 * configuration any node applied (the one of the node that applied most)
 */
function correctQuorumLeft(view: ClusterView<RaftNode<KvReply>, KvOp, KvResult>): boolean {
  let newest: RaftNode<KvReply> | undefined;
  const correct = new Set<string>();
  for (const [id, node] of view.nodes) {
    if (node?.halted !== undefined) continue;
    correct.add(id);
    if (node !== undefined && (newest === undefined || node.appliedIndex > newest.appliedIndex)) newest = node;
  }
  if (newest === undefined) return correct.size >= Math.floor(view.members.length / 2) + 1;
  return quorumOf(newest.confState).isQuorum(correct);
}

const raftTargetBase: Omit<RaftSimulationTarget, "createNode"> = {
  name: "raft",
  description: "Raft (Pre-Vote, CheckQuorum, ReadIndex, snapshots) replicating a KV store with client sessions",
  defaultNodes: 5,
  minNodes: 1,
  tickMs: RAFT_SIM_TICK_MS,
  messageCodec: raftMessageCodec,
  recordCodec: raftRecordCodec,
  client: kvClientModel,
  createInvariants: createRaftInvariants,
  liveness: {
    description:
      "a leader is elected and a command invoked after healing commits (an ok completion after the heal), unless a quorum of the newest configuration halted on corrupted storage (fail-stop by design: no quorum of correct nodes is left)",
    boundMs: RAFT_LIVENESS_BOUND_MS,
    holds(view, healedAtMs) {
      let leader = false;
      for (const node of view.nodes.values()) if (node?.role === "leader") leader = true;
      if (!correctQuorumLeft(view)) return true;
      if (!leader) return false;
      return okAfter(view.history, healedAtMs);
    },
  },
  role(node) {
    return node.role === "follower" ? "follower" : `${node.role} t${node.term}`;
  },
  leads(node) {
    return node.role === "leader";
  },
  crashPoints: RAFT_CRASH_POINTS,
  crashPointOf: raftCrashPointOf,
  metrics(view) {
    // Node counters cover the current lifetime of each live node (they restart at zero after a crash);
    // the simulator's own counters (messagesSent, …) cover the whole run.
    return {
      leaderChanges: sum(view, (n) => n.metrics.leaderElections),
      haltedNodes: sum(view, (n) => (n.halted === undefined ? 0 : 1)),
      appliedEntries: sum(view, (n) => n.metrics.appliedEntries),
      committedEntries: Math.max(0, ...[...view.nodes.values()].map((n) => n?.commitIndex ?? 0)),
      nodeMessagesSent: sum(view, (n) => n.metrics.messagesSent),
      snapshotsTaken: sum(view, (n) => n.metrics.snapshotsTaken),
      snapshotsInstalled: sum(view, (n) => n.metrics.snapshotsInstalled),
      snapshotChunksSent: sum(view, (n) => n.metrics.snapshotChunksSent),
      rejectedStaleTerm: sum(view, (n) => n.metrics.rejected["stale-term"]),
      rejectedUnknownSender: sum(view, (n) => n.metrics.rejected["unknown-sender"]),
      rejectedMalformed: sum(view, (n) => n.metrics.rejected.malformed),
      rejectedOutOfRange: sum(view, (n) => n.metrics.rejected["out-of-range"]),
      rejectedInLease: sum(view, (n) => n.metrics.rejected["in-lease"]),
      rejectedUnexpected: sum(view, (n) => n.metrics.rejected.unexpected),
      // LeaderLease's counts over the whole run (leader-lease-check.ts): lease reads judged, and not
      // judged because a clock left the drift bound (of which: stale, a lease the fault broke).
      ...leaderLeaseCounts(view),
    };
  },
};

/**
 * Raft with the replicated KV store, for the simulator (`pnpm sim raft`): 5 nodes by default, the
 * KV workload, the safety invariants of specs/raft/Raft.tla (same names) checked after every event, and
 * liveness after healing.
 */
export const raftSimulation: RaftSimulationTarget = createRaftSimulation(RAFT_SIM_CONFIG);
