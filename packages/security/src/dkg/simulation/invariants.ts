import type { Invariant } from "@synod/core";
import { equalBytes, toHex } from "../../bytes.js";
import { combinePartialSignatures, signShare, verifyKeyShare, verifyThresholdSignature, type KeyShare } from "../../threshold.js";
import type { DkgMessage, DkgRecord } from "../dkg-messages.js";
import type { DkgNode, DkgOutput } from "../dkg-node.js";
import { correctParticipants } from "./correct-participants.js";

/** The invariant type of the DKG simulation target. */
export type DkgInvariant = Invariant<DkgNode, DkgMessage, DkgOutput, DkgRecord, never, never>;

/**
 * The safety properties checked at the end of every run, for the correct participants: DkgAgreement
 * when at most f are Byzantine, the others when also at most t are faulty in all.
 */
export const DKG_INVARIANT_NAMES = ["DkgAgreement", "HonestDealersQualified", "ShareValidity", "ThresholdSigning", "RevealsBounded"] as const;

const MESSAGE = new TextEncoder().encode("synod/dkg/sim/threshold-check");

/**
 * DkgAgreement: every correct participant that decided holds the same qualified set and group key
 * (and decided the same value: the agreement's own promise, stronger than the DKG's);
 * HonestDealersQualified: every correct participant is a qualified dealer (a correct dealer is never disqualified);
 * ShareValidity: every correct participant's share verifies against the group's commitments;
 * ThresholdSigning: t+1 correct shares combine into a signature valid under the group key, and t
 * shares interpolated as if they were enough do not;
 * RevealsBounded (checked on every run, whatever the faults): no correct dealer revealed more than
 * t−f shares, so the f Byzantine members know at most t points of its polynomial (its own f plus the revealed ones).
 */
export function dkgSafety(): DkgInvariant {
  return {
    name: "DkgSafety",
    covers: DKG_INVARIANT_NAMES,
    atEnd(view) {
      const { nodes, t, faults, withinBudget, agreementWithinBudget } = correctParticipants(view);
      const overRevealed = nodes.find((node) => node.revealedShares > t - faults);
      if (overRevealed !== undefined) {
        const count = overRevealed.revealedShares;
        return { invariant: "RevealsBounded", message: `correct dealer ${overRevealed.id} revealed ${count} shares > t−f = ${t - faults}` };
      }
      if (!agreementWithinBudget) return undefined; // more than f Byzantine: nothing is promised (the run's metrics say so)
      const decided = nodes.filter((node) => node.outcome !== undefined);
      const first = decided[0]?.outcome;
      if (first === undefined) return undefined;
      const disagreement = agreement(decided);
      if (disagreement !== undefined || !withinBudget) return disagreement; // more than t faulty: only the agreement is promised
      for (const node of decided) {
        const outcome = node.outcome!;
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

/** DkgAgreement over the decided correct participants: one qualified set, one group key, one decided value. */
function agreement(decided: readonly DkgNode[]) {
  const first = decided[0]!;
  const a = first.outcome!;
  for (const node of decided) {
    const b = node.outcome!;
    if (b.qual.join(",") !== a.qual.join(",") || !equalBytes(b.group.groupPublicKey, a.group.groupPublicKey)) {
      const key = (o: typeof b): string => toHex(o.group.groupPublicKey).slice(0, 16);
      return { invariant: "DkgAgreement", message: `${first.id} decided QUAL [${a.qual}] key ${key(a)}, ${node.id} [${b.qual}] key ${key(b)}` };
    }
    if (node.decidedDigest !== first.decidedDigest) {
      const digests = `${first.decidedDigest.slice(0, 16)}, ${node.id} ${node.decidedDigest.slice(0, 16)}`;
      return { invariant: "DkgAgreement", message: `${first.id} decided value ${digests} (same QUAL [${a.qual}])` };
    }
  }
  return undefined;
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
