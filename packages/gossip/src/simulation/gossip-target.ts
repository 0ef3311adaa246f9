import type { ClusterView, Rng, SimulationTarget } from "@synod/core";
import { resolveGossipConfig, type GossipConfig } from "../config.js";
import type { GossipNode } from "../gossip-node.js";
import { gossipMessageCodec, gossipRecordCodec, type GossipMessage, type GossipOutput, type GossipRecord, type GossipRequest } from "../messages.js";
import { minSuspicionTicks } from "../suspicion.js";
import { ackAnswersRequest } from "./ack-answers-request.js";
import { buddyCheckBeforeDeath } from "./buddy-check-before-death.js";
import { lossFromAnsweredProbes } from "./loss-from-answered-probes.js";
import { completeness, incarnationRules, noFalseDead, type GossipInvariant } from "./invariants.js";
import { kvConsistent } from "./kv-invariants.js";
import { KvWritingMember } from "./kv-writers.js";
import { allOf, kvConverges, membershipConverges, tuningSettles } from "./liveness.js";
import { monitorOf } from "./monitor.js";

/** The simulation target type of the gossip protocol. */
export type GossipTarget = SimulationTarget<GossipNode, GossipMessage, GossipRequest, GossipOutput, GossipRecord, never, never>;

/** Virtual milliseconds per tick in the simulation (memberlist's defaults are multiples of 100 ms). */
export const GOSSIP_TICK_MS = 100;

/**
 * The simulation's protocol settings: memberlist's ratios at twice its LAN speed (probe every
 * 500 ms, probe timeout 200 ms, suspicion multiplier 2, push-pull every 15 s = 30 probe periods), so
 * that a default 10-second run sees suspicions, deaths and refutations; Scuttlebutt exchanges of the
 * key-value state every 2 s (the first `KV_SIM_WRITERS` members write keys: `KvWritingMember`).
 */
export const GOSSIP_SIMULATION_CONFIG: Partial<GossipConfig> = Object.freeze({
  probeIntervalTicks: 5,
  probeTimeoutTicks: 2,
  suspicionMult: 2,
  pushPullIntervalTicks: 150,
  kvSyncIntervalTicks: 20,
});

/** Bounds derived from a configuration and cluster size, in virtual ms. */
export function gossipBoundsMs(config: GossipConfig, n: number): { readonly graceMs: number; readonly completenessMs: number; readonly convergenceMs: number } {
  const min = minSuspicionTicks(config.suspicionMult, n, config.probeIntervalTicks);
  const max = config.lifeguard ? min * config.suspicionMaxTimeoutMult : min;
  // Adaptive tuning may stretch the probe interval up to twice the configured one (adaptive.ts): the
  // bounds are those of the slowest interval the configuration allows (unchanged with it off).
  const interval = config.probeIntervalTicks * (config.adaptive ? 2 : 1);
  const slowestPeriod = interval * (config.lifeguard ? config.awarenessMaxMultiplier : 1);
  const rounds = 4 * Math.ceil(Math.log2(n + 1)) + 4;
  // A suspicion started before healing resolves within max (+ min, if a death elsewhere hastens it); refutations spread in O(log n) rounds.
  const graceMs = (max + min + rounds * interval + slowestPeriod) * GOSSIP_TICK_MS;
  // Each observer probes every member within two passes of its round robin (at the slowest period), then suspects it for at most max.
  const completenessMs = (2 * n * slowestPeriod + max + slowestPeriod) * GOSSIP_TICK_MS;
  return { graceMs, completenessMs, convergenceMs: graceMs + (max + rounds * interval) * GOSSIP_TICK_MS };
}

/**
 * Build the gossip simulation target (tests and the bench use it with Lifeguard off).
 * @param overrides - protocol settings over {@link GOSSIP_SIMULATION_CONFIG}
 * @param bounds.nodes - the largest cluster the liveness bound must allow for (default 10,000)
 * @param workload.kvWriteProbability - probability per tick that a writer writes (default `KV_SIM_WRITE_PROBABILITY`, every 8 s)
 */
