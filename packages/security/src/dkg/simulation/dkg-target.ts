import type { LivenessCheck, SimulationTarget } from "@synod/core";
import { dkgMessageCodec, dkgRecordCodec, MAX_DKG_PARTICIPANTS, type DkgMessage, type DkgRecord } from "../dkg-messages.js";
import { DEFAULT_DKG_TIMING, DkgNode, type DkgOutput } from "../dkg-node.js";
import { correctParticipants, type DkgView } from "./correct-participants.js";
import { dkgSimulationKeys } from "./dkg-simulation-keys.js";
import { dkgSafety } from "./invariants.js";

/** The simulation target type of the DKG. */
export type DkgTarget = SimulationTarget<DkgNode, DkgMessage, never, DkgOutput, DkgRecord, never, never>;

/** Virtual milliseconds per tick. */
export const DKG_TICK_MS = 10;

/** @returns the t the simulation uses for n participants: the largest with n ≥ 2t+1 */
export function dkgThreshold(n: number): number {
  return Math.floor((n - 1) / 2);
}

/**
 * Virtual ms allowed after healing for every correct participant to decide: the exclusion timeout
 * (a Byzantine dealer silenced until healing is waited for at most that long), plus a ballot for
 * each of up to t+1 failed leaders in a row, for the largest group.
 */
export const DKG_COMPLETES_BOUND_MS =
  (DEFAULT_DKG_TIMING.excludeAfterTicks + (dkgThreshold(MAX_DKG_PARTICIPANTS) + 2) * DEFAULT_DKG_TIMING.ballotTicks) * DKG_TICK_MS;

/**
 * `DkgCompletes` (liveness): every correct participant has decided, within
 * {@link DKG_COMPLETES_BOUND_MS} after the network and the nodes healed.
 */
function dkgCompletes(): LivenessCheck<DkgNode, never, never> {
  return {
    description: "DkgCompletes: every correct participant decided the qualified set after healing",
    boundMs: DKG_COMPLETES_BOUND_MS,
    holds: (view: DkgView) => correctParticipants(view).nodes.every((node) => node.outcome !== undefined),
  };
}

/**
 * Build the DKG simulation target (registered as `dkg`): dealerless t-of-n BLS key generation,
 * agreement on the qualified set, ideal signatures for supports and votes.
 * @param threshold - t for n participants (default {@link dkgThreshold}, the largest with n ≥ 2t+1)
 */
export function createDkgSimulation(threshold: (n: number) => number = dkgThreshold): DkgTarget {
  return {
    name: "dkg",
    description: "Dealerless BLS threshold key generation (Joint-Feldman, supports and reveals, Paxos-agreed qualified set)",
    defaultNodes: 4,
    minNodes: 3,
    tickMs: DKG_TICK_MS,
    createNode: (ctx) =>
      new DkgNode(ctx, { t: threshold(ctx.members.length), keys: dkgSimulationKeys.keysFor(ctx.id, ctx.members) }),
    messageCodec: dkgMessageCodec,
    recordCodec: dkgRecordCodec,
    createInvariants: () => [dkgSafety()],
    liveness: dkgCompletes(),
    metrics(view: DkgView) {
      const { nodes, faulty, withinBudget } = correctParticipants(view);
      const outcome = nodes.find((node) => node.outcome !== undefined)?.outcome;
      let refused = 0;
      let ballots = 0;
      for (const node of view.nodes.values()) {
        if (node !== undefined) ballots = Math.max(ballots, node.ballot);
        if (node !== undefined) refused += node.counters.malformed + node.counters.badItems + node.counters.unknownSender;
      }
      return {
        t: threshold(view.members.length),
        faultyParticipants: faulty.length,
        faultBudgetExceeded: withinBudget ? 0 : 1,
        decided: nodes.filter((node) => node.outcome !== undefined).length,
        qualified: outcome?.qual.length ?? 0,
        disqualified: outcome?.disqualified.size ?? 0,
        refusedInput: refused,
        highestBallot: ballots,
        decisionMs: Math.max(0, ...nodes.map((node) => node.decidedAtTick ?? 0)) * DKG_TICK_MS,
      };
    },
    forge(message: DkgMessage, rng) {
      const flip = (bytes: Uint8Array): Uint8Array => bytes.map((byte, i) => (i === bytes.length - 1 ? byte ^ (1 + rng.int(0, 255)) : byte));
      if (message.type === "deal" && message.share !== undefined) return { ...message, share: flip(message.share) };
      if (message.type === "accepted") return { ...message, digest: flip(message.digest) };
      if (message.type === "supports") return { ...message, items: message.items.map((item) => ({ ...item, digest: flip(item.digest) })) };
      return message;
    },
  };
}

/** The DKG target (registered as `dkg`). */
export const dkgSimulation: DkgTarget = createDkgSimulation();
