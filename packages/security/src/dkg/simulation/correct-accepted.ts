import type { NodeId } from "@synod/core";
import type { DkgNode } from "../dkg-node.js";
import type { DkgInvariant } from "./invariants.js";

/**
 * CorrectAgreementAccepted: a correct participant refuses no agreement message of a correct one.
 * What a correct member sends — its signed view-changes, a proposal justified by the view-changes it
 * verified and carrying the value they bind, its votes, a decision with Q commits it verified — is
 * valid at every correct member (signatures and the validity of a value do not depend on the
 * receiver), so each refusal the agreement counts (`DkgNode.refusedVotes`: bad signatures,
 * unjustified, invalid or wrongly bound proposals) is a faulty member's doing or a bug. Judged on
 * every delivery, by the receiver's count (which restarts with each node object); deliveries from or
 * to a member the run made faulty (`view.faulty`) are left out.
 * @returns the invariant (its own bookkeeping: one per run)
 */
export function correctAgreementAccepted(): DkgInvariant {
  const counts = new WeakMap<DkgNode, number>();
  return {
    name: "CorrectAgreementAccepted",
    afterStepOn: "every-delivery",
    afterStep(id: NodeId, _step, view, given, _member, delivered, from) {
      const node = given ?? view.nodes.get(id);
      if (node === undefined) return undefined;
      const count = node.refusedVotes;
      if (count === (counts.get(node) ?? 0)) return undefined;
      counts.set(node, count);
      if (from === undefined || view.faulty?.has(from) === true || view.faulty?.has(id) === true) return undefined;
      const what = delivered === undefined ? "a message" : "view" in delivered ? `a ${delivered.type} of view ${delivered.view}` : `a ${delivered.type}`;
      return `${id} refused ${what} from ${from}, though both are correct`;
    },
  };
}
