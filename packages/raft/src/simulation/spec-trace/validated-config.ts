import type { RaftConfig } from "../../config.js";
import { RAFT_SIM_CONFIG } from "../raft-target.js";

/**
 * What a run validated against Raft.tla may use. Raft.tla models elections (with or without
 * Pre-Vote), replication of one entry per message, the Figure-8 commit rule, crashes and a lossy,
 * duplicating, reordering network; it has no snapshots, membership changes or leadership transfer.
 * So validated runs switch snapshots off, send at most one entry per message, keep a fixed
 * membership (no simulated operator) and ReadIndex reads (a read only sends heartbeats). CheckQuorum
 * stays available: its step-down maps to the spec's Restart (properties.md), its vote lease to a
 * dropped request.
 */

/** The faults a validated run may inject: everything the spec's network and Restart cover. */
export const SPEC_TRACE_FAULTS: readonly string[] = Object.freeze([
  "loss", "duplicate", "reorder", "delay", "partition", "crash", "torn", "slow", "skew", "leader-crash", "leader-stall", "buggify",
]);

/**
 * Faults a validated run refuses, and why: `pause` (a resumed node handles its held messages in one
 * simulator event), `corrupt` (a node halts: a state the spec lacks), `byzantine` (not Raft).
 */
export const SPEC_TRACE_EXCLUDED_FAULTS: Readonly<Record<string, string>> = Object.freeze({
  pause: "a resumed node handles the events it held in one simulator event",
  corrupt: "a node that finds a corrupted record halts, a state Raft.tla does not have",
  byzantine: "Byzantine senders are outside Raft's fault model",
});

/** The Raft options of a validated run. */
export interface SpecTraceOptions {
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
}

/**
 * @param options - Pre-Vote and CheckQuorum on or off (the spec's constant PreVote follows the first)
 * @returns the node configuration of a validated run: the simulator's, with snapshots off and one entry per message
 */
export function specTraceRaftConfig(options: SpecTraceOptions): Partial<RaftConfig> {
  return {
    ...RAFT_SIM_CONFIG,
    preVote: options.preVote,
    checkQuorum: options.checkQuorum,
    readMode: "read-index",
    snapshotIntervalEntries: 0,
    maxEntriesPerMessage: 1,
    adaptiveElectionTimeout: false,
  };
}
