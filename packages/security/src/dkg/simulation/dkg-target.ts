import type { LivenessCheck, SimulationTarget } from "@synod/core";
import { dkgMessageCodec, dkgRecordCodec, MAX_DKG_PARTICIPANTS, type DkgMessage, type DkgRecord } from "../dkg-messages.js";
import { DkgNode, type DkgOutput } from "../dkg-node.js";
import { correctParticipants, type DkgView } from "./correct-participants.js";
import { dkgSimulationKeys } from "./dkg-simulation-keys.js";
import { dkgSafety } from "./invariants.js";

/** The simulation target type of the DKG. */
export type DkgTarget = SimulationTarget<DkgNode, DkgMessage, never, DkgOutput, DkgRecord, never, never>;

/** Virtual milliseconds per tick. */
export const DKG_TICK_MS = 10;
/**
 * Ticks per round: 50 ms, above the simulator's default worst delay (10 ms latency + 2 ms jitter)
 * plus the up-to-one-tick offset between participants' clocks, with room to spare.
 */
export const DKG_ROUND_TICKS = 5;

/** @returns the t the simulation uses for n participants: the largest with n ≥ 2t+1 */
export function dkgThreshold(n: number): number {
  return Math.floor((n - 1) / 2);
}

/** @returns virtual ms from the first tick to the decision, for n participants: 3(t+1) rounds */
export function dkgDecisionMs(n: number): number {
  return 3 * (dkgThreshold(n) + 1) * DKG_ROUND_TICKS * DKG_TICK_MS;
}

/**
 * `DkgCompletes` (liveness): every correct participant has decided. The protocol is fixed-round, so
 * it decides 3(t+1) rounds after its first tick; the bound allows that for the largest group plus a round.
 */
function dkgCompletes(): LivenessCheck<DkgNode, never, never> {
  return {
    description: "DkgCompletes: every correct participant decided (3(t+1) rounds after its start)",
    boundMs: dkgDecisionMs(MAX_DKG_PARTICIPANTS) + DKG_ROUND_TICKS * DKG_TICK_MS,
    holds: (view: DkgView) => correctParticipants(view).nodes.every((node) => node.outcome !== undefined),
  };
}

/**
 * Build the DKG simulation target (registered as `dkg`): dealerless t-of-n BLS key generation,
 * Dolev–Strong broadcast, ideal signatures for the broadcast chains.
 * @param threshold - t for n participants (default {@link dkgThreshold}, the largest with n ≥ 2t+1)
 */
export function createDkgSimulation(threshold: (n: number) => number = dkgThreshold): DkgTarget {
  return {
    name: "dkg",
    description: "Dealerless BLS threshold key generation (Pedersen/Joint-Feldman, Gennaro et al. complaints, Dolev-Strong broadcast)",
    defaultNodes: 4,
    minNodes: 3,
    tickMs: DKG_TICK_MS,
    createNode: (ctx) =>
      new DkgNode(ctx, { t: threshold(ctx.members.length), roundTicks: DKG_ROUND_TICKS, keys: dkgSimulationKeys.keysFor(ctx.id, ctx.members) }),
    messageCodec: dkgMessageCodec,
    recordCodec: dkgRecordCodec,
    createInvariants: () => [dkgSafety()],
    liveness: dkgCompletes(),
    metrics(view: DkgView) {
      const { nodes, faulty, withinBudget } = correctParticipants(view);
      const outcome = nodes.find((node) => node.outcome !== undefined)?.outcome;
      let refused = 0;
      for (const node of view.nodes.values()) {
        if (node !== undefined) refused += node.counters.malformed + node.counters.badItems + node.counters.lateItems + node.counters.unknownSender;
      }
      return {
        t: threshold(view.members.length),
        faultyParticipants: faulty.length,
        faultBudgetExceeded: withinBudget ? 0 : 1,
        decided: nodes.filter((node) => node.outcome !== undefined).length,
        qualified: outcome?.qual.length ?? 0,
        disqualified: outcome?.disqualified.size ?? 0,
        refusedInput: refused,
        decisionMs: 3 * (threshold(view.members.length) + 1) * DKG_ROUND_TICKS * DKG_TICK_MS,
      };
    },
    forge(message: DkgMessage, rng) {
      if (message.type === "share") return { ...message, value: message.value.map((byte, i) => (i === 31 ? byte ^ (1 + rng.int(0, 255)) : byte)) };
      return { ...message, body: message.body.map((byte, i) => (i === message.body.length - 1 ? byte ^ 1 : byte)) };
    },
  };
}

/** The DKG target (registered as `dkg`). */
export const dkgSimulation: DkgTarget = createDkgSimulation();
