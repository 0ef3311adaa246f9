import type { NodeId } from "@synod/core";
import type { GossipNode } from "../gossip-node.js";
import type { GossipInvariant } from "./invariants.js";

/** A suspicion a member holds: its incarnation, whether it was heard from others, the pings sent to the accused since. */
interface Held {
  readonly incarnation: number;
  readonly heard: boolean;
  pings: number;
}

/**
 * `BuddyCheckBeforeDeath` (Lifeguard's buddy system, as packages/gossip promises it): with
 * Lifeguard on, a member that declares another dead because a suspicion it heard from others (by
 * gossip, push-pull, a death heard as a suspicion — not its own failed probe) expired has first pinged
 * the accused at least `buddyChecks` times since it took up that suspicion (each ping carries the
 * suspicion, and an ack ends it): a death is never declared on others' word without asking the
 * accused, nor after one lost ping or ack. Without the check, a suspicion the accused already refuted
 * keeps circulating after the refutation's rumour died out and kills it wherever the refutation was
 * missed. A member that has left declares deaths without asking (it no longer probes). Counts every
 * ping to the accused (a probe of it too: it asks the same).
 * @returns a fresh checker for one run
 */
export function buddyCheckBeforeDeath(): GossipInvariant {
  const suspicions = new WeakMap<GossipNode, Map<NodeId, Held>>();
  return {
    name: "BuddyCheckBeforeDeath",
    afterStep(id: NodeId, step, view, node): string | undefined {
      node ??= view.nodes.get(id);
      if (node === undefined || !node.config.lifeguard) return undefined;
      let held = suspicions.get(node);
      for (const output of step.output) {
        if (output.type === "suspected") {
          if (held === undefined) suspicions.set(node, (held = new Map()));
          held.set(output.member, { incarnation: output.incarnation, heard: output.cause !== "probe", pings: 0 });
        } else if (output.type === "failed" && output.cause === "timeout") {
          const suspicion = held?.get(output.member);
          held?.delete(output.member);
          if (suspicion === undefined || !suspicion.heard || node.state === "left" || suspicion.incarnation !== output.incarnation) continue;
          if (suspicion.pings < node.config.buddyChecks) {
            const what = `${id} declared ${output.member}@${output.incarnation} dead when a suspicion it heard from others expired`;
            return `${what}, after ${suspicion.pings} ping(s) to it since (buddyChecks ${node.config.buddyChecks})`;
          }
        } else if (output.type === "joined" || output.type === "updated" || output.type === "failed" || output.type === "left") {
          held?.delete(output.member);
        }
      }
      if (held === undefined || held.size === 0) return undefined;
      for (const { to, message } of step.send) {
        if (message.type !== "ping") continue;
        const suspicion = held.get(to);
        if (suspicion !== undefined) suspicion.pings++;
      }
      return undefined;
    },
  };
}
