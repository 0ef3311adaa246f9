import type { Invariant } from "@synod/core";
import { equalBytes, toHex } from "../../bytes.js";
import { combinePartialSignatures, signShare, verifyKeyShare, verifyThresholdSignature, type KeyShare } from "../../threshold.js";
import type { DkgMessage, DkgRecord } from "../dkg-messages.js";
import type { DkgNode, DkgOutput } from "../dkg-node.js";
import { correctParticipants } from "./correct-participants.js";

/** The invariant type of the DKG simulation target. */
export type DkgInvariant = Invariant<DkgNode, DkgMessage, DkgOutput, DkgRecord, never, never>;

/** The safety properties checked at the end of every run, for the correct participants, when at most t are faulty. */
export const DKG_INVARIANT_NAMES = ["DkgAgreement", "HonestDealersQualified", "ShareValidity", "ThresholdSigning"] as const;

const MESSAGE = new TextEncoder().encode("synod/dkg/sim/threshold-check");

/**
 * DkgAgreement: every correct participant that decided holds the same qualified set and group key;
 * HonestDealersQualified: every correct participant is a qualified dealer (a correct dealer is never disqualified);
 * ShareValidity: every correct participant's share verifies against the group's commitments;
 * ThresholdSigning: t+1 correct shares combine into a signature valid under the group key, and t
 * shares interpolated as if they were enough do not.
 */
export function dkgSafety(): DkgInvariant {
  return {
    name: "DkgSafety",
    covers: DKG_INVARIANT_NAMES,
    atEnd(view) {
      const { nodes, t, withinBudget } = correctParticipants(view);
      if (!withinBudget) return undefined; // more than t faulty: nothing is promised (the run's metrics say so)
      const decided = nodes.filter((node) => node.outcome !== undefined);
      const first = decided[0]?.outcome;
      if (first === undefined) return undefined;
      for (const node of decided) {
        const outcome = node.outcome!;
        if (outcome.qual.join(",") !== first.qual.join(",") || !equalBytes(outcome.group.groupPublicKey, first.group.groupPublicKey)) {
          const key = (o: typeof outcome): string => toHex(o.group.groupPublicKey).slice(0, 16);
          const message = `${decided[0]!.id} decided QUAL [${first.qual}] key ${key(first)}, ${node.id} [${outcome.qual}] key ${key(outcome)}`;
          return { invariant: "DkgAgreement", message };
        }
        if (!first.qual.includes(node.id)) {
          return { invariant: "HonestDealersQualified", message: `correct dealer ${node.id} was disqualified (${first.disqualified.get(node.id) ?? "?"})` };
        }
        const share = outcome.share;
        if (share === undefined || !verifyKeyShare(outcome.group, share).ok) {
          return { invariant: "ShareValidity", message: `${node.id}'s share does not verify against the group commitments` };
        }
      }
      return thresholdSigning(decided.map((node) => node.outcome!.share!), first.group, t);
    },
  };
}

function thresholdSigning(shares: readonly KeyShare[], group: Parameters<typeof verifyThresholdSignature>[0], t: number) {
  if (shares.length < t + 1) return undefined;
  const partials = shares.slice(0, t + 1).map((share) => signShare(share, MESSAGE));
  const combined = combinePartialSignatures(group, MESSAGE, partials);
  if (!combined.ok || !verifyThresholdSignature(group, MESSAGE, combined.value.signature)) {
    return { invariant: "ThresholdSigning", message: `t+1 = ${t + 1} correct shares did not produce a valid group signature` };
  }
  if (t >= 1) {
    const tooFew = combinePartialSignatures({ ...group, threshold: t }, MESSAGE, partials.slice(0, t));
    if (tooFew.ok && verifyThresholdSignature(group, MESSAGE, tooFew.value.signature)) {
      return { invariant: "ThresholdSigning", message: `t = ${t} shares produced a valid group signature` };
    }
  }
  return undefined;
}
