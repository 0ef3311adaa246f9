import type { NodeId } from "@synod/core";
import { agreementQuorum, defaultDkgFaults, dkgThreshold, type DkgMessage } from "@synod/security";
import type { Adversary } from "./adversary.js";

/**
 * `lone-lock` (aimed, never drawn: `--strategy lone-lock`): a faulty leader that leaves one correct
 * member locked on its value in a view nobody decides — the state a new view's leader must carry
 * over (the value of the highest prepared certificate among its view-changes, not its own). In the
 * first view it leads, the faulty participant sends its proposal to the Q − 1 members after it in
 * member order only, its prepare to the first of them only (who then holds Q prepares: locked, it
 * commits) and its commit to nobody; the other Q − 2 hold Q − 1 prepares, the rest none. One commit
 * short of every quorum, no member decides; the next leader's Q view-changes carry the lock when
 * the locked member's is among them. Everything else passes, and after healing the participant is
 * correct again. It leads view 0 in about one seed of n (`chooseByzantine` draws the faulty member);
 * in the other seeds the honest leader of view 0 decides and it changes nothing.
 */
export function loneLock(): Adversary<DkgMessage> {
  let locking: number | undefined;
  let lockedMember: NodeId | undefined;
  let shown: ReadonlySet<NodeId> = new Set();
  return {
    name: "lone-lock",
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "propose" && locking === undefined) {
        const n = ctx.members.length;
        const quorum = agreementQuorum(n, defaultDkgFaults(n, dkgThreshold(n)));
        const at = ctx.members.indexOf(ctx.self);
        const after = Array.from({ length: quorum - 1 }, (_, k) => ctx.members[(at + 1 + k) % n] as NodeId);
        locking = m.view;
        lockedMember = after[0];
        shown = new Set(after);
      }
      if (locking !== undefined && "view" in m && m.view === locking) {
        if (m.type === "propose" && !shown.has(e.to)) return;
        if (m.type === "prepare" && e.to !== lockedMember) return;
        if (m.type === "commit") return;
      }
      ctx.emit(e.to, m);
    },
  };
}
