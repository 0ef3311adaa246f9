import type { Adversary, AdversaryContext } from "./adversary.js";
import type { Envelope } from "@synod/core";

/**
 * Terms a forged message may claim: the top of the exact integers (where `term + 1` stops being
 * exact), round powers of two far above any real term, and small leaps that a node must accept
 * (they may be true).
 */
export const FORGED_TERMS: readonly ((term: number) => number)[] = [
  () => Number.MAX_SAFE_INTEGER,
  () => Number.MAX_SAFE_INTEGER - 1,
  () => 2 ** 52,
  () => 2 ** 48,
  () => 2 ** 40,
  () => 2 ** 32,
  (term) => term + 2 ** 20,
  (term) => term + 1,
];

function termOf(message: unknown): number | undefined {
  if (typeof message !== "object" || message === null || !("term" in message)) return undefined;
  const term = (message as { term: unknown }).term;
  return typeof term === "number" ? term : undefined;
}

/**
 * The `huge-term` adversary: a member that sends every message it means to, and after each one that
 * carries a numeric `term` a copy claiming a far higher term (drawn from {@link FORGED_TERMS}). Each
 * copy is a well-formed message from a member, so it passes the codec unless the protocol bounds its
 * terms. One such message once froze a healthy Raft cluster for good (issue 15): this keeps it found.
 * Messages without a `term` field pass unchanged.
 * @returns a fresh adversary
 */
export function hugeTermAdversary<M>(): Adversary<M> {
  return {
    name: "huge-term",
    onSend(e: Envelope<M>, ctx: AdversaryContext<M>): void {
      ctx.emit(e.to, e.message);
      const term = termOf(e.message);
      if (term === undefined) return;
      const claim = (FORGED_TERMS[ctx.rng.int(0, FORGED_TERMS.length)] as (term: number) => number)(term);
      ctx.emit(e.to, { ...e.message, term: claim } as M);
    },
  };
}
