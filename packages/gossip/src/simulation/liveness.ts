import type { LivenessCheck, NodeId } from "@synod/core";
import { retransmitLimit } from "../adaptive.js";
import type { GossipNode } from "../gossip-node.js";
import { monitorOf, type GossipView } from "./monitor.js";

type GossipLiveness = LivenessCheck<GossipNode, never, never>;

/** @returns whether `node` holds every other member alive at that member's own current incarnation */
function holdsTruth(node: GossipNode, truth: readonly number[], truthSum: number): boolean {
  if (node.notAliveCount !== 0 || node.heldIncarnationSum !== truthSum - node.incarnation) return false;
  // The sums agree: every entry that ever changed must hold the truth; then the unchanged ones
  // (incarnation 0) account for the rest of the sum, so their members are at 0 too.
  for (const [position, entry] of node.changedEntries()) if (entry.incarnation !== truth[position]) return false;
  return true;
}

/**
 * `MembershipConverges` (liveness): after healing (every crashed member restarted), every member
 * holds every other alive at its current incarnation — refutations and rejoins reached everyone,
 * and no suspicion from the faulty period survives. O(n) per poll, plus each member's changed
 * entries once its counts agree.
 * @param boundMs - virtual ms allowed after healing
 */
export function membershipConverges(boundMs: number): LivenessCheck<GossipNode, never, never> {
  // The member that failed the last poll, by run (its view): while it is down or holds someone not
  // alive the answer is no, without the O(n) pass (most polls at 10,000 members).
  const lastFailed = new WeakMap<GossipView, NodeId>();
  return {
    description: "MembershipConverges: every member holds every other alive at its current incarnation",
    boundMs,
    holds(view: GossipView, healedAtMs: number): boolean {
      monitorOf(view).healedAtMs ??= healedAtMs;
      const hint = lastFailed.get(view);
      if (hint !== undefined) {
        const hinted = view.nodes.get(hint);
        if (hinted === undefined || hinted.notAliveCount !== 0) return false;
      }
      const truth: number[] = [];
      let truthSum = 0;
      for (const id of view.members) {
        const node = view.nodes.get(id);
        if (node === undefined) {
          lastFailed.set(view, id);
          return false;
        }
        truth.push(node.incarnation);
        truthSum += node.incarnation;
      }
      for (const id of view.members) {
        if (holdsTruth(view.nodes.get(id) as GossipNode, truth, truthSum)) continue;
        lastFailed.set(view, id);
        return false;
      }
      return true;
    },
  };
}

/**
 * `KvConverges` (liveness): after healing, every live member holds every owner's writes up to the
 * version that owner had reached at healing (its state then; `KvNoGap` makes the version enough).
 * Writes go on after healing; those are not waited for. O(n × owners) per poll. The targets are
 * those of the run polled (by its view): a target runs many seeds, and the check is built once.
 */
export function kvConverges(): Pick<GossipLiveness, "holds"> {
  const targetsOfRun = new WeakMap<GossipView, Array<[number, number]>>();
  return {
    holds(view: GossipView, healedAtMs: number): boolean {
      const history = monitorOf(view).kv;
      let targets = targetsOfRun.get(view);
      if (targets === undefined) {
        targets = [];
        for (const owner of history.writers()) if (!history.tainted.has(owner)) targets.push([owner, history.maxAt(owner, healedAtMs)]);
        targetsOfRun.set(view, targets);
      }
      for (const id of view.members) {
        const node = view.nodes.get(id);
        if (node === undefined) return false;
        if (node.state === "left") continue;
        for (const [owner, version] of targets) if (node.kvMaxVersion(owner) < version) return false;
      }
      return true;
    },
  };
}

/**
 * `TuningSettles` (liveness, adaptive tuning): after healing, once the loss is gone and the views have
 * converged, every member that has not left is back at the configured fanout and probe interval and
 * at the retransmit limit of the whole cluster — a controller that raised them under loss backs off.
 * Trivially true with adaptive tuning off. O(n) per poll.
 */
export function tuningSettles(): Pick<GossipLiveness, "holds"> {
  return {
    holds(view: GossipView): boolean {
      for (const id of view.members) {
        const node = view.nodes.get(id);
        if (node === undefined) return false;
        if (node.state === "left" || !node.config.adaptive) continue;
        const { indirectChecks, probeIntervalTicks, retransmitLimit: limit } = node.tunedParameters;
        if (indirectChecks !== node.config.indirectChecks || probeIntervalTicks !== node.config.probeIntervalTicks) return false;
        if (limit !== retransmitLimit(node.config.retransmitMult, view.members.length)) return false;
      }
      return true;
    },
  };
}

/** @returns a liveness check that holds when each of `checks` holds (polled in order, cheapest first) */
export function allOf(description: string, boundMs: number, ...checks: ReadonlyArray<Pick<GossipLiveness, "holds">>): GossipLiveness {
  return { description, boundMs, holds: (view, healedAtMs) => checks.every((check) => check.holds(view, healedAtMs)) };
}
