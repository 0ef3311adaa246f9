import type { Invariant, InvariantResult, NodeId, Step } from "@synod/core";
import type { GossipNode } from "../gossip-node.js";
import { isDeadOrLeft } from "../member-state.js";
import { viewEntry, type ViewEntry } from "../member-view.js";
import type { GossipMessage, GossipOutput, GossipRecord, MembershipEvent } from "../messages.js";
import { monitorOf, type GossipView } from "./monitor.js";

/** An invariant of the gossip simulation. */
export type GossipInvariant = Invariant<GossipNode, GossipMessage, GossipOutput, GossipRecord, never, never>;

const ALIVE_AT_ZERO: ViewEntry = viewEntry("alive", 0);

/** @returns why the change `before` → `event` breaks one of SWIM's rules, or undefined */
export function transitionViolation(observer: NodeId, before: ViewEntry, event: MembershipEvent): InvariantResult {
  const what = `${observer} changed ${event.member} from ${before.state}@${before.incarnation} to ${event.type}@${event.incarnation} (${event.cause})`;
  if (event.incarnation < before.incarnation) return { invariant: "IncarnationMonotonic", message: what };
  if (isDeadOrLeft(before.state) && !(event.type === "joined" && event.incarnation > before.incarnation)) return { invariant: "DeadIsFinal", message: what };
  if (event.type === "suspected" && !(before.state === "alive" ? event.incarnation >= before.incarnation : event.incarnation > before.incarnation)) {
    return { invariant: "NoStaleSuspicion", message: what };
  }
  if ((event.type === "updated" || event.type === "joined") && event.incarnation <= before.incarnation) return { invariant: "NoStaleSuspicion", message: `${what}: an alive must be newer to override` };
  if (event.cause === "timeout" && !(before.state === "suspect" && before.incarnation === event.incarnation)) return { invariant: "DeathFollowsSuspicion", message: what };
  return undefined;
}

/**
 * `IncarnationMonotonic`, `NoStaleSuspicion`, `DeadIsFinal`, `DeathFollowsSuspicion` (the TLA+
 * spec's properties, one pass over each step): every view change a member reports is checked against
 * a shadow of its view kept from its events since it started — an incarnation held never decreases,
 * a suspicion never overrides a newer or equal alive, a dead or left member only comes back alive at
 * a higher incarnation, a timeout only turns a suspicion of the same incarnation into a death. A
 * member's own incarnation never decreases across restarts either (unless it reported corrupted
 * storage), and a refutation announces an incarnation above the claim it answers
 * (`RefutationSupersedes`: an alive at the claim's incarnation would override neither a suspicion nor
 * a death held there, nor a newer alive a member lost to corrupted storage). Also feeds the run's monitor (false positives, detection times).
 * @returns a fresh checker for one run
 */
export function incarnationRules(): GossipInvariant {
  const shadows = new WeakMap<GossipNode, Map<NodeId, ViewEntry>>();
  const ownMax: number[] = [];
  const alarmed = new WeakSet<GossipNode>();
  return {
    name: "IncarnationMonotonic",
    covers: ["IncarnationMonotonic", "NoStaleSuspicion", "DeadIsFinal", "DeathFollowsSuspicion", "RefutationSupersedes"],
    afterStepOn: "persist-or-output",
    afterStep(id: NodeId, step: Step<GossipMessage, GossipOutput, GossipRecord>, view: GossipView, node?: GossipNode, member?: number): InvariantResult {
      const monitor = monitorOf(view);
      node ??= view.nodes.get(id);
      member ??= monitor.position(view, id);
      if (node === undefined || member === undefined) return undefined;
      let shadow = shadows.get(node);
      if (shadow === undefined) shadows.set(node, (shadow = new Map()));
      for (const output of step.output) {
        if (output.type === "alarm") alarmed.add(node);
        if (output.type === "refuted" && output.incarnation <= output.accusedIncarnation) {
          const what = `${id} refuted a claim of itself at incarnation ${output.accusedIncarnation} by announcing ${output.incarnation}`;
          return { invariant: "RefutationSupersedes", message: `${what}: the refutation overrides nothing held at the claim's incarnation` };
        }
        if (output.type === "refuted" || output.type === "health" || output.type === "alarm" || output.type === "tuned") continue;
        if (output.type === "kvUpdated" || output.type === "kvRejected") continue;
        const before = shadow.get(output.member) ?? ALIVE_AT_ZERO;
        const violation = transitionViolation(id, before, output);
        if (violation !== undefined) return violation;
        const state = output.type === "joined" || output.type === "updated" ? "alive" : output.type === "suspected" ? "suspect" : output.type === "failed" ? "dead" : "left";
        shadow.set(output.member, viewEntry(state, output.incarnation));
        monitor.record(view, output);
      }
      const own = node.incarnation;
      const max = ownMax[member] ?? 0;
      if (own < max && !alarmed.has(node)) return { invariant: "IncarnationMonotonic", message: `${id}'s own incarnation went from ${max} down to ${own} without corrupted storage` };
      if (own > max) ownMax[member] = own;
      return undefined;
    },
  };
}

