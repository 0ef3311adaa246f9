import type { NodeId } from "@synod/core";
import { commitStatement, dkgSimulationKeys, dkgValueCodec, prepareStatement, toHex, viewChangeStatement } from "@synod/security";
import type { DkgMessage, DkgValue } from "@synod/security";
import type { Adversary, AdversaryContext } from "./adversary.js";

// Byzantine *voters* of the DKG's agreement on the qualified set (single-shot PBFT, quorums
// ⌈(n+f+1)/2⌉). Each signs with the faulty participant's own key only; the honest code of the
// faulty participant still runs underneath (its deals and supports pass unchanged).

type Propose = DkgMessage & { readonly type: "propose" };

const keys = dkgSimulationKeys;
const digestOf = (value: DkgValue): Uint8Array => keys.provider.sha256(dkgValueCodec.encode(value));

/** Sign and send a prepare and a commit of `value` in `view` to everyone but `self`. */
function voteForEverything(ctx: AdversaryContext<DkgMessage>, view: number, value: DkgValue, voted: Set<string>): void {
  const digest = digestOf(value);
  const id = `${view} ${toHex(digest)}`;
  if (voted.has(id)) return;
  voted.add(id);
  const secret = keys.secretKeyOf(ctx.self);
  const prepare: DkgMessage = { type: "prepare", view, digest, sig: keys.provider.sign(secret, prepareStatement(view, digest)) };
  const commit: DkgMessage = { type: "commit", view, digest, sig: keys.provider.sign(secret, commitStatement(view, digest)) };
  for (const to of ctx.members) {
    if (to === ctx.self) continue;
    ctx.emit(to, prepare);
    ctx.emit(to, commit);
  }
}

/**
 * Another valid value than `value`, for an equivocating leader: without the faulty participant's
 * own dealing when the rest still qualifies (a different qualified set, shown only to members it
 * also told it withdrew, so they do not require its dealing), else the same dealings with one
 * dealing's supports reversed (the same qualified set, another digest).
 * @returns the value, and whether it drops the faulty participant's dealing
 */
export function otherValue(value: DkgValue, self: NodeId): { value: DkgValue; withoutSelf: boolean } {
  const rest = value.dealings.filter((d) => d.dealer !== self);
  if (rest.length < value.dealings.length && rest.length >= 2) return { value: { dealings: rest }, withoutSelf: true };
  const index = value.dealings.findIndex((d) => d.supports.length > 1);
  const dealings = value.dealings.map((d, i) => (i === index ? { ...d, supports: [...d.supports].reverse() } : d));
  return { value: { dealings }, withoutSelf: false };
}

/**
 * `equivocate-votes`: signs a prepare and a commit for every proposal it hears of, in every view
 * (two values in one view when a leader equivocates), and as a leader sends members at odd
 * positions another valid value than the others ({@link otherValue}) — one proposal, two values.
 * Agreement holds only while prepare and commit quorums intersect in a correct member.
 */
export function equivocateVotes(): Adversary<DkgMessage> {
  const voted = new Set<string>();
  return {
    name: "equivocate-votes",
    onReceive(_from, message, ctx) {
      if (message.type === "propose") voteForEverything(ctx, message.view, message.value, voted);
    },
    onSend(e, ctx) {
      const m = e.message;
      if (m.type !== "propose" || ctx.members.indexOf(e.to) % 2 === 0) return ctx.emit(e.to, m);
      const other = otherValue(m.value, ctx.self);
      if (other.withoutSelf) ctx.emit(e.to, { type: "withdrawn" });
      ctx.emit(e.to, { ...m, value: other.value });
      voteForEverything(ctx, m.view, m.value, voted);
      voteForEverything(ctx, m.view, other.value, voted);
    },
  };
}

/**
 * `lie-locks`: every view-change it sends claims no lock (re-signed), and as the leader of a view
 * after the first it proposes another value than the one its justification binds (a value it saw
 * proposed earlier, else {@link otherValue}), keeping the justification; it votes for everything
 * it proposes or hears proposed. Correct members must check that a justified proposal carries the
 * value of the highest prepared certificate among its view-changes.
 */
export function lieLocks(): Adversary<DkgMessage> {
  const voted = new Set<string>();
  const seen = new Map<string, DkgValue>();
  const remember = (value: DkgValue): void => void seen.set(toHex(digestOf(value)), value);
  const swap = (m: Propose, self: NodeId): DkgValue => {
    const own = toHex(digestOf(m.value));
    for (const [hex, value] of seen) if (hex !== own) return value;
    return otherValue(m.value, self).value;
  };
  return {
    name: "lie-locks",
    onReceive(_from, message, ctx) {
      if (message.type !== "propose") return;
      remember(message.value);
      voteForEverything(ctx, message.view, message.value, voted);
    },
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "viewChange") {
        const sig = keys.provider.sign(keys.secretKeyOf(ctx.self), viewChangeStatement(m.view, undefined));
        return ctx.emit(e.to, { type: "viewChange", view: m.view, sig });
      }
      if (m.type !== "propose" || m.view === 0) {
        if (m.type === "propose") remember(m.value);
        return ctx.emit(e.to, m);
      }
      const value = swap(m, ctx.self);
      ctx.emit(e.to, { ...m, value });
      voteForEverything(ctx, m.view, value, voted);
    },
  };
}

/**
 * `split-dealing`: a dealer whose dealing reaches only some members inside the agreement window —
 * its deal never reaches the member after it (in member order), and its reveal of that member's
 * share reaches members at even positions only. So its dealing is complete at some members and
 * not at others, and leaders of successive views propose different qualified sets.
 */
export function splitDealing(): Adversary<DkgMessage> {
  return {
    name: "split-dealing",
    onSend(e, ctx) {
      const m = e.message;
      const skipped = ctx.members[(ctx.members.indexOf(ctx.self) + 1) % ctx.members.length];
      if (m.type === "deal" && e.to === skipped) return;
      if (m.type === "reveal" && ctx.members.indexOf(e.to) % 2 === 1) return;
      ctx.emit(e.to, m);
    },
  };
}
