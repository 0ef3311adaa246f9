import { MAX_PROPOSED_INDEX, MAX_TERM, MAX_TERM_LEAP } from "./limits.js";
import type { RejectReason } from "./metrics.js";

/**
 * The term-ceiling rule: a peer's message may raise this node's term only to a value it could
 * still campaign above, and only by a bounded step. A term above {@link MAX_TERM} is malformed; a
 * term more than {@link MAX_TERM_LEAP} above ours is a `term-leap` (both are counted and dropped).
 * So no single message, however well-formed, can take a cluster to the ceiling where elections stop.
 * @param ownTerm - this node's current term
 * @param claimed - the term the message carries
 * @returns why the claim must be dropped, or undefined when it may be handled
 */
export function termClaimRejection(ownTerm: number, claimed: number): RejectReason | undefined {
  if (claimed > MAX_TERM) return "malformed";
  if (claimed - ownTerm > MAX_TERM_LEAP) return "term-leap";
  return undefined;
}

/**
 * @returns whether a node at `term` may start a (pre-)campaign: the term it would ask for must not
 * exceed {@link MAX_TERM}. At the ceiling a node stays a follower and raises an alarm instead.
 */
export function canCampaignAbove(term: number): boolean {
  return term < MAX_TERM;
}

/** The alarm a node raises once when it reaches {@link MAX_TERM} and can no longer campaign. */
export function termCeilingAlarm(id: string): string {
  return `${id} is at the term ceiling ${MAX_TERM} and will not campaign: no correct cluster gets here (it takes 2^24 forged messages); replace the cluster's storage`;
}

/** @returns whether a leader may append `count` more proposed entries after `lastIndex` (else it refuses "log-full") */
export function logHasRoom(lastIndex: number, count: number): boolean {
  return lastIndex + count <= MAX_PROPOSED_INDEX;
}
