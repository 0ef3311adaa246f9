import type { ClusterView, NodeId } from "@synod/core";
import type { DkgNode } from "../dkg-node.js";

/** The DKG target's cluster view. */
export type DkgView = ClusterView<DkgNode, never, never>;

/** Who counts as correct at the end of a run, and whether the fault budget held. */
export interface CorrectParticipants {
  /** Up now, never restarted mid-protocol, never under a Byzantine adversary; member order. */
  readonly nodes: readonly DkgNode[];
  /** Members that are not correct (down, restarted, or Byzantine). */
  readonly faulty: readonly NodeId[];
  /** t of the run (from any participant's configuration). */
  readonly t: number;
  /** Whether at most t participants are faulty: the DKG's guarantees are promised only then. */
  readonly withinBudget: boolean;
}

/** @returns the correct participants of `view` (see {@link CorrectParticipants}) */
export function correctParticipants(view: DkgView): CorrectParticipants {
  const nodes: DkgNode[] = [];
  const faulty: NodeId[] = [];
  let t = Math.floor((view.members.length - 1) / 2);
  for (const id of view.members) {
    const node = view.nodes.get(id);
    if (node !== undefined) t = node.config.t;
    if (node === undefined || node.passive || view.faulty?.has(id) === true) faulty.push(id);
    else nodes.push(node);
  }
  return { nodes, faulty, t, withinBudget: faulty.length <= t };
}
