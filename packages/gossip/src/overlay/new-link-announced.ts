import type { OverlayConfig } from "./config.js";
import { broadcastKey, type BroadcastId } from "./messages.js";
import type { OverlayNode } from "./overlay-node.js";
import type { OverlayInvariant } from "./simulation.js";

/** A broadcast delivered at a member: its id and key, and the member's tick then. */
interface Delivered {
  readonly id: BroadcastId;
  readonly key: string;
  readonly at: number;
}

/**
 * `NewLinkAnnounced`: a neighbour that enters a member's active view (any reason) is told, in that
 * step, of every broadcast the member delivered within `announceTicks` before it and still caches
 * (its last `cacheSize` deliveries), but the neighbour's own — by an IHave, or the payload itself. A
 * member cut off from the tree while a broadcast spread, or linked only to members that lacked it
 * then, hears of it on no other path: Plumtree has no anti-entropy, and without these announcements
 * it misses the broadcast for good (`pnpm sim plumtree --seed 25 --faults all`, the package
 * README). Time is the member's own ticks (`now`); a restart is a new start. Faulty members are
 * left out.
 * @returns a fresh checker for one run
 */
export function newLinkAnnounced(config: OverlayConfig): OverlayInvariant {
  const starts = new WeakMap<OverlayNode, Delivered[]>();
  return {
    name: "NewLinkAnnounced",
    afterStepOn: "persist-or-output",
    afterStep(id, step, view, node) {
      const live = node ?? view.nodes.get(id);
      if (live === undefined || view.faulty?.has(id) === true) return undefined;
      let recent = starts.get(live);
      if (recent === undefined) starts.set(live, (recent = []));
      const since = live.now - config.announceTicks;
      while (recent.length > 0 && ((recent[0] as Delivered).at < since || recent.length > config.cacheSize)) recent.shift();
      for (const out of step.output) {
        if (out.type !== "neighbor" || out.change !== "up" || recent.length === 0) continue;
        const told = new Set<string>();
        for (const { to, message } of step.send) {
          if (to === out.peer && (message.type === "iHave" || message.type === "gossip")) told.add(broadcastKey(message.id));
        }
        for (const earlier of recent) {
          if (earlier.id[0] === out.peer || told.has(earlier.key)) continue;
          const entered = `${out.peer} entered ${id}'s active view (${out.reason}) at tick ${live.now}`;
          return `${entered} and was not told of ${earlier.key}, delivered there at tick ${earlier.at} (announceTicks ${config.announceTicks})`;
        }
      }
      for (const out of step.output) if (out.type === "deliver") recent.push({ id: out.id, key: broadcastKey(out.id), at: live.now });
      return undefined;
    },
  };
}
