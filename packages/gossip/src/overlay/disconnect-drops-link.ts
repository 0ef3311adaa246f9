import type { OverlayInvariant } from "./simulation.js";

/**
 * `DisconnectDropsLink`: a member that takes a `disconnect` from a neighbour no longer holds it in its
 * active view (HyParView's DISCONNECT: the sender dropped the link, so the link is gone at both
 * ends). A member that kept it would hold a one-sided link: it pushes broadcasts over it and counts
 * the neighbour among its `activeSize`, while the other end answers only with more disconnects —
 * which, heard over the link, keep its failure detector from dropping it while the link is quiet.
 * Messages refused for want of admission (`isAdmitted`) are not taken, so they are left out.
 * @returns the checker (stateless)
 */
export function disconnectDropsLink(): OverlayInvariant {
  return {
    name: "DisconnectDropsLink",
    afterStepOn: "every-delivery",
    afterStep(id, _step, view, node, _member, delivered, from) {
      if (delivered?.type !== "disconnect" || from === undefined) return undefined;
      const live = node ?? view.nodes.get(id);
      if (live === undefined || !live.active.includes(from)) return undefined;
      if (live.config.isAdmitted !== undefined && !live.config.isAdmitted(from)) return undefined;
      return `${id} took a disconnect from ${from} and still holds it in its active view (${live.active.join(",")}): a one-sided link`;
    },
  };
}
