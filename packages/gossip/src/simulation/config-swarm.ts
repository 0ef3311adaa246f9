import type { Rng } from "@synod/core";
import type { GossipConfig } from "../config.js";

/**
 * Swarm over the protocol's options, one draw per seed (the mutation harness uses it): Lifeguard
 * on or off, deaths heard taken at once (SWIM, memberlist) or only as suspicions (our hardening),
 * 1–3 indirect probes, suspicion multipliers 1–4, push-pull off or every 1, 5 or 15 s, then Lifeguard's
 * buddy checks at expiry (1, 2, 3 or 5 pings) and adaptive tuning on or off (each drawn after the
 * options that existed before it, so a seed keeps its earlier draws). A rule used by one mode only (a gossiped
 * death applied as a death, say) is otherwise never run under the default settings, and a 20-second
 * run at the default interval sees one or two exchanges per member.
 * @param rng - a generator forked from the run's seed
 * @returns settings over GOSSIP_SIMULATION_CONFIG
 */
export function drawGossipSimConfig(rng: Rng): Partial<GossipConfig> {
  return {
    lifeguard: rng.bool(0.5),
    deathAsSuspicion: rng.bool(0.5),
    indirectChecks: rng.pick([1, 2, 3]),
    suspicionMult: rng.pick([1, 2, 2, 4]),
    pushPullIntervalTicks: rng.pick([0, 10, 50, 150]),
    // Drawn after the others, so that a seed keeps the options it drew before these existed.
    buddyChecks: rng.pick([1, 2, 3, 5]),
    adaptive: rng.bool(0.5),
  };
}

/**
 * The simulated application's write rate per seed (the mutation harness draws it after
 * {@link drawGossipSimConfig}, from the same generator, so a seed keeps its options): one write per
 * writer every 8 s (the default), 2 s or 0.5 s. At the fast rates the writers' state outgrows one
 * message (8 KiB) within a run, so a member that restarts or was cut off takes it back in deltas cut
 * at the size limit — the case Scuttlebutt's oldest-first rule (`KvNoGap`) is about; at the default
 * rate a 20-second run builds 3–4 KB and deltas are never cut.
 * @param rng - the generator the options were drawn from
 * @returns the workload, as `createGossipSimulation` takes it
 */
export function drawGossipSimWorkload(rng: Rng): { kvWriteProbability: number } {
  return { kvWriteProbability: rng.pick([0.0125, 0.05, 0.2]) };
}