export function createGossipSimulation(
  overrides: Partial<GossipConfig> = {},
  bounds: { readonly nodes?: number } = {},
  workload: { readonly kvWriteProbability?: number } = {},
): GossipTarget {
  const config = resolveGossipConfig({ ...GOSSIP_SIMULATION_CONFIG, ...overrides });
  const sized = (n: number) => gossipBoundsMs(config, n);
  // The liveness bound is fixed before a run's size is known: computed for the largest cluster expected.
  const livenessBounds = sized(bounds.nodes ?? 10_000);
  return {
    name: "gossip",
    description: "SWIM membership with Lifeguard: probes, indirect probes, suspicion, incarnations, piggybacked gossip",
    defaultNodes: 5,
    minNodes: 2,
    tickMs: GOSSIP_TICK_MS,
    createNode: (ctx) => new KvWritingMember(ctx, config, workload.kvWriteProbability),
    messageCodec: gossipMessageCodec,
    recordCodec: gossipRecordCodec,
    createInvariants: () => {
      // The bounds grow with n: the checkers are built on first use, when the run's size is known.
      let grace: GossipInvariant | undefined;
      let complete: GossipInvariant | undefined;
      return [
        incarnationRules(),
        { name: "NoFalseDead", afterStepOn: "persist-or-output", afterStep: (id, step, view, node, member) => (grace ??= noFalseDead(sized(view.members.length).graceMs)).afterStep?.(id, step, view, node, member) },
        { name: "Completeness", check: (view, changed, node, member) => (complete ??= completeness(sized(view.members.length).completenessMs)).check?.(view, changed, node, member) },
        kvConsistent(),
        ackAnswersRequest(),
        buddyCheckBeforeDeath(),
        lossFromAnsweredProbes(),
      ];
    },
    liveness: allOf(
      "MembershipConverges, KvConverges, TuningSettles: every member holds every other alive at its current incarnation, " +
        "and every owner's writes up to healing; adaptive tuning is back at the configured parameters",
      livenessBounds.convergenceMs,
      membershipConverges(livenessBounds.convergenceMs),
      kvConverges(),
      tuningSettles(),
    ),
    metrics: gossipMetrics,
    forge: forgeGossipMessage,
  };
}

/** @returns the run's protocol metrics: traffic, refutations, exchanges, false positives, detection times */
function gossipMetrics(view: ClusterView<GossipNode, never, never>): Record<string, number> {
  const monitor = monitorOf(view);
  let probes = 0;
  let messages = 0;
  let refutations = 0;
  let pushPulls = 0;
  let pushPullChanges = 0;
  let kvSyncs = 0;
  let kvApplied = 0;
  let rejected = 0;
  let maxHealth = 0;
  for (const node of view.nodes.values()) {
    if (node === undefined) continue;
    probes += node.stats.probes;
    messages += node.stats.messagesSent;
    refutations += node.stats.refutations;
    pushPulls += node.stats.pushPulls;
    pushPullChanges += node.stats.pushPullChanges;
    kvSyncs += node.stats.kvSyncs;
    kvApplied += node.stats.kvApplied;
    const c = node.counters;
    rejected += c.unknownSender + c.unknownMember + c.misdirected;
    maxHealth = Math.max(maxHealth, node.awareness.score);
  }
  const detections = monitor.firstDetectionMs;
  const all = monitor.detectionMs;
  return {
    probes,
    messagesSent: messages,
    refutations,
    pushPulls,
    pushPullChanges,
    kvSyncs,
    kvApplied,
    rejectedInput: rejected,
    falsePositives: monitor.falsePositiveKeys.size,
    falseFailedEvents: monitor.falseFailedEvents,
    falseSuspicions: monitor.falseSuspicions,
    trueSuspicions: monitor.trueSuspicions,
    crashesDetected: detections.length,
    meanFirstDetectionMs: detections.length === 0 ? 0 : Math.round(detections.reduce((a, b) => a + b, 0) / detections.length),
    detections: all.length,
    meanDetectionMs: all.length === 0 ? 0 : Math.round(all.reduce((a, b) => a + b, 0) / all.length),
    maxHealthScore: maxHealth,
  };
}

/**
 * A Byzantine sender's lie: a higher own incarnation, and every member it speaks of dead one
 * incarnation above what it holds (a nack for another probe; key-value writes unchanged).
 */
function forgeGossipMessage(message: GossipMessage, rng: Rng): GossipMessage {
  if (message.type === "nack") return { ...message, seq: message.seq + 1 };
  const inc = message.inc + 1 + rng.int(0, 3);
  // The key-value state is not signed: a forged write cannot be told from a real one (Scuttlebutt
  // trusts its members), so only the incarnation is forged there.
  if (message.type === "kvDigest" || message.type === "kvReply" || message.type === "kvDelta") return { ...message, inc };
  if (message.type === "pushPull" || message.type === "pushPullReply") {
    return { ...message, inc, entries: message.entries.map(([member, incarnation]) => [member, incarnation + 1, "dead" as const]) };
  }
  return { ...message, inc, updates: message.updates.map((u) => ({ ...u, state: "dead" as const, incarnation: u.incarnation + 1 })) };
}

/** The gossip target with the simulation settings (registered as `gossip`). */
export const gossipSimulation: GossipTarget = createGossipSimulation();
