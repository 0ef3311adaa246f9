import type { NodeId } from "@synod/core";
import { fromHex, toHex } from "../bytes.js";
import { blsSecretKeyFromScalar, blsSecretScalar } from "../bls.js";
import { lagrangeCoefficientsAtZero, type KeyShare, type ThresholdGroup } from "../threshold.js";
import { constantAllowed, FRESH_DKG, rosterOf, type DkgMode, type DkgRoster } from "./dkg-mode.js";
import { complaintBodyCodec, dealBodyCodec, justificationBodyCodec } from "./dkg-messages.js";
import type { AcceptedItem } from "./dolev-strong.js";
import { addScalars, commitmentBytesAt, commitmentsWellFormed, decodeShare, mulScalars, shareMatches } from "./feldman.js";
import { sumCommitments, weightedSumCommitments } from "./feldman.js";

/** Why a dealer was left out of the qualified set. */
export type Disqualification =
  | "silent"
  | "equivocated"
  | "malformed-commitments"
  | "wrong-constant"
  | "too-many-complaints"
  | "unanswered-complaint"
  | "bad-justification";

/** The agreed inputs of the decision: the three phases' accepted items (identical at every correct participant). */
export interface DkgTranscript {
  readonly deals: readonly AcceptedItem[];
  readonly complaints: readonly AcceptedItem[];
  readonly justifications: readonly AcceptedItem[];
}

/** What one participant ends the DKG with. */
export interface DkgOutcome {
  /** The qualified dealers, in member order. */
  readonly qual: readonly NodeId[];
  /** Dealers left out, and why. */
  readonly disqualified: ReadonlyMap<NodeId, Disqualification>;
  /** The group: any `threshold` (= t+1) shares sign for `groupPublicKey`. */
  readonly group: ThresholdGroup;
  /** This participant's share (index = member position + 1); undefined if it lacks a qualified dealer's share. */
  readonly share: KeyShare | undefined;
}

/**
 * The agreed commitment vector of each dealer: exactly one well-formed vector of t+1 commitments.
 * @returns the vectors of dealers that have one, and why the others have none
 */
export function agreedCommitments(
  members: readonly NodeId[],
  t: number,
  deals: readonly AcceptedItem[],
  mode: DkgMode = FRESH_DKG,
): { commitments: Map<NodeId, Uint8Array[]>; disqualified: Map<NodeId, Disqualification> } {
  const byDealer = new Map<NodeId, Map<string, Uint8Array[] | undefined>>();
  for (const { origin, body } of deals) {
    const decoded = dealBodyCodec.decode(body);
    const wellFormed = decoded.ok && decoded.value.commitments.length === t + 1 && commitmentsWellFormed(decoded.value.commitments);
    const vector = wellFormed ? decoded.value.commitments : undefined;
    const seen = byDealer.get(origin) ?? new Map<string, Uint8Array[] | undefined>();
    seen.set(toHex(body), vector);
    byDealer.set(origin, seen);
  }
  const commitments = new Map<NodeId, Uint8Array[]>();
  const disqualified = new Map<NodeId, Disqualification>();
  const roster = rosterOf(mode, members);
  for (const dealer of roster.dealers) {
    const versions = [...(byDealer.get(dealer)?.values() ?? [])];
    if (versions.length === 0) disqualified.set(dealer, "silent");
    else if (versions.length > 1) disqualified.set(dealer, "equivocated");
    else if (versions[0] === undefined) disqualified.set(dealer, "malformed-commitments");
    else if (!constantAllowed(mode, roster, dealer, versions[0][0] as Uint8Array)) disqualified.set(dealer, "wrong-constant");
    else commitments.set(dealer, versions[0]);
  }
  return { commitments, disqualified };
}

/** @returns the complainers against each dealer (receivers against dealers only, once each) */
function complaintsAgainst(roster: DkgRoster, complaints: readonly AcceptedItem[]): Map<NodeId, Set<NodeId>> {
  const against = new Map<NodeId, Set<NodeId>>();
  for (const { origin, body } of complaints) {
    const decoded = complaintBodyCodec.decode(body);
    if (!decoded.ok || !roster.dealers.includes(decoded.value.accused) || roster.receiverIndex(origin) === 0) continue;
    const set = against.get(decoded.value.accused) ?? new Set<NodeId>();
    set.add(origin);
    against.set(decoded.value.accused, set);
  }
  return against;
}

/** @returns the distinct shares each dealer revealed for each complainer, keyed `dealer complainer` */
function revealedShares(justifications: readonly AcceptedItem[]): Map<string, Set<string>> {
  const revealed = new Map<string, Set<string>>();
  for (const { origin, body } of justifications) {
    const decoded = justificationBodyCodec.decode(body);
    if (!decoded.ok) continue;
    const key = `${origin} ${decoded.value.complainer}`;
    const set = revealed.get(key) ?? new Set<string>();
    set.add(toHex(decoded.value.share));
    revealed.set(key, set);
  }
  return revealed;
}

/**
 * Decide the DKG (Pedersen's Joint-Feldman rules, as in Gennaro et al.'s "DKG" of 1999/2007 without
 * its Pedersen-commitment phase): a dealer qualifies when it broadcast exactly one well-formed
 * commitment vector, drew at most t complaints, and answered every complaint with one revealed share
 * that matches its commitments. The group key is the sum of the qualified dealers' constant
 * commitments; a participant's share is the sum of the qualified dealers' shares for it (the
 * revealed one where it complained). Pure function of the agreed transcript and the private shares,
 * so every correct participant computes the same qualified set and group.
 * @param privateShares - the share each dealer sent this participant privately, decoded
 */
export function decideDkg(
  members: readonly NodeId[],
  t: number,
  self: NodeId,
  transcript: DkgTranscript,
  privateShares: ReadonlyMap<NodeId, bigint>,
  mode: DkgMode = FRESH_DKG,
): DkgOutcome {
  const { commitments, disqualified } = agreedCommitments(members, t, transcript.deals, mode);
  const roster = rosterOf(mode, members);
  const against = complaintsAgainst(roster, transcript.complaints);
  const revealed = revealedShares(transcript.justifications);
  const ownShares = new Map<NodeId, bigint | undefined>();
  for (const [dealer, vector] of commitments) {
    const complainers = against.get(dealer) ?? new Set<NodeId>();
    if (complainers.size > t) {
      disqualified.set(dealer, "too-many-complaints");
      continue;
    }
    let verdict: Disqualification | undefined;
    for (const complainer of complainers) {
      const values = [...(revealed.get(`${dealer} ${complainer}`) ?? [])];
      const share = values.length === 1 ? decodeShare(fromHex(values[0] as string)) : undefined;
      if (values.length === 0) verdict = "unanswered-complaint";
      else if (share === undefined || values.length > 1 || !shareMatches(vector, roster.receiverIndex(complainer), share)) verdict = "bad-justification";
      else if (complainer === self) ownShares.set(dealer, share);
      if (verdict !== undefined) break;
    }
    if (verdict !== undefined) disqualified.set(dealer, verdict);
    else if (!ownShares.has(dealer)) ownShares.set(dealer, privateShares.get(dealer));
  }
  const qual = roster.dealers.filter((id) => commitments.has(id) && !disqualified.has(id));
  const { group, share } = combineQualified(roster, t, self, qual, commitments, ownShares, mode);
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
