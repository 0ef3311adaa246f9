import type { ClusterView, Invariant, NodeContext, NodeId, Rng, SimulationTarget } from "@synod/core";
import { resolveOverlayConfig, type OverlayConfig } from "./config.js";
import { broadcastKey, overlayMessageCodec, overlayRecordCodec } from "./messages.js";
import type { OverlayMessage, OverlayOutput, OverlayRecord, OverlayRequest } from "./messages.js";
import { OverlayNode } from "./overlay-node.js";
import { defendedEvictsWorst } from "./defended-evicts-worst.js";
import { disconnectDropsLink } from "./disconnect-drops-link.js";
import { eclipseBounded } from "./eclipse-bounded.js";
import { graftRetried } from "./graft-retried.js";
import { newLinkAnnounced } from "./new-link-announced.js";

/** The simulation target type of HyParView + Plumtree. */
export type PlumtreeTarget = SimulationTarget<OverlayNode, OverlayMessage, OverlayRequest, OverlayOutput, OverlayRecord, never, never>;

/** Virtual milliseconds per tick in the simulation. */
export const OVERLAY_TICK_MS = 100;

/** Broadcasts per second over the whole cluster in the simulation (each member broadcasts at rate / n). */
export const OVERLAY_SIM_BROADCASTS_PER_SECOND = 4;

/**
 * Virtual ms within which, once the overlay has converged after healing, a broadcast reaches every
 * member up throughout (`BroadcastDelivered`). Links take 1–12 ms; a tree link lost to a rewiring is
 * repaired by a graft after `graftTimeoutTicks` (300 ms; a tick may add 100 ms), and each further
 * announcer waits `graftRetryTicks` (200 ms): 2 s leaves room for several repairs on a path of
 * O(log n) hops (the slowest measured, 30 members, seeds 1–6 of `--faults all --duration 30000`: 312 ms).
 */
export const OVERLAY_DELIVERY_BOUND_MS = 2_000;

/** Settings of the simulation (the defaults: heartbeat every 500 ms, a neighbour failed after 1.5 s of silence, shuffles every 5 s, rewiring every 30 s). */
export const OVERLAY_SIMULATION_CONFIG: Partial<OverlayConfig> = Object.freeze({});

/**
 * A member whose application broadcasts now and then (rate {@link OVERLAY_SIM_BROADCASTS_PER_SECOND}
 * over the cluster), drawing from a fork of its generator so that the protocol's draws do not move.
 */
export class BroadcastingMember extends OverlayNode {
  private readonly app: Rng;
  private readonly probability: number;

  constructor(ctx: NodeContext<OverlayRecord>, config: Partial<OverlayConfig> = {}, broadcastsPerSecond = OVERLAY_SIM_BROADCASTS_PER_SECOND) {
    super(ctx, config);
    this.app = ctx.rng.fork("app");
    this.probability = (broadcastsPerSecond * OVERLAY_TICK_MS) / 1000 / ctx.members.length;
  }

  protected override afterTick(): void {
    if (this.probability > 0 && this.app.bool(this.probability)) this.broadcastNow(`${this.id}#${this.epoch}.${this.stats.broadcasts}`);
  }
}

/** A broadcast as the checkers saw it: origin, payload, virtual time of origin, and deliveries (member → ms). */
export interface BroadcastRecord {
  readonly origin: NodeId;
  readonly payload: string;
  readonly atMs: number;
  readonly deliveredAt: Map<NodeId, number>;
}

/** What the checkers remember of one run: broadcasts, deliveries, when members came up, when the overlay converged. */
export class OverlayTracker {
  /** Broadcasts by key: origin, payload, virtual time of origin, and deliveries (member → ms). */
  readonly broadcasts = new Map<string, BroadcastRecord>();
  /** Each member's current start: its node object and since when it is up. */
  readonly starts = new Map<NodeId, { readonly node: OverlayNode; readonly sinceMs: number; readonly delivered: Set<string> }>();
  /** When the liveness condition first found the views converged after healing (undefined: not yet). */
  convergedAtMs: number | undefined;
  /**
   * After convergence: the connected components of the overlay (symmetric active links between live
   * members) after every step that changed an active view, as member → component label.
   */
  readonly components: Array<{ readonly atMs: number; readonly label: ReadonlyMap<NodeId, number> }> = [];

  /** Note the overlay's components now (after a change of an active view, once converged). */
  snapshot(view: View): void {
    this.components.push({ atMs: view.nowMs, label: componentLabels(view) });
  }

