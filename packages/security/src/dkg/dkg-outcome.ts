import type { NodeId } from "@synod/core";
import { toHex } from "../bytes.js";
import { blsSecretKeyFromScalar, blsSecretScalar } from "../bls.js";
import { lagrangeCoefficientsAtZero, type KeyShare, type ThresholdGroup } from "../threshold.js";
import { commitmentsDigest, type DealingRules } from "./complete-dealing.js";
import { rosterOf, type DkgMode, type DkgRoster } from "./dkg-mode.js";
import type { DkgValue } from "./dkg-messages.js";
import { addScalars, commitmentBytesAt, decodeShare, mulScalars } from "./feldman.js";
import { sumCommitments, weightedSumCommitments } from "./feldman.js";

/**
 * Why a dealer was left out of the qualified set: its dealing was not complete (see
 * `complete-dealing.ts`) in the value the participants agreed on — it was silent or withdrew, its
 * shares failed its commitments for more than t receivers and it did not reveal them correctly, its
 * commitments were malformed or equivocated, or it was still incomplete when the exclusion timeout passed.
 */
export type Disqualification = "incomplete";

/** What one participant ends the DKG with. */
export interface DkgOutcome {
  /** The qualified dealers, in member order. */
  readonly qual: readonly NodeId[];
  /** Dealers left out, and why. */
  readonly disqualified: ReadonlyMap<NodeId, Disqualification>;
  /** The group: any `threshold` (= t+1) shares sign for `groupPublicKey`. */
  readonly group: ThresholdGroup;
  /** This participant's share (index = receiver position + 1); undefined if it lacks a qualified dealer's share. */
  readonly share: KeyShare | undefined;
}

/** A share a dealer sent this participant privately, and the digest of the commitments it matched. */
export interface PrivateShare {
  readonly digest: string;
  readonly value: bigint;
}

/**
 * Decide the DKG from the agreed value: the qualified set is its dealers; the group commitments are
 * the sum of theirs (so the group key is the sum of their constant commitments); this
 * participant's share is the sum of its shares from them — the revealed one where the value has
 * one, else the private share it supported. A pure function of the agreed value and the private
 * shares, so every correct participant computes the same qualified set and group.
 * @param privateShares - the share each dealer sent this participant privately, checked against those commitments
 */
export function decideDkg(rules: DealingRules, self: NodeId, value: DkgValue, privateShares: ReadonlyMap<NodeId, PrivateShare>): DkgOutcome {
  const roster = rosterOf(rules.mode, rules.members);
  const commitments = new Map<NodeId, Uint8Array[]>();
  const ownShares = new Map<NodeId, bigint | undefined>();
  for (const dealing of value.dealings) {
    commitments.set(dealing.dealer, dealing.commitments);
    const revealed = dealing.reveals.find((r) => r.receiver === self);
    const own = privateShares.get(dealing.dealer);
    const digest = toHex(commitmentsDigest(rules.keys.provider, dealing.commitments));
    ownShares.set(dealing.dealer, revealed !== undefined ? decodeShare(revealed.share) : own?.digest === digest ? own.value : undefined);
  }
  const qual = value.dealings.map((d) => d.dealer);
  const disqualified = new Map<NodeId, Disqualification>(roster.dealers.filter((id) => !commitments.has(id)).map((id) => [id, "incomplete"]));
  const { group, share } = combineQualified(roster, rules.t, self, qual, commitments, ownShares, rules.mode);
  return { qual, disqualified, group, share };
}

/**
 * The group and this participant's share from the qualified dealers' commitments and shares: their
 * sums (fresh), added to the previous sharing (refresh), or their Lagrange combination at 0 over the
 * qualified dealers' indices (reshare; fewer qualified dealers than the previous threshold leave no share).
 */
function combineQualified(
  roster: DkgRoster,
  t: number,
  self: NodeId,
  qual: readonly NodeId[],
  commitments: ReadonlyMap<NodeId, Uint8Array[]>,
  ownShares: ReadonlyMap<NodeId, bigint | undefined>,
  mode: DkgMode,
): { group: ThresholdGroup; share: KeyShare | undefined } {
  const vectors = qual.map((id) => commitments.get(id) as Uint8Array[]);
  const values = qual.map((id) => ownShares.get(id));
  let weights = qual.map(() => 1n);
  let groupCommitments: Uint8Array[];
  let base = 0n;
  if (mode.kind === "reshare") {
    const enough = qual.length >= mode.previous.threshold;
    weights = enough ? lagrangeCoefficientsAtZero(qual.map((id) => roster.dealerIndex(id))) : qual.map(() => 0n);
    groupCommitments = enough ? weightedSumCommitments(vectors, weights) : sumCommitments(vectors);
  } else if (mode.kind === "refresh") {
    groupCommitments = sumCommitments([mode.previous.commitments, ...vectors]);
    base = blsSecretScalar(mode.share.secretKey);
  } else groupCommitments = sumCommitments(vectors);
  const group: ThresholdGroup = {
    threshold: t + 1,
    size: roster.receivers.length,
    groupPublicKey: groupCommitments[0] as Uint8Array,
    sharePublicKeys: roster.receivers.map((_, position) => commitmentBytesAt(groupCommitments, position + 1)),
    commitments: groupCommitments,
  };
  let sum: bigint | undefined = base;
  for (let i = 0; i < values.length && sum !== undefined; i++) {
    const value = values[i];
    sum = value === undefined ? undefined : addScalars(sum, mulScalars(value, weights[i] as bigint));
  }
  const index = roster.receiverIndex(self);
  if (index === 0 || sum === undefined || sum === 0n || (mode.kind === "reshare" && qual.length < mode.previous.threshold)) return { group, share: undefined };
  return { group, share: { index, secretKey: blsSecretKeyFromScalar(sum) } };
}