/**
 * `NoFalseDead`: once every fault has healed and the suspicions started before have had time to
 * resolve (`graceMs`), no live member that answers probes is declared dead anywhere. Before that,
 * deaths of live members are measured (the false-positive rate), not forbidden: under loss and
 * partitions they are the failure detector's known error.
 * @param graceMs - the longest a suspicion started before healing may take to resolve, plus dissemination
 * @returns a fresh checker for one run
 */
export function noFalseDead(graceMs: number): GossipInvariant {
  return {
    name: "NoFalseDead",
    afterStepOn: "persist-or-output",
    afterStep(id, step, view): InvariantResult {
      const monitor = monitorOf(view);
      if (monitor.healedAtMs === undefined || view.nowMs < monitor.healedAtMs + graceMs) return undefined;
      for (const output of step.output) {
        if (output.type !== "failed") continue;
        const member = monitor.position(view, output.member);
        if (member !== undefined && monitor.isUp(view, member)) {
          return `${id} declared ${output.member}@${output.incarnation} dead (${output.cause}) at ${view.nowMs} ms, ${view.nowMs - monitor.healedAtMs} ms after healing, while it was up`;
        }
      }
      return undefined;
    },
  };
}

/**
 * `Completeness` (SWIM's time-bounded completeness): a member down for longer than `boundMs` is
 * held dead (or left) by every member that has been up throughout that time. Checked once per
 * crash, when its bound expires.
 * @returns a fresh checker for one run
 */
export function completeness(boundMs: number): GossipInvariant {
  return {
    name: "Completeness",
    check(view, changed, node, member): InvariantResult {
      const monitor = monitorOf(view);
      if (changed !== undefined) {
        member ??= monitor.position(view, changed);
        if (member !== undefined) monitor.observe(view, member, node ?? view.nodes.get(changed));
      }
      if (monitor.undetected.size === 0) return undefined; // after every event: no iterator while nothing is down
      for (const [down, crash] of monitor.undetected) {
        if (crash.checked || view.nowMs - crash.atMs < boundMs) continue;
        crash.checked = true;
        const id = view.members[down] as NodeId;
        for (let i = 0; i < view.members.length; i++) {
          const observer = view.nodes.get(view.members[i] as NodeId);
          if (observer === undefined || i === down || (monitor.upSince[i] ?? 0) > crash.atMs || observer.state === "left") continue;
          const held = observer.viewOf(id);
          if (held === undefined || !isDeadOrLeft(held.state)) {
            return `${id} has been down since ${crash.atMs} ms, but ${observer.id} (up throughout) still holds it ${held?.state ?? "unknown"}@${held?.incarnation ?? "?"} after ${view.nowMs - crash.atMs} ms (bound ${boundMs} ms)`;
          }
        }
      }
      return undefined;
    },
  };
}
