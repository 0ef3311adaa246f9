import type { NodeId } from "@synod/core";
import {
  BLS_SCALAR_ORDER,
  commitScalar,
  dealBodyCodec,
  dkgSimulationKeys,
  encodeShare,
  itemDigestBytes,
  justificationBodyCodec,
  type DkgItem,
  type DkgMessage,
  type DkgPhase,
} from "@synod/security";
import type { Adversary, AdversaryContext } from "./adversary.js";

/** DKG-aware Byzantine dealer strategies (see {@link createDkgAdversary}). */
export const DKG_STRATEGIES = ["silent", "bad-share", "bad-share-justified", "inconsistent-commitments", "equivocate"] as const;

/** One of {@link DKG_STRATEGIES}. */
export type DkgStrategy = (typeof DKG_STRATEGIES)[number];

/** Re-sign an item as its origin, the faulty participant (it holds its own key and nobody else's). */
function ownItem(from: NodeId, phase: DkgPhase, body: Uint8Array): DkgItem {
  const { provider } = dkgSimulationKeys;
  const sig = provider.sign(dkgSimulationKeys.secretKeyOf(from), itemDigestBytes(phase, from, body));
  return { type: "item", phase, origin: from, body, chain: [{ signer: from, sig }] };
}

/** A commitment vector of the same length as `body`'s, to a random polynomial. */
function otherCommitments(body: Uint8Array, ctx: AdversaryContext<DkgMessage>): Uint8Array {
  const decoded = dealBodyCodec.decode(body);
  const length = decoded.ok ? decoded.value.commitments.length : 1;
  return dealBodyCodec.encode({ commitments: Array.from({ length }, () => commitScalar(BigInt(ctx.rng.nextU32()) + 1n)) });
}

function isOwnItem(from: NodeId, message: DkgMessage, phase: DkgPhase): message is DkgItem {
  return message.type === "item" && message.origin === from && message.phase === phase && message.chain.length === 1;
}

function corruptShare(ctx: AdversaryContext<DkgMessage>): DkgMessage {
  return { type: "share", value: encodeShare((BigInt(ctx.rng.nextU32()) + 1n) % BLS_SCALAR_ORDER) };
}

/**
 * Build a DKG-aware Byzantine strategy for one faulty dealer. It signs only with its own key.
 * - `silent`: nothing leaves the participant (no deal, no relay, no answer).
 * - `bad-share`: participants at odd member positions get a wrong share, and its justifications
 *   reveal wrong shares too (it must be disqualified).
 * - `bad-share-justified`: the same wrong shares, but honest justifications (complaints are resolved;
 *   it stays qualified and the complainers use the revealed shares).
 * - `inconsistent-commitments`: everyone gets the same commitments, to another polynomial than the shares'.
 * - `equivocate`: participants at even positions get its real commitments, the others other ones, both signed.
 */
export function createDkgAdversary(strategy: DkgStrategy): Adversary<DkgMessage> {
  let fakeDeal: Uint8Array | undefined;
  const fakeAnswers = new Map<NodeId, DkgItem>();
  return {
    name: strategy,
    onSend(e, ctx) {
      const odd = ctx.members.indexOf(e.to) % 2 === 1;
      const message = e.message;
      if (strategy === "silent") return;
      const badShares = strategy === "bad-share" || strategy === "bad-share-justified";
      if (badShares && message.type === "share" && odd) return ctx.emit(e.to, corruptShare(ctx));
      if (strategy === "bad-share" && isOwnItem(e.from, message, 2)) {
        // One consistent lie per complainer (sending each participant another one would be caught as two answers).
        const decoded = justificationBodyCodec.decode(message.body);
        if (decoded.ok) {
          const complainer = decoded.value.complainer;
          if (!fakeAnswers.has(complainer)) {
            const share = encodeShare(BigInt(ctx.rng.nextU32()) + 7n);
            fakeAnswers.set(complainer, ownItem(e.from, 2, justificationBodyCodec.encode({ complainer, share })));
          }
          return ctx.emit(e.to, fakeAnswers.get(complainer) as DkgItem);
        }
      }
      if ((strategy === "inconsistent-commitments" || (strategy === "equivocate" && odd)) && isOwnItem(e.from, message, 0)) {
        fakeDeal ??= otherCommitments(message.body, ctx);
        return ctx.emit(e.to, ownItem(e.from, 0, fakeDeal));
      }
      ctx.emit(e.to, message);
    },
  };
}
