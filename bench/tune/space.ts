import { KvService, PbftNode, pbftSimulation, PBFT_SIM_CONFIG, simulationKeys, type PbftConfig } from "@synod/pbft";
import { createRaftSimulation, RAFT_SIM_CONFIG } from "@synod/raft/simulation";
import type { RaftConfig } from "@synod/raft";
import { createGossipSimulation, DEFAULT_GOSSIP_CONFIG, GOSSIP_SIMULATION_CONFIG, type GossipConfig } from "@synod/gossip";
import type { KvProtocol, KvTarget } from "../scenarios/kv-protocol.js";
import { KV_TUNE_GOALS, type TuneGoal } from "./goals.js";
import { GOSSIP_TUNE_GOALS, type GossipSubject } from "./gossip-goals.js";
import { protocol as pbft } from "../scenarios/protocols/pbft.js";
import { protocol as raft } from "../scenarios/protocols/raft.js";

/** One tunable parameter: its name and the values the search tries (the first is not special; `defaults` says which is the default). */
export interface TuneParameter {
  readonly name: string;
  readonly values: readonly (number | boolean)[];
  /** What it trades, printed with a recommendation. */
  readonly effect: string;
}

/** Settings: parameter name → value. */
export type Settings = Readonly<Record<string, number | boolean>>;

/**
 * What `pnpm tune <protocol>` searches, and for which goals.
 * @typeParam S - what a setting builds: the subject its goals measure
 */
export interface TuneSpace<S = KvProtocol> {
  readonly protocol: string;
  /** The goals this protocol is tuned for (`--goal`), and the one used without the flag. */
  readonly goals: Readonly<Record<string, TuneGoal<S>>>;
  readonly defaultGoal: string;
  /** Cluster size without `--nodes`. */
  readonly defaultNodes: number;
  readonly parameters: readonly TuneParameter[];
  readonly defaults: Settings;
  /** @returns whether the settings are a valid configuration (e.g. heartbeat below election timeout) */
  valid(settings: Settings): boolean;
  /** @returns the subject built with `settings` (for the KV protocols: the protocol, its target built with them) */
  build(settings: Settings): S;
}

const RAFT_SPACE: TuneSpace = {
  protocol: "raft",
  goals: KV_TUNE_GOALS,
  defaultGoal: "p99",
  defaultNodes: raft.clusterSizes[0] as number,
  parameters: [
    { name: "electionTimeoutTicks", values: [5, 10, 20, 40], effect: "shorter: faster failover, more spurious elections on slow links" },
    { name: "heartbeatTicks", values: [1, 2, 4], effect: "shorter: commit index and leases spread faster, more idle messages" },
    { name: "preVote", values: [true, false], effect: "on: a partitioned node cannot disrupt the leader when it returns; one more round per election" },
    { name: "checkQuorum", values: [true, false], effect: "on: a leader cut off from a quorum steps down (needed for lease reads)" },
    { name: "maxInflightMessages", values: [4, 64, 256], effect: "window of unacknowledged appends per follower: larger pipelines more" },
    { name: "maxEntriesPerMessage", values: [16, 256], effect: "batch size of appends: larger amortises messages under load" },
    { name: "adaptiveElectionTimeout", values: [false, true], effect: "on: the election timeout follows measured heartbeat round trips (slow links)" },
    {
      name: "adaptiveBatching",
      values: [false, true],
      effect: "on: under load, proposals wait (at most a tick) to leave in batches sized by the measured queue depth",
    },
  ],
  defaults: {
    electionTimeoutTicks: RAFT_SIM_CONFIG.electionTimeoutTicks ?? 10,
    heartbeatTicks: RAFT_SIM_CONFIG.heartbeatTicks ?? 2,
    preVote: true,
    checkQuorum: true,
    maxInflightMessages: 256,
    maxEntriesPerMessage: 256,
    adaptiveElectionTimeout: false,
    adaptiveBatching: false,
  },
  valid: (s) => (s.heartbeatTicks as number) * 2 <= (s.electionTimeoutTicks as number),
  build(settings) {
    const config = { ...RAFT_SIM_CONFIG, ...(settings as Partial<RaftConfig>) };
    return { ...raft, target: createRaftSimulation(config) as unknown as KvTarget };
  },
};

