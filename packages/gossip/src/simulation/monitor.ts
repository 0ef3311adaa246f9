import type { ClusterView, NodeId } from "@synod/core";
import type { GossipNode } from "../gossip-node.js";
import type { MembershipEvent } from "../messages.js";
import { KvHistory } from "./kv-history.js";

/** What the gossip checkers see of a run. */
export type GossipView = ClusterView<GossipNode, never, never>;

/**
 * Run-wide bookkeeping shared by the gossip invariants, the liveness check and the metrics of one
 * run (found again through the run's view object): when members went down and came up, when faults
 * healed, and the false positives and detection times measured along the way.
 */
export class GossipMonitor {
  /** Member position → the node object last seen there (undefined while down). */
  readonly lastSeen: Array<GossipNode | undefined | null> = [];
  /** Member position → virtual ms since which it is down (absent: up). */
  readonly downSince = new Map<number, number>();
  /** Member position → virtual ms since which its current node object runs. */
  readonly upSince: number[] = [];
  /** Crashes not yet declared dead by every live member: position → down since, ms. */
  readonly undetected = new Map<number, { readonly atMs: number; firstMs?: number; checked: boolean }>();
  /** Every write of the replicated key-value state, per owner (the ground truth of `KvConsistent`, `KvConverges`). */
  readonly kv = new KvHistory();
  /** When faults healed (told by the liveness check, which runs from healing on). */
  healedAtMs: number | undefined;
  /** Deaths declared by a suspicion timing out while the member was up (distinct member and incarnation). */
  readonly falsePositiveKeys = new Set<string>();
  /** Every failed event at an observer while the member was up. */
  falseFailedEvents = 0;
  /** The same, by member position (a bench separates degraded members from healthy ones). */
  readonly falseFailedByMember: number[] = [];
  /** Suspicions raised by an observer's own probe while the member was up. */
  falseSuspicions = 0;
  /** Suspicions raised by an observer's own probe of a member that was down. */
  trueSuspicions = 0;
  /** Crash → death declared at an observer, ms, per observer and crash (the cluster's detection time). */
  readonly detectionMs: number[] = [];
  /** Crash → first death declaration anywhere, ms, per detected crash. */
  readonly firstDetectionMs: number[] = [];
  private positions: Map<NodeId, number> | undefined;
  private started = false;

  /** @returns the position of `id` among the members */
  position(view: GossipView, id: NodeId): number | undefined {
    this.positions ??= new Map(view.members.map((m, i) => [m, i]));
    return this.positions.get(id);
  }

  /** Note what an event did to the node at `member` (crash, restart, or nothing). */
  observe(view: GossipView, member: number, node: GossipNode | undefined): void {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < view.members.length; i++) {
        // The member the first event changed is compared afresh (null matches no node, up or down).
        this.lastSeen[i] = i === member ? null : view.nodes.get(view.members[i] as NodeId);
        this.upSince[i] = 0;
      }
    }
    if (this.lastSeen[member] === node) return;
    this.lastSeen[member] = node;
    if (node === undefined) {
      this.downSince.set(member, view.nowMs);
      this.undetected.set(member, { atMs: view.nowMs, checked: false });
    } else {
      this.downSince.delete(member);
      this.undetected.delete(member);
      this.upSince[member] = view.nowMs;
    }
  }

  /** @returns whether the member at `member` is up (its node runs and has not left) */
  isUp(view: GossipView, member: number): boolean {
    const node = view.nodes.get(view.members[member] as NodeId);
    return node !== undefined && node.state !== "left";
  }

  /** Count an event against the ground truth. */
  record(view: GossipView, event: MembershipEvent): void {
    const member = this.position(view, event.member);
    if (member === undefined) return;
    const up = this.isUp(view, member);
    if (event.type === "suspected" && event.cause === "probe") {
      if (up) this.falseSuspicions++;
      else this.trueSuspicions++;
    }
    if (event.type !== "failed") return;
    if (up) {
      this.falseFailedEvents++;
      this.falseFailedByMember[member] = (this.falseFailedByMember[member] ?? 0) + 1;
      if (event.cause === "timeout") this.falsePositiveKeys.add(`${event.member}@${event.incarnation}`);
      return;
    }
    const crash = this.undetected.get(member);
    if (crash !== undefined) this.detectionMs.push(view.nowMs - crash.atMs);
    if (crash !== undefined && crash.firstMs === undefined) {
      crash.firstMs = view.nowMs;
      this.firstDetectionMs.push(view.nowMs - crash.atMs);
    }
  }
}

const monitors = new WeakMap<object, GossipMonitor>();

/** @returns the monitor of the run whose view is `view` (created on first use) */
export function monitorOf(view: GossipView): GossipMonitor {
  let monitor = monitors.get(view);
  if (monitor === undefined) monitors.set(view, (monitor = new GossipMonitor()));
  return monitor;
}