  /**
   * @returns whether `member` was in `origin`'s component of the overlay throughout [fromMs, toMs]
   * (from the last snapshot at or before fromMs)
   */
  connectedThroughout(origin: NodeId, member: NodeId, fromMs: number, toMs: number): boolean {
    const list = this.components;
    let i = list.length - 1;
    while (i > 0 && (list[i] as { atMs: number }).atMs > fromMs) i--;
    for (; i < list.length; i++) {
      const snapshot = list[i] as (typeof list)[number];
      if (snapshot.atMs > toMs) break;
      const a = snapshot.label.get(origin);
      if (a === undefined || a !== snapshot.label.get(member)) return false;
    }
    return true;
  }

  /** @returns the record of `id`'s current start (a restart is a new start) */
  startOf(id: NodeId, node: OverlayNode, nowMs: number): { readonly node: OverlayNode; readonly sinceMs: number; readonly delivered: Set<string> } {
    let start = this.starts.get(id);
    if (start === undefined || start.node !== node) this.starts.set(id, (start = { node, sinceMs: nowMs, delivered: new Set() }));
    return start;
  }
}

/** @returns each live member's component of the overlay (symmetric active links between live members) */
export function componentLabels(view: View): Map<NodeId, number> {
  const label = new Map<NodeId, number>();
  let next = 0;
  for (const [id, node] of view.nodes) {
    if (node === undefined || label.has(id)) continue;
    const component = next++;
    label.set(id, component);
    const stack = [id];
    while (stack.length > 0) {
      const at = stack.pop() as NodeId;
      for (const peer of view.nodes.get(at)?.active ?? []) {
        if (label.has(peer) || view.nodes.get(peer)?.active.includes(at) !== true) continue;
        label.set(peer, component);
        stack.push(peer);
      }
    }
  }
  return label;
}

const trackers = new WeakMap<object, OverlayTracker>();

/** @returns the tracker of the run `view` belongs to */
export function overlayTrackerOf(view: ClusterView<OverlayNode, never, never>): OverlayTracker {
  let tracker = trackers.get(view);
  if (tracker === undefined) trackers.set(view, (tracker = new OverlayTracker()));
  return tracker;
}

/** A property of the overlay simulation. */
export type OverlayInvariant = Invariant<OverlayNode, OverlayMessage, OverlayOutput, OverlayRecord, never, never>;
type View = ClusterView<OverlayNode, never, never>;

/**
 * `NoDuplicateDelivery`: no member delivers a broadcast twice in one start; `NoCreation`: every
 * delivered broadcast was broadcast by its origin, with that payload, before (members not faulty).
 */
export function deliveryIntegrity(): OverlayInvariant {
  return {
    name: "DeliveryIntegrity",
    covers: ["NoDuplicateDelivery", "NoCreation"],
    afterStepOn: "persist-or-output",
    afterStep(id, step, view, node) {
      const live = node ?? view.nodes.get(id);
      if (live === undefined) return undefined;
      const tracker = overlayTrackerOf(view);
      const start = tracker.startOf(id, live, view.nowMs);
      if (tracker.convergedAtMs !== undefined && step.output.some((out) => out.type === "neighbor")) tracker.snapshot(view);
      for (const out of step.output) {
        if (out.type !== "deliver") continue;
        const key = broadcastKey(out.id);
        if (start.delivered.has(key)) return { invariant: "NoDuplicateDelivery", message: `${id} delivered ${key} twice` };
        start.delivered.add(key);
        let record = tracker.broadcasts.get(key);
        if (out.id[0] === id && record === undefined) {
          tracker.broadcasts.set(key, (record = { origin: id, payload: out.payload, atMs: view.nowMs, deliveredAt: new Map() }));
        }
        if (record === undefined || record.payload !== out.payload) {
          if (view.faulty?.has(out.id[0]) === true) continue;
          const actual = record === undefined ? "" : ` (it broadcast ${JSON.stringify(record.payload)})`;
          return { invariant: "NoCreation", message: `${id} delivered ${key} (${JSON.stringify(out.payload)}), which its origin never broadcast${actual}` };
        }
        if (!record.deliveredAt.has(id)) record.deliveredAt.set(id, view.nowMs);
      }
      return undefined;
    },
  };
}

/** `ViewShape`: an active view holds at most `activeSize` distinct members, never the member itself, and never a member also in its passive view. */
export function viewShape(config: OverlayConfig): OverlayInvariant {
  return {
    name: "ViewShape",
    check(view, changed, node) {
      if (changed === undefined) return undefined;
      const live = node ?? view.nodes.get(changed);
      if (live === undefined) return undefined;
      const active = live.active;
      if (active.length > config.activeSize) return `${changed}'s active view holds ${active.length} > ${config.activeSize} members`;
      if (new Set(active).size !== active.length) return `${changed}'s active view holds a member twice: ${active.join(",")}`;
      if (active.includes(changed)) return `${changed}'s active view holds itself`;
      if (live.passive.length > config.passiveSize) return `${changed}'s passive view holds ${live.passive.length} > ${config.passiveSize} members`;
      for (const peer of live.passive) if (active.includes(peer) || peer === changed) return `${changed}'s passive view holds ${peer}, also active or itself`;
      return undefined;
    },
  };
}

