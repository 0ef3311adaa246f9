import type { NodeId } from "@synod/core";
import { BLS_SCALAR_ORDER, commitScalar, encodeShare, type DkgMessage } from "@synod/security";
import type { Adversary, AdversaryContext } from "./adversary.js";
import { lockThenLie } from "./dkg-lock-then-lie.js";
import { loneLock } from "./dkg-lone-lock.js";
import { equivocateVotes, lieLocks, splitDealing } from "./dkg-voter-strategies.js";

/** DKG-aware Byzantine dealer strategies (see {@link createDkgAdversary}). */
export const DKG_DEALER_STRATEGIES = [
  "silent",
  "bad-share",
  "bad-share-justified",
  "inconsistent-commitments",
  "equivocate",
  "split-dealing",
  "silent-forever",
] as const;

/** Byzantine voter strategies against the agreement on the qualified set (`dkg-voter-strategies.ts`). */
export const DKG_VOTER_STRATEGIES = ["equivocate-votes", "lie-locks"] as const;

/** Every DKG strategy, dealers' and voters' (drawn uniformly per faulty participant). */
export const DKG_STRATEGIES = [...DKG_DEALER_STRATEGIES, ...DKG_VOTER_STRATEGIES] as const;

/** DKG strategies aimed at one window: never drawn, only run when named (`--strategy`; `dkg-lone-lock.ts`, `dkg-lock-then-lie.ts`). */
export const DKG_TARGETED_STRATEGIES = ["lone-lock", "lock-then-lie"] as const;

/** One of {@link DKG_STRATEGIES} or {@link DKG_TARGETED_STRATEGIES}. */
export type DkgStrategy = (typeof DKG_STRATEGIES)[number] | (typeof DKG_TARGETED_STRATEGIES)[number];

function corruptShare(ctx: AdversaryContext<DkgMessage>): Uint8Array {
  return encodeShare((BigInt(ctx.rng.nextU32()) + 1n) % BLS_SCALAR_ORDER);
}

/**
 * Build a DKG-aware Byzantine strategy for one faulty participant. It signs only with its own key.
 * The dealer strategies below (and `split-dealing`) alter only what it sends as a dealer (deals and
 * reveals), until healing; the voter strategies (`equivocate-votes`, `lie-locks`) lie in the
 * agreement (see `dkg-voter-strategies.ts`).
 * - `silent`: nothing leaves the participant (no deal, no support, no vote), until healing.
 * - `silent-forever`: the same for the whole run, healing included (a member that never speaks
 *   again): the others must decide without its supports, so liveness is checked against it.
 * - `bad-share`: participants at odd member positions get a wrong share, and its reveals are wrong
 *   too (its dealing completes only in a value it proposes itself, which carries the true reveals).
 * - `bad-share-justified`: the same wrong shares, but honest reveals (it completes when at most t
 *   receivers were lied to, and they use the revealed shares).
 * - `inconsistent-commitments`: everyone gets the same commitments, to another polynomial than the shares'.
 * - `equivocate`: participants at even positions get its real commitments, the others other ones.
 */
export function createDkgAdversary(strategy: DkgStrategy, faulty: readonly NodeId[] = []): Adversary<DkgMessage> {
  if (strategy === "equivocate-votes") return equivocateVotes();
  if (strategy === "lie-locks") return lieLocks();
  if (strategy === "lone-lock") return loneLock();
  if (strategy === "lock-then-lie") return lockThenLie(faulty);
  if (strategy === "split-dealing") return splitDealing();
  if (strategy === "silent-forever") return { name: strategy, permanent: true, onSend() {} };
  let fakeCommitments: Uint8Array[] | undefined;
  const fakeReveals = new Map<string, Uint8Array>();
  return {
    name: strategy,
    onSend(e, ctx) {
      const odd = ctx.members.indexOf(e.to) % 2 === 1;
      const message = e.message;
      if (strategy === "silent") return;
      const badShares = strategy === "bad-share" || strategy === "bad-share-justified";
      if (message.type === "deal") {
        const share = badShares && odd && message.share !== undefined ? corruptShare(ctx) : message.share;
        const fake = strategy === "inconsistent-commitments" || (strategy === "equivocate" && odd);
        fakeCommitments ??= message.commitments.map(() => commitScalar(BigInt(ctx.rng.nextU32()) + 1n));
        return ctx.emit(e.to, { ...message, share, commitments: fake ? fakeCommitments : message.commitments });
      }
      if (strategy === "bad-share" && message.type === "reveal") {
        // One consistent lie per receiver (another one to each participant would only be ignored: the first reveal counts).
        const shares = message.shares.map(({ receiver }) => {
          if (!fakeReveals.has(receiver)) fakeReveals.set(receiver, encodeShare(BigInt(ctx.rng.nextU32()) + 7n));
          return { receiver, share: fakeReveals.get(receiver) as Uint8Array };
        });
        return ctx.emit(e.to, { ...message, shares });
      }
      ctx.emit(e.to, message);
    },
  };
}
