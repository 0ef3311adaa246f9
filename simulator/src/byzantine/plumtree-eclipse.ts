import type { NodeId } from "@synod/core";
import type { OverlayMessage } from "@synod/gossip";
import type { Adversary, AdversaryContext } from "./adversary.js";

/** Overlay strategies aimed at one property: never drawn, only run when named (`--strategy`). */
export const PLUMTREE_TARGETED_STRATEGIES = ["eclipse"] as const;

/** Least virtual ms between two of an eclipse attacker's unasked pushes (one tick of the simulation). */
export const ECLIPSE_PUSH_EVERY_MS = 100;

/**
 * `eclipse` (aimed, never drawn; `pnpm sim plumtree-defended --byzantine K --strategy eclipse`): the
 * faulty members collude to fill the honest members' views with their own ids (issue 19), as hard as
 * the protocol lets a member push, for the whole run (`permanent`). Their nodes run the protocol, so
 * a link they take is held at both ends; what leaves them is rewritten:
 * - every shuffle and shuffle reply carries colluders' ids only (as many as it had, at least 8);
 * - a join's walk that passes through a colluder continues with a colluder as the joiner;
 * - every neighbour request claims `high` priority (the paper's HyParView takes it even when full);
 * - at most every {@link ECLIPSE_PUSH_EVERY_MS}, on its next send, a colluder also asks 2 random
 *   honest members for a place (`high`) and sends one a shuffle of colluders' ids that ends there.
 * The defences (`basalt`, `activeDefence`) must hold them to about their share of ids of the honest
 * members' views (`EclipseBounded`), not their share of the traffic.
 * @param faulty - every faulty member of the run (the colluders)
 */
export function eclipse(faulty: readonly NodeId[]): Adversary<OverlayMessage> {
  let lastPushMs = -Infinity;
  const colluders = (ctx: AdversaryContext<OverlayMessage>, k: number): NodeId[] => ctx.rng.shuffle([...faulty]).slice(0, Math.max(k, 8));
  const honest = (ctx: AdversaryContext<OverlayMessage>): NodeId[] => ctx.members.filter((id) => !faulty.includes(id));
  return {
    name: "eclipse",
    permanent: true,
    onSend(e, ctx) {
      const m = e.message;
      if (m.type === "shuffle") ctx.emit(e.to, { ...m, nodes: colluders(ctx, m.nodes.length) });
      else if (m.type === "shuffleReply") ctx.emit(e.to, { ...m, nodes: colluders(ctx, m.nodes.length) });
      else if (m.type === "forwardJoin") ctx.emit(e.to, { ...m, joiner: ctx.rng.pick(faulty) });
      else if (m.type === "neighbor") ctx.emit(e.to, { ...m, priority: "high" });
      else ctx.emit(e.to, m);
      if (ctx.nowMs - lastPushMs < ECLIPSE_PUSH_EVERY_MS) return;
      lastPushMs = ctx.nowMs;
      const targets = honest(ctx);
      if (targets.length === 0) return;
      for (let i = 0; i < 2; i++) ctx.emit(ctx.rng.pick(targets), { type: "neighbor", priority: "high" });
      ctx.emit(ctx.rng.pick(targets), { type: "shuffle", origin: ctx.self, ttl: 0, nodes: colluders(ctx, 8) });
    },
  };
}
