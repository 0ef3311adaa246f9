import type { LivenessCheck, SimulationTarget } from "@synod/core";
import { dkgMessageCodec, dkgRecordCodec, MAX_DKG_PARTICIPANTS, type DkgMessage, type DkgRecord } from "../dkg-messages.js";
import { DEFAULT_DKG_TIMING, defaultDkgFaults, DkgNode, type DkgOutput } from "../dkg-node.js";
import { agreementQuorum } from "../qual-agreement.js";
import { correctAgreementAccepted } from "./correct-accepted.js";
import { preparesBound } from "./prepares-bound.js";
import { correctParticipants, type DkgView } from "./correct-participants.js";
import { dkgSimulationKeys } from "./dkg-simulation-keys.js";
import { dkgSafety } from "./invariants.js";

/** The simulation target type of the DKG. */
export type DkgTarget = SimulationTarget<DkgNode, DkgMessage, never, DkgOutput, DkgRecord, never, never>;

/** Virtual milliseconds per tick. */
export const DKG_TICK_MS = 10;

/**
 * @returns the t the simulation uses for n participants: the largest with n ≥ 2t+1, raised to 2f
 *   where that is more (f = ⌊(n−1)/3⌋; a DKG tolerating f Byzantine members needs t ≥ 2f, see
 *   `dkgConstraintFault`): 2 at n = 4, 2 at 5 and 6, 4 at 7, 6 at 10
 */
export function dkgThreshold(n: number): number {
  return Math.max(Math.floor((n - 1) / 2), 2 * Math.floor((n - 1) / 3));
}

/** @returns the sharing degree of the `dkg-q` target: t = Q−1, so a quorum of the agreement signs (2f+1 of 3f+1, as PBFT's certificates need) */
export function quorumThreshold(n: number): number {
  return agreementQuorum(n, Math.floor((n - 1) / 3)) - 1;
}

/**
 * Virtual ms allowed after healing for every correct participant to decide: the exclusion timeout
 * (a Byzantine dealer silenced until healing is waited for at most that long), plus a view for
 * each of up to t+1 failed leaders in a row, for the largest group, plus one view for each member
 * (after the timeout a faulty dealer may have completed at some members only: a leader that lacks
 * it is refused, and the next leaders have learnt it from the refused proposals).
 */
export const DKG_COMPLETES_BOUND_MS =
  (DEFAULT_DKG_TIMING.excludeAfterTicks + (MAX_DKG_PARTICIPANTS + dkgThreshold(MAX_DKG_PARTICIPANTS) + 2) * DEFAULT_DKG_TIMING.ballotTicks) * DKG_TICK_MS;

/**
 * `DkgCompletes` (liveness): every correct participant has decided, within
 * {@link DKG_COMPLETES_BOUND_MS} after the network and the nodes healed — when at most f are
 * Byzantine and at most min(t−f, n−Q) are faulty in all (with more, no quorum of Q may be left, or
 * more receivers than a correct dealer's reveal budget t−f may never support it).
 */
function dkgCompletes(): LivenessCheck<DkgNode, never, never> {
  return {
    description: "DkgCompletes: every correct participant decided the qualified set after healing",
    boundMs: DKG_COMPLETES_BOUND_MS,
    holds: (view: DkgView) => {
      const correct = correctParticipants(view);
      return !correct.liveWithinBudget || correct.nodes.every((node) => node.outcome !== undefined);
    },
  };
}

/**
 * Build the DKG simulation target (registered as `dkg`): dealerless (t+1)-of-n BLS key generation,
 * Byzantine agreement on the qualified set, ideal signatures for supports and votes.
 * @param threshold - t for n participants (default {@link dkgThreshold}, the largest with n ≥ 2t+1)
 * @param faults - f for n participants and that t (default min(⌊t/2⌋, ⌊(n−1)/3⌋): ⌊(n−1)/3⌋ with {@link dkgThreshold})
 * @param name - the target's name
 */
export function createDkgSimulation(
  threshold: (n: number) => number = dkgThreshold,
  faults: (n: number, t: number) => number = defaultDkgFaults,
  name = "dkg",
): DkgTarget {
  return {
    name,
    description: "Dealerless BLS threshold key generation (Joint-Feldman, supports and reveals, qualified set agreed by single-shot PBFT)",
    defaultNodes: 4,
    minNodes: 3,
    tickMs: DKG_TICK_MS,
    createNode: (ctx) =>
      new DkgNode(ctx, {
        t: threshold(ctx.members.length),
        faults: faults(ctx.members.length, threshold(ctx.members.length)),
        keys: dkgSimulationKeys.keysFor(ctx.id, ctx.members),
      }),
    messageCodec: dkgMessageCodec,
    recordCodec: dkgRecordCodec,
    createInvariants: () => [dkgSafety(), correctAgreementAccepted(), preparesBound()],
    liveness: dkgCompletes(),
    metrics(view: DkgView) {
      const { nodes, faulty, byzantine, withinBudget } = correctParticipants(view);
      const outcome = nodes.find((node) => node.outcome !== undefined)?.outcome;
      let refused = 0;
      let ballots = 0;
      for (const node of view.nodes.values()) {
        if (node !== undefined) ballots = Math.max(ballots, node.ballot);
        if (node !== undefined) refused += node.counters.malformed + node.counters.badItems + node.counters.unknownSender + node.refusedVotes;
      }
      return {
        t: threshold(view.members.length),
        f: faults(view.members.length, threshold(view.members.length)),
        faultyParticipants: faulty.length,
        byzantineParticipants: byzantine.length,
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
      if (message.type === "prepare" || message.type === "commit") return { ...message, digest: flip(message.digest) };
      if (message.type === "supports") return { ...message, items: message.items.map((item) => ({ ...item, digest: flip(item.digest) })) };
      return message;
    },
  };
}

/** The DKG target (registered as `dkg`): f = ⌊(n−1)/3⌋, t = max(⌊(n−1)/2⌋, 2f). */
export const dkgSimulation: DkgTarget = createDkgSimulation();

/** The DKG for PBFT's threshold certificates (registered as `dkg-q`): f = ⌊(n−1)/3⌋, threshold t+1 = Q (2f+1 at n = 3f+1). */
export const dkgQuorumSimulation: DkgTarget = createDkgSimulation(quorumThreshold, (n) => Math.floor((n - 1) / 3), "dkg-q");
