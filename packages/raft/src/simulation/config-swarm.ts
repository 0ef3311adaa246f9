import type { Rng } from "@synod/core";
import type { RaftConfig } from "../config.js";
import { SNAPSHOT_CHUNK_BYTES } from "../limits.js";
import type { OperatorRates } from "./operator-node.js";
import { RAFT_SIM_CONFIG } from "./raft-target.js";

/**
 * Swarm over Raft's options: one configuration drawn per seed (every node of the run gets it), so
 * that code paths the default configuration never takes are exercised — lease reads, Pre-Vote or
 * CheckQuorum off, in-flight windows and messages of one or two entries (flow control, probing),
 * snapshots every few entries (followers brought back by snapshot) sent in chunks of a few bytes
 * to the wire's largest (many chunks per snapshot, or one), one-tick heartbeats, an apply bounded to
 * a few entries per step (the apply index lagging the commit index), membership changes not
 * validated when proposed (`disableConfChangeValidation`: overlapping changes, with an operator).
 * @param rng - a generator forked from the run's seed (the draw is a function of the seed)
 * @returns overrides of the node defaults, RAFT_SIM_CONFIG's election timeout kept
 */
export function drawRaftSimConfig(rng: Rng): Partial<RaftConfig> {
  const checkQuorum = rng.bool(0.75);
  const preVote = rng.bool(0.75);
  const readMode = checkQuorum && rng.bool(0.5) ? "lease" : "read-index";
  const small = <T>(tiny: readonly T[], usual: T): T => (rng.bool(0.5) ? rng.pick(tiny) : usual);
  return {
    ...RAFT_SIM_CONFIG,
    checkQuorum,
    preVote,
    readMode,
    heartbeatTicks: rng.pick([1, 2, 3]),
    maxInflightMessages: small([1, 2, 4], 256),
    maxEntriesPerMessage: small([1, 2, 8], 256),
    snapshotIntervalEntries: small([4, 8, 16], 64),
    // Drawn last: the draws above stay what they were for every seed.
    snapshotChunkBytes: rng.pick([16, 64, 256, SNAPSHOT_CHUNK_BYTES]),
    adaptiveBatching: rng.bool(0.5),
    // Drawn after the others (their draws unchanged): an apply lagging the commit index by a few
    // entries, the window where a read must wait for its index to be applied.
    maxApplyPerStep: small([1, 2, 4], 0),
    // Drawn last, from a fork of its own: every draw above, and the operator's (drawRaftOperator,
    // from `rng` after this), stay what they were. With it on, the operator's membership changes
    // overlap (OperatorRaftNode), and only the apply-time validation keeps their sequence sound.
    disableConfChangeValidation: rng.fork("conf-change-validation").bool(0.5),
  };
}

/**
 * Swarm over the operator: in half the seeds, membership changes (joint consensus, learners, even
 * voter counts) and leadership transfers happen during the chaos, at rates drawn per seed.
 * @param rng - a generator forked from the run's seed
 * @returns the operator's rates, or undefined for a run with fixed membership
 */
export function drawRaftOperator(rng: Rng): OperatorRates | undefined {
  if (!rng.bool(0.5)) return undefined;
  return { changeMembership: Math.round(rng.float() * 20) / 1000 + 0.002, transferLeadership: rng.bool(0.5) ? Math.round(rng.float() * 10) / 1000 + 0.001 : 0 };
}
