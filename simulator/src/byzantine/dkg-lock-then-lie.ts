import type { NodeId } from "@synod/core";
import { agreementQuorum, defaultDkgFaults, dkgThreshold, type DkgMessage, type DkgValue } from "@synod/security";
import type { Adversary } from "./adversary.js";

/** The same dealings with one dealing's supports in reverse order: another digest, the same dealers (what every member requires, it names). */
export function reordered(value: DkgValue): DkgValue {
  const index = value.dealings.findIndex((d) => d.supports.length > 1);
  return { dealings: value.dealings.map((d, i) => (i === index ? { ...d, supports: [...d.supports].reverse() } : d)) };
}

/**
 * `lock-then-lie` (aimed, never drawn, for colluders: `--byzantine 2 --strategy lock-then-lie` on 7
 * participants): a lock nobody decided, then a leader that overrides it. As the leader of view 0 a
 * colluder acts as `lone-lock` on the correct members only — its proposal to the Q − 1 correct
 * members after it, its prepare to the first of them (locked: Q prepares), its commit to nobody —
 * so one correct member is locked and nobody decides (the other colluders, not shown the proposal,
 * do not vote for it). As the leader of a later view, when its justification holds a prepared
 * certificate, a colluder proposes the bound value with its dealings' supports reordered: the same
 * dealers (a member that accepts it freely would), another digest, the justification kept. Correct
 * members must refuse it (PreparesBound fails on a prepare of it). Both roles meet when the leaders
 * of views 0 and 1 are the two colluders: about one seed in 21.
 * @param faulty - every faulty participant of the run
 */
export function lockThenLie(faulty: readonly NodeId[]): Adversary<DkgMessage> {
  let shown: ReadonlySet<NodeId> | undefined;
  let lockedMember: NodeId | undefined;
  return {
    name: "lock-then-lie",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "propose" && m.view === 0 && shown === undefined) {
        const n = ctx.members.length;
        const quorum = agreementQuorum(n, defaultDkgFaults(n, dkgThreshold(n)));
        const at = ctx.members.indexOf(ctx.self);
        const after = [...ctx.members.slice(at + 1), ...ctx.members.slice(0, at)].filter((id) => !faulty.includes(id)).slice(0, quorum - 1);
        lockedMember = after[0];
        shown = new Set(after);
      }
      if (shown !== undefined && "view" in m && m.view === 0) {
        if (m.type === "propose" && !shown.has(e.to)) return;
        if (m.type === "prepare" && e.to !== lockedMember) return;
        if (m.type === "commit") return;
      }
      const overLock = m.type === "propose" && m.view > 0 && m.justification.some((vc) => vc.prepared !== undefined);
      ctx.emit(e.to, overLock ? { ...m, value: reordered(m.value) } : m);
    },
  };
}