/**
 * `BroadcastDelivered` (at the end of the run): every broadcast made once the overlay converged after
 * healing, early enough for the bound to pass before the end, reached within `boundMs` every member
 * up, and in its origin's component of the overlay, from the broadcast until the bound. (Plumtree has
 * no anti-entropy: a member cut off from the overlay — its only neighbour evicted it — hears of what
 * was broadcast meanwhile only from the IHaves on its next links, for `announceTicks`.)
 */
export function broadcastDelivered(boundMs: number): OverlayInvariant {
  return {
    name: "BroadcastDelivered",
    atEnd(view) {
      const tracker = overlayTrackerOf(view);
      const from = tracker.convergedAtMs;
      if (from === undefined) return undefined;
      for (const [key, record] of tracker.broadcasts) {
        if (record.atMs < from || record.atMs + boundMs > view.nowMs) continue;
        for (const [id, start] of tracker.starts) {
          if (view.nodes.get(id) !== start.node || start.sinceMs > record.atMs || view.faulty?.has(id) === true) continue;
          if (!tracker.connectedThroughout(record.origin, id, record.atMs, record.atMs + boundMs)) continue;
          const at = record.deliveredAt.get(id);
          if (at === undefined || at - record.atMs > boundMs) {
            const when = at === undefined ? "never" : `only after ${at - record.atMs} ms`;
            const origin = `broadcast by ${record.origin} at ${record.atMs} ms, the overlay converged at ${from} ms`;
            return `${key} (${origin}) reached ${id} ${when} (bound ${boundMs} ms)`;
          }
        }
      }
      return undefined;
    },
  };
}

/**
 * @returns why the active views of the live members are not converged — one holds a member that is
 * down, a link is one-sided, or the overlay graph over live members is not connected — or undefined
 */
export function overlayProblem(view: View): string | undefined {
  const live = new Map<NodeId, OverlayNode>();
  for (const [id, node] of view.nodes) if (node !== undefined) live.set(id, node);
  for (const [id, node] of live) {
    for (const peer of node.active) {
      const other = live.get(peer);
      if (other === undefined) return `${id}'s active view holds ${peer}, which is down`;
      if (!other.active.includes(id)) return `${id} holds ${peer} active, ${peer} does not hold ${id}`;
    }
  }
  const first = live.keys().next();
  if (first.done === true) return undefined;
  const seen = new Set<NodeId>([first.value]);
  const stack = [first.value];
  while (stack.length > 0) {
    const id = stack.pop() as NodeId;
    for (const peer of live.get(id)?.active ?? []) {
      if (!seen.has(peer)) {
        seen.add(peer);
        stack.push(peer);
      }
    }
  }
  if (seen.size < live.size) return `the overlay over ${live.size} live members is not connected: ${seen.size} reachable from ${first.value}`;
  return undefined;
}

/**
 * Liveness after healing: the active views converge (`ActiveViewsSymmetric`, `OverlayConnected` over
 * the live members, none holding a member that is down), then a broadcast made after that reaches
 * every live member.
 */
export function overlayConverges(boundMs: number): PlumtreeTarget["liveness"] & object {
  return {
    description: "the active views of the live members are symmetric and connected, and a broadcast made after that reaches every live member",
    boundMs,
    holds(view, healedAtMs) {
      const tracker = overlayTrackerOf(view);
      if (tracker.convergedAtMs === undefined || tracker.convergedAtMs < healedAtMs) {
        if (overlayProblem(view) !== undefined) return false;
        tracker.convergedAtMs = view.nowMs;
        tracker.snapshot(view);
      }
      const converged = tracker.convergedAtMs;
      let live = 0;
      for (const node of view.nodes.values()) if (node !== undefined) live++;
      for (const record of tracker.broadcasts.values()) {
        if (record.atMs < converged) continue;
        let reached = 0;
        for (const id of record.deliveredAt.keys()) if (view.nodes.get(id) !== undefined) reached++;
        if (reached >= live) return true;
      }
      return false;
    },
  };
}

