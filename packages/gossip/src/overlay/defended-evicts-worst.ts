import type { NodeId } from "@synod/core";
import { linkRank } from "./basalt.js";
import type { OverlayNode } from "./overlay-node.js";
import type { OverlayInvariant } from "./simulation.js";

/** A member's full active view after its last step: each neighbour, in view order, and whether its sampler held it. */
type Snapshot = ReadonlyArray<{ readonly peer: NodeId; readonly sampled: boolean }>;

/**
 * `DefendedEvictsWorst` (the active view's defence, `activeDefence`): a full view that makes room
 * for a newcomer evicts its worst link — the neighbour of highest {@link linkRank}, one its sampler
 * no longer holds ranking above all, ties to the first in the view — never another. A good link given
 * up for the newcomer is a place an attacker keeps: the defence holds attackers to their share of ids
 * only because a view keeps its best-ranked links. Judged against the view and sampler as they were
 * after the member's previous event (a member changes only in its own events). Left out: steps with more
 * than one eviction, a `forwardJoin` (it may offer the joiner to the sampler before it takes it, which
 * can change a neighbour's standing within the step), and faulty members.
 * @returns a fresh checker for one run
 */
export function defendedEvictsWorst(): OverlayInvariant {
  const before = new WeakMap<OverlayNode, Snapshot>();
  return {
    name: "DefendedEvictsWorst",
    afterStepOn: "persist-or-output",
    // The view and sampler after every event of a member (empty steps too: a shuffle's reseed or a
    // merge changes the sampler silently); `check` runs after the event's `afterStep`.
    check(view, changed, node) {
      if (changed === undefined) return undefined;
      const live = node ?? view.nodes.get(changed);
      if (live === undefined || !live.config.activeDefence) return undefined;
      const active = live.active;
      if (active.length >= live.config.activeSize) before.set(live, active.map((peer) => ({ peer, sampled: live.hyparview.sampled(peer) })));
      else before.delete(live);
      return undefined;
    },
    afterStep(id, step, view, node, _member, delivered) {
      const live = node ?? view.nodes.get(id);
      if (live === undefined || !live.config.activeDefence || view.faulty?.has(id) === true) return undefined;
      const previous = before.get(live);
      if (previous === undefined || delivered?.type === "forwardJoin") return undefined;
      let evicted: NodeId | undefined;
      for (const out of step.output) {
        if (out.type !== "neighbor" || out.change !== "down" || out.reason !== "evicted") continue;
        if (evicted !== undefined) return undefined;
        evicted = out.peer;
      }
      if (evicted === undefined) return undefined;
      let worst = { peer: previous[0]?.peer, score: -1 };
      for (const { peer, sampled } of previous) {
        const score = sampled ? linkRank(id, peer) : Infinity;
        if (score > worst.score) worst = { peer, score };
      }
      if (evicted === worst.peer) return undefined;
      return `${id} evicted ${evicted} from its full view (${previous.map((p) => p.peer).join(",")}), not its worst link ${worst.peer}`;
    },
  };
}