const PBFT_SPACE: TuneSpace = {
  protocol: "pbft",
  goals: KV_TUNE_GOALS,
  defaultGoal: "p99",
  defaultNodes: pbft.clusterSizes[0] as number,
  parameters: [
    { name: "batchMax", values: [1, 4, 16, 64], effect: "requests per pre-prepare: larger amortises the three phases under load" },
    { name: "checkpointInterval", values: [8, 32, 128], effect: "shorter: logs garbage-collected sooner, more checkpoint messages" },
    { name: "windowSize", values: [32, 64, 256], effect: "watermark window: how far the primary may run ahead of the last stable checkpoint" },
    { name: "viewChangeTimeoutTicks", values: [20, 40, 80], effect: "shorter: a crashed primary is replaced sooner, more needless view changes on slow links" },
  ],
  defaults: {
    batchMax: PBFT_SIM_CONFIG.batchMax ?? 16,
    checkpointInterval: PBFT_SIM_CONFIG.checkpointInterval ?? 8,
    windowSize: PBFT_SIM_CONFIG.windowSize ?? 32,
    viewChangeTimeoutTicks: PBFT_SIM_CONFIG.viewChangeTimeoutTicks ?? 40,
  },
  valid: (s) => (s.windowSize as number) >= 2 * (s.checkpointInterval as number) && (s.windowSize as number) % (s.checkpointInterval as number) === 0,
  build(settings) {
    const config = { ...PBFT_SIM_CONFIG, ...(settings as Partial<PbftConfig>) };
    const target = {
      ...pbftSimulation,
      createNode: (ctx: Parameters<typeof pbftSimulation.createNode>[0]) =>
        new PbftNode({ ctx, keys: simulationKeys.keysFor(ctx.id, ctx.members), service: new KvService(), config }),
    };
    return { ...pbft, target: target as unknown as KvTarget };
  },
};

/**
 * SWIM with Lifeguard: how often members probe, how many ask for indirect probes, how long updates
 * ride on messages, how long a suspicion lasts, and Lifeguard itself — each traded between how fast a
 * crash is detected, how fast membership heals after a partition, and the messages it costs.
 */
const GOSSIP_SPACE: TuneSpace<GossipSubject> = {
  protocol: "gossip",
  goals: GOSSIP_TUNE_GOALS,
  defaultGoal: "detection",
  defaultNodes: 32,
  parameters: [
    { name: "probeIntervalTicks", values: [3, 5, 10], effect: "shorter: a crash is probed sooner, more probes per second" },
    { name: "indirectChecks", values: [1, 3, 5], effect: "more: a lossy direct path rarely causes a suspicion, more messages per failed probe" },
    { name: "retransmitMult", values: [2, 4, 6], effect: "more: an update reaches everyone more surely, larger messages for longer" },
    { name: "suspicionMult", values: [1, 2, 4], effect: "shorter: a crash is declared sooner, a slow member is wrongly declared dead more often" },
    { name: "lifeguard", values: [true, false], effect: "on: slow members probe less and suspicions confirmed by others end sooner (fewer false deaths)" },
  ],
  defaults: {
    probeIntervalTicks: GOSSIP_SIMULATION_CONFIG.probeIntervalTicks ?? 5,
    indirectChecks: DEFAULT_GOSSIP_CONFIG.indirectChecks,
    retransmitMult: DEFAULT_GOSSIP_CONFIG.retransmitMult,
    suspicionMult: GOSSIP_SIMULATION_CONFIG.suspicionMult ?? 2,
    lifeguard: DEFAULT_GOSSIP_CONFIG.lifeguard,
  },
  // The probe timeout (2 ticks in the simulation's settings) must end before the next probe.
  valid: (s) => (s.probeIntervalTicks as number) > (GOSSIP_SIMULATION_CONFIG.probeTimeoutTicks ?? 2),
  build(settings) {
    // Membership only: `pnpm sim gossip`'s Scuttlebutt writers would add key-value traffic that none
    // of these parameters governs to every candidate's message count.
    const overrides: Partial<GossipConfig> = { kvSyncIntervalTicks: 0, ...(settings as Partial<GossipConfig>) };
    return (nodes) => createGossipSimulation(overrides, { nodes });
  },
};

/** The protocols `pnpm tune` knows, by name (type parameters erased: each space's goals take its own subject). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TUNE_SPACES: Readonly<Record<string, TuneSpace<any>>> = { raft: RAFT_SPACE, pbft: PBFT_SPACE, gossip: GOSSIP_SPACE };

/** @returns every valid combination of the space's values */
export function allSettings(space: TuneSpace<unknown>): Settings[] {
  let combos: Record<string, number | boolean>[] = [{}];
  for (const p of space.parameters) combos = combos.flatMap((c) => p.values.map((v) => ({ ...c, [p.name]: v })));
  return combos.filter((c) => space.valid(c));
}
