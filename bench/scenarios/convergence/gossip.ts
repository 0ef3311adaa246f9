import { createGossipSimulation, GOSSIP_SIMULATION_CONFIG, GOSSIP_TICK_MS, membershipConverges } from "@synod/gossip";
import type { ConvergenceProtocol, ConvergenceTarget } from "../convergence-protocol.js";

const PROBE_INTERVAL_TICKS = GOSSIP_SIMULATION_CONFIG.probeIntervalTicks ?? 5;
const membership = membershipConverges(Number.POSITIVE_INFINITY);
/** SWIM's membership alone: no key-value state to synchronise (memberlist has none). */
const MEMBERSHIP_ONLY = { kvSyncIntervalTicks: 0 } as const;

/**
 * SWIM with Lifeguard as `pnpm sim gossip` runs it (probe every 500 ms, updates piggybacked on
 * probes and acks). During the partition each half suspects, then declares dead, members of the
 * other; converged when every member holds every other alive at its current incarnation (the
 * simulator's `MembershipConverges`): every refutation made after the heal has reached everyone.
 * Scuttlebutt's key-value exchanges are off (`kvSyncIntervalTicks: 0`): `pnpm sim gossip` turns them
 * on with writing members, whose traffic would be counted as the membership's messages and bytes.
 */
export const protocol: ConvergenceProtocol = {
  name: "gossip",
  clusterSizes: [8, 32, 128, 512],
  quickSizes: [8, 32],
  roundMs: PROBE_INTERVAL_TICKS * GOSSIP_TICK_MS,
  roundName: "gossip (probe) period",
  partition: { atMs: 1_000, durMs: 20_000 },
  boundMs: 120_000,
  writesPerSec: 0,
  target: (nodes): ConvergenceTarget => createGossipSimulation(MEMBERSHIP_ONLY, { nodes }) as unknown as ConvergenceTarget,
  convergedMeans: "every member holds every other alive at its current incarnation (MembershipConverges)",
  converged: (view, healedAtMs) => membership.holds(view as Parameters<typeof membership.holds>[0], healedAtMs),
};
