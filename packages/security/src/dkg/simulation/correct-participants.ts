import type { ClusterView, NodeId } from "@synod/core";
import type { DkgNode } from "../dkg-node.js";

/** The DKG target's cluster view. */
export type DkgView = ClusterView<DkgNode, never, never>;

/** Who counts as correct at the end of a run, and whether the fault budgets held. */
export interface CorrectParticipants {
  /** Up now, never restarted mid-protocol, never under a Byzantine adversary; member order. */
  readonly nodes: readonly DkgNode[];
  /** Members that are not correct (down, restarted, or Byzantine). */
  readonly faulty: readonly NodeId[];
  /** Members under a Byzantine adversary. */
  readonly byzantine: readonly NodeId[];
  /** t of the run (from any participant's configuration): t+1 shares sign. */
  readonly t: number;
  /** f of the run: Byzantine members the agreement tolerates. */
  readonly faults: number;
  /** At most f Byzantine: the agreement's safety (`DkgAgreement`) is promised. */
  readonly agreementWithinBudget: boolean;
  /** At most f Byzantine and at most t faulty in all: every safety guarantee is promised. */
  readonly withinBudget: boolean;
  /**
   * Within budget, at most n−Q faulty (a quorum of Q is left) and at most t−f faulty (a correct dealer
   * reveals at most t−f shares, so at most that many receivers may never support it): liveness is
   * promised too. With t ≥ 2f (`dkgConstraintFault`) this covers every run with at most f faulty.
   */
  readonly liveWithinBudget: boolean;
}

/** @returns the correct participants of `view` (see {@link CorrectParticipants}) */
export function correctParticipants(view: DkgView): CorrectParticipants {
  const nodes: DkgNode[] = [];
  const faulty: NodeId[] = [];
  const byzantine: NodeId[] = [];
  const n = view.members.length;
  let t = Math.floor((n - 1) / 2);
  let faults = 0;
  let quorum = n;
  for (const id of view.members) {
    const node = view.nodes.get(id);
    if (node !== undefined) ({ faults, quorum, config: { t } } = node);
    if (view.faulty?.has(id) === true) byzantine.push(id);
    if (node === undefined || node.passive || view.faulty?.has(id) === true) faulty.push(id);
    else nodes.push(node);
  }
  const agreementWithinBudget = byzantine.length <= faults;
  const withinBudget = agreementWithinBudget && faulty.length <= t;
  const liveWithinBudget = withinBudget && faulty.length <= Math.min(n - quorum, t - faults);
  return { nodes, faulty, byzantine, t, faults, agreementWithinBudget, withinBudget, liveWithinBudget };
}
