import type { NodeId } from "@synod/core";
import { equalBytes } from "../bytes.js";
import type { KeyShare, ThresholdGroup } from "../threshold.js";
import { commitScalar } from "./feldman.js";

/**
 * What a DKG run makes:
 * - `fresh`: a new group key (each dealer's constant term random);
 * - `refresh` (proactive refresh): the same group key and threshold, new shares — each dealer deals
 *   a polynomial with constant term 0 and adds it to the previous sharing; shares from before the
 *   refresh do not combine with shares from after it;
 * - `reshare`: the same group key under a new threshold t and possibly a new membership — each
 *   previous holder (`previousHolders`, in previous index order; default the members) deals its own
 *   share (constant term = its share, checked against its share public key) to the `receivers`
 *   (default the members; new indices in that order), whose new shares are the Lagrange combination
 *   over the qualified dealers. A receiver that held no previous share has no `share`.
 * `previous` is the group and this participant's share before the run.
 */
export type DkgMode =
  | { readonly kind: "fresh" }
  | { readonly kind: "refresh"; readonly previous: ThresholdGroup; readonly share: KeyShare }
  | {
      readonly kind: "reshare";
      readonly previous: ThresholdGroup;
      readonly share?: KeyShare;
      readonly previousHolders?: readonly NodeId[];
      readonly receivers?: readonly NodeId[];
    };

/** The fresh mode. */
export const FRESH_DKG: DkgMode = Object.freeze({ kind: "fresh" });

const IDENTITY = commitScalar(0n);

/**
 * @returns whether a dealer's constant commitment is what the mode requires: anything (fresh), the
 *   identity (refresh: it shares 0), or its previous share's public key (reshare)
 */
export function constantAllowed(mode: DkgMode, roster: DkgRoster, dealer: NodeId, constant: Uint8Array): boolean {
  if (mode.kind === "fresh") return true;
  if (mode.kind === "refresh") return equalBytes(constant, IDENTITY);
  const previous = mode.previous.sharePublicKeys[roster.dealerIndex(dealer) - 1];
  return previous !== undefined && equalBytes(constant, previous);
}

/** Who deals and who receives shares in a run, with their polynomial indices (1-based). */
export interface DkgRoster {
  readonly dealers: readonly NodeId[];
  readonly receivers: readonly NodeId[];
  /** The dealer's index in the previous sharing (reshare), else its member position + 1. */
  dealerIndex(id: NodeId): number;
  /** The receiver's index in the new sharing; 0 for a participant that receives nothing. */
  receiverIndex(id: NodeId): number;
}

/** @returns the roster of a run among `members` in `mode` (everyone deals and receives, except in a reshare to new members) */
export function rosterOf(mode: DkgMode, members: readonly NodeId[]): DkgRoster {
  const holders = mode.kind === "reshare" ? (mode.previousHolders ?? members) : members;
  const receivers = mode.kind === "reshare" ? (mode.receivers ?? members).filter((id) => members.includes(id)) : members;
  return {
    dealers: holders.filter((id) => members.includes(id)),
    receivers,
    dealerIndex: (id) => holders.indexOf(id) + 1,
    receiverIndex: (id) => receivers.indexOf(id) + 1,
  };
}
