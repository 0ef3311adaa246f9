import type { NodeId } from "@synod/core";
import { toHex } from "../bytes.js";
import type { CryptoProvider } from "../provider.js";
import { statementBytes } from "../statement.js";
import type { DkgKeys } from "./dkg-keys.js";
import { constantAllowed, rosterOf, type DkgMode, type DkgRoster } from "./dkg-mode.js";
import { dealBodyCodec, type CompleteDealing, type DkgValue } from "./dkg-messages.js";
import { commitmentsWellFormed, decodeShare, shareMatches } from "./feldman.js";

/** What checking a dealing or a value needs: the run's members, t, mode and everyone's signing keys. */
export interface DealingRules {
  readonly members: readonly NodeId[];
  readonly t: number;
  readonly mode: DkgMode;
  readonly keys: DkgKeys;
}

/** @returns the digest a support names: SHA-256 of the dealer's encoded commitments */
export function commitmentsDigest(provider: CryptoProvider, commitments: readonly Uint8Array[]): Uint8Array {
  return provider.sha256(dealBodyCodec.encode({ commitments: [...commitments] }));
}

/** @returns the bytes a receiver signs to support `dealer`'s commitments with `digest` (its share matched them) */
export function supportStatement(dealer: NodeId, digest: Uint8Array): Uint8Array {
  return statementBytes("synod/dkg/support/v1", dealer, digest);
}

/** @returns the least number of qualified dealers a value must have: t+1, and in a reshare the previous threshold */
export function minimumQualified(rules: DealingRules): number {
  return Math.max(rules.t + 1, rules.mode.kind === "reshare" ? rules.mode.previous.threshold : 0);
}

/**
 * Why a dealing is not complete, or undefined when it is. A dealing is **complete** when: its dealer
 * deals in this run; it has t+1 well-formed commitments whose constant the mode allows; the dealer
 * itself signed a support of them (so they are its own); every support is a distinct member's valid
 * signature; at most t shares are revealed, each verifies against the commitments at its receiver's
 * index; and every receiver either supported or has its share revealed. So every correct receiver of
 * an agreed complete dealing holds a share that matches it (the one it checked before signing its
 * support, or the revealed one), and at most t points of the dealer's polynomial are public.
 */
export function dealingFault(rules: DealingRules, dealing: CompleteDealing): string | undefined {
  const roster = rosterOf(rules.mode, rules.members);
  const { dealer, commitments, supports, reveals } = dealing;
  if (!roster.dealers.includes(dealer)) return "not a dealer";
  if (commitments.length !== rules.t + 1 || !commitmentsWellFormed(commitments)) return "malformed commitments";
  if (!constantAllowed(rules.mode, roster, dealer, commitments[0] as Uint8Array)) return "wrong constant";
  const statement = supportStatement(dealer, commitmentsDigest(rules.keys.provider, commitments));
  const covered = new Set<NodeId>();
  for (const { signer, sig } of supports) {
    const key = rules.keys.publicKeyOf(signer);
    if (covered.has(signer) || key === undefined || !rules.keys.provider.verify(key, statement, sig)) return `bad support from ${signer}`;
    covered.add(signer);
  }
  if (!covered.has(dealer)) return "not endorsed by its dealer";
  if (reveals.length > rules.t) return "more than t shares revealed";
  for (const { receiver, share } of reveals) {
    const value = decodeShare(share);
    const index = roster.receiverIndex(receiver);
    if (covered.has(receiver) || index === 0 || value === undefined || !shareMatches(commitments, index, value)) return `bad reveal for ${receiver}`;
    covered.add(receiver);
  }
  const missing = roster.receivers.find((id) => !covered.has(id));
  return missing === undefined ? undefined : `no support or reveal for ${missing}`;
}

/**
 * Why a proposed value is not acceptable, or undefined when it is: complete dealings only, one per
 * dealer, in member order, at least {@link minimumQualified} of them. Acceptors and learners check
 * it, so a value that decides always gives every correct participant a valid share.
 */
export function valueFault(rules: DealingRules, value: DkgValue): string | undefined {
  if (value.dealings.length < minimumQualified(rules)) return `only ${value.dealings.length} dealings`;
  let previous = -1;
  for (const dealing of value.dealings) {
    const position = rules.members.indexOf(dealing.dealer);
    if (position <= previous) return "dealings out of member order";
    previous = position;
    const fault = dealingFault(rules, dealing);
    if (fault !== undefined) return `${dealing.dealer}: ${fault}`;
  }
  return undefined;
}

/** @returns the roster of the rules' run */
export function rosterOfRules(rules: DealingRules): DkgRoster {
  return rosterOf(rules.mode, rules.members);
}

/** @returns hex of the digest of a value's encoding (how votes name it) */
export function valueDigestHex(provider: CryptoProvider, encoded: Uint8Array): string {
  return toHex(provider.sha256(encoded));
}
