import type { NodeId } from "@synod/core";
import type { OverlayConfig } from "./config.js";
import { broadcastKey, type BroadcastId } from "./messages.js";
import type { OverlayNode } from "./overlay-node.js";
import type { OverlayInvariant } from "./simulation.js";

/** A broadcast announced to a member and not delivered there: the announcers it has not asked yet, in order. */
interface Announced {
  readonly id: BroadcastId;
  readonly announcers: NodeId[];
  /** The member's tick when `announcers` last went from empty to not empty. */
  since: number;
  /** The member's tick of its last graft of this broadcast (-Infinity: none). */
  lastGraft: number;
}

/** Remove the first occurrence of `peer` from `list`, keeping the order. */
function removeFirst(list: NodeId[], peer: NodeId): void {
  const i = list.indexOf(peer);
  if (i >= 0) list.splice(i, 1);
}

/**
 * `GraftRetried` (Plumtree's reliability: the paper's second timer): while a member lacks a broadcast
 * that some member announced to it (an IHave) and it has not asked that announcer yet, it grafts
 * again — the first graft within `graftTimeoutTicks` of the announcement, each next one within
 * `graftRetryTicks` of the last — until the broadcast arrives or every announcer was asked. A graft
 * or its answer lost, or an announcer that left, then costs one retry period, not the broadcast:
 * without the retries a member whose first graft went unanswered never asks the others, and misses
 * the broadcast for good (no anti-entropy follows). Announcers that leave the member's active view
 * are not asked (their announcements are dropped with them). Time is the member's own ticks (`now`),
 * so pauses and slow clocks do not count; a restart is a new start (nothing is missing). Faulty
 * members are left out.
 * @returns a fresh checker for one run
 */
export function graftRetried(config: OverlayConfig): OverlayInvariant {
  const wait = Math.max(config.graftTimeoutTicks, config.graftRetryTicks);
  const starts = new WeakMap<OverlayNode, Map<string, Announced>>();
  return {
    name: "GraftRetried",
    afterStepOn: "every-delivery",
    afterStep(id, step, view, node, _member, delivered, from) {
      const live = node ?? view.nodes.get(id);
      if (live === undefined || view.faulty?.has(id) === true) return undefined;
      let missing = starts.get(live);
      if (missing === undefined) starts.set(live, (missing = new Map()));
      const now = live.now;
      // In a tick the member drops the neighbours that failed before it grafts: the same order here.
      for (const out of step.output) {
        if (out.type !== "neighbor" || out.change !== "down") continue;
        for (const announced of missing.values()) {
          for (let i = announced.announcers.length - 1; i >= 0; i--) if (announced.announcers[i] === out.peer) announced.announcers.splice(i, 1);
        }
      }
      for (const { to, message } of step.send) {
        if (message.type !== "graft") continue;
        const announced = missing.get(broadcastKey(message.id));
        if (announced === undefined) continue;
        removeFirst(announced.announcers, to);
        announced.lastGraft = now;
      }
      if (delivered?.type === "iHave" && from !== undefined && !live.plumtree.has(delivered.id)) {
        const key = broadcastKey(delivered.id);
        let announced = missing.get(key);
        if (announced === undefined) missing.set(key, (announced = { id: delivered.id, announcers: [], since: now, lastGraft: -Infinity }));
        else if (announced.announcers.length === 0) announced.since = now;
        announced.announcers.push(from);
      }
      if (delivered !== undefined) return undefined; // grafts go out in ticks: checked there
      for (const [key, announced] of missing) {
        if (announced.announcers.length === 0 || live.plumtree.has(announced.id)) {
          missing.delete(key);
          continue;
        }
        const last = Math.max(announced.lastGraft, announced.since);
        if (now > last + wait) {
          const asked = announced.lastGraft === -Infinity ? "never grafted it" : `grafted it last at tick ${announced.lastGraft}`;
          const timers = `retry every ${config.graftRetryTicks}, first after ${config.graftTimeoutTicks}`;
          const waiting = `announced by ${announced.announcers.join(",")} not asked yet (since tick ${announced.since})`;
          return `${id} lacks ${key}, ${waiting}; it ${asked} and is at tick ${now} (${timers})`;
        }
      }
      return undefined;
    },
  };
}