/** @returns the run's metrics: Plumtree's traffic, HyParView's work, the views at the end */
function overlayMetrics(view: View): Record<string, number> {
  const totals = { messagesSent: 0, broadcasts: 0, payloads: 0, iHaves: 0, grafts: 0, prunes: 0, duplicates: 0, delivered: 0 };
  const work = { shuffles: 0, joins: 0, neighborRequests: 0, failures: 0, rejected: 0 };
  let live = 0;
  let activeSum = 0;
  let eagerSum = 0;
  for (const node of view.nodes.values()) {
    if (node === undefined) continue;
    live++;
    activeSum += node.active.length;
    eagerSum += node.plumtree.eager.size;
    totals.messagesSent += node.stats.messagesSent;
    totals.broadcasts += node.stats.broadcasts;
    const p = node.plumtree.stats;
    totals.payloads += p.payloads;
    totals.iHaves += p.iHaves;
    totals.grafts += p.grafts;
    totals.prunes += p.prunes;
    totals.duplicates += p.duplicates;
    totals.delivered += p.delivered;
    const h = node.hyparview.stats;
    work.shuffles += h.shuffles;
    work.joins += h.joins;
    work.neighborRequests += h.neighborRequests;
    work.failures += h.failures;
    work.rejected += node.counters.malformed + node.counters.unknownSender + node.hyparview.counters.unknownMember;
  }
  const tracker = overlayTrackerOf(view);
  // Delivery latency of the broadcasts made once the overlay converged after healing.
  let latest = 0;
  let afterConvergence = 0;
  const from = tracker.convergedAtMs;
  if (from !== undefined) {
    for (const record of tracker.broadcasts.values()) {
      if (record.atMs < from) continue;
      afterConvergence++;
      for (const at of record.deliveredAt.values()) latest = Math.max(latest, at - record.atMs);
    }
  }
  return {
    ...totals,
    ...work,
    meanActiveView: live === 0 ? 0 : Math.round((activeSum / live) * 100) / 100,
    meanEagerPeers: live === 0 ? 0 : Math.round((eagerSum / live) * 100) / 100,
    convergedAtMs: tracker.convergedAtMs ?? -1,
    broadcastsAfterConvergence: afterConvergence,
    maxDeliveryMsAfterConvergence: Math.round(latest),
  };
}

/** A Byzantine sender's lie: another payload under the same id, or a walk sent the other way. */
function forgeOverlayMessage(message: OverlayMessage, rng: Rng): OverlayMessage {
  if (message.type === "gossip") return { ...message, payload: `${message.payload}~forged${rng.nextU32().toString(36)}` };
  if (message.type === "neighbor") return { ...message, priority: "high" };
  if (message.type === "neighborReply") return { ...message, accepted: !message.accepted };
  return message;
}

/**
 * Build the HyParView + Plumtree simulation target (registered as `plumtree`).
 * @param overrides - protocol settings over {@link OVERLAY_SIMULATION_CONFIG}
 * @param options.broadcastsPerSecond - the application's broadcasts over the whole cluster
 */
export function createPlumtreeSimulation(overrides: Partial<OverlayConfig> = {}, options: { readonly broadcastsPerSecond?: number } = {}): PlumtreeTarget {
  const config = resolveOverlayConfig({ ...OVERLAY_SIMULATION_CONFIG, ...overrides });
  const rate = options.broadcastsPerSecond ?? OVERLAY_SIM_BROADCASTS_PER_SECOND;
  return {
    name: "plumtree",
    description: "HyParView partial views (join, shuffle, failure repair) and Plumtree broadcast trees over them",
    defaultNodes: 8,
    minNodes: 2,
    tickMs: OVERLAY_TICK_MS,
    createNode: (ctx) => new BroadcastingMember(ctx, config, rate),
    messageCodec: overlayMessageCodec,
    recordCodec: overlayRecordCodec,
    createInvariants: () => [
      deliveryIntegrity(),
      viewShape(config),
      broadcastDelivered(OVERLAY_DELIVERY_BOUND_MS),
      disconnectDropsLink(),
      graftRetried(config),
      newLinkAnnounced(config),
      defendedEvictsWorst(),
      // The defences' own property, under attack (`--byzantine K --strategy eclipse`): without them attackers may hold more.
      ...(config.basalt && config.activeDefence ? [eclipseBounded()] : []),
    ],
    liveness: overlayConverges(60_000),
    metrics: overlayMetrics,
    forge: forgeOverlayMessage,
  };
}

/** The HyParView + Plumtree target with the simulation settings (registered as `plumtree`). */
export const plumtreeSimulation: PlumtreeTarget = createPlumtreeSimulation();

/** The same target with both eclipse defences on, `basalt` and `activeDefence` (registered as `plumtree-defended`). */
export const plumtreeDefendedSimulation: PlumtreeTarget = { ...createPlumtreeSimulation({ basalt: true, activeDefence: true }), name: "plumtree-defended" };
