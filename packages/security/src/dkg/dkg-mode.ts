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
 * - `reshare`: the same group key under a new threshold t (same members) — each previous holder
 *   deals its own share (constant term = its share, checked against its share public key) and the
 *   new shares are the Lagrange combination over the qualified dealers.
 * `previous` is the group and this participant's share before the run.
 */
export type DkgMode =
  | { readonly kind: "fresh" }
  | { readonly kind: "refresh"; readonly previous: ThresholdGroup; readonly share: KeyShare }
  | { readonly kind: "reshare"; readonly previous: ThresholdGroup; readonly share: KeyShare };

/** The fresh mode. */
export const FRESH_DKG: DkgMode = Object.freeze({ kind: "fresh" });

const IDENTITY = commitScalar(0n);

/**
 * @returns whether a dealer's constant commitment is what the mode requires: anything (fresh), the
 *   identity (refresh: it shares 0), or its previous share's public key (reshare)
 */
export function constantAllowed(mode: DkgMode, members: readonly NodeId[], dealer: NodeId, constant: Uint8Array): boolean {
  if (mode.kind === "fresh") return true;
  if (mode.kind === "refresh") return equalBytes(constant, IDENTITY);
  const previous = mode.previous.sharePublicKeys[members.indexOf(dealer)];
  return previous !== undefined && equalBytes(constant, previous);
}
