import { createRng, type ClusterView, type NodeContext } from "@synod/core";
import { BroadcastingMember, broadcastKey, createPlumtreeSimulation, overlayTrackerOf } from "@synod/gossip";
import type { OverlayConfig, OverlayNode, OverlayRecord, OverlayTracker } from "@synod/gossip";
import { runSimulation, type FaultEvent } from "@synod/simulator";
import type { BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { eclipseRun } from "../scenarios/overlay-eclipse.js";

/**
 * Plumtree over HyParView (issue 19) in the deterministic simulator, against plain eager gossip.
 *
 * - **Stable network**: the overlay forms for `WARM_MS` (every member joins through a random seed at
 *   start), then the application broadcasts (4 per second over the cluster). Payload messages per
 *   broadcast — every `gossip` message carrying its id, graft answers included — are counted for the
 *   broadcasts made between `WARM_MS` and the end less 5 s, against n − 1 (one per tree edge). Run
 *   with the default rewiring (every 30 s per member, each one a new eager link until a duplicate
 *   prunes it) and without.
 * - **Plain eager gossip** (the baseline, computed here, no simulator): each member forwards a new
 *   message to `fanout` members drawn from the whole membership, once; messages ≈ fanout × n.
 * - **20% crashed**: at `CRASH_AT_MS`, 20% of the members (drawn per seed) crash for good. Delivery
 *   is the share of the members up at the end that delivered a broadcast, for broadcasts made in the
 *   first 5 s after the crash (the overlay still repairing: dead tree links, grafts to dead members)
 *   and after that.
 */

const WARM_MS = 15_000;
const CRASH_AT_MS = 20_000;
const DURATION_MS = 40_000;
const TAIL_MS = 5_000;

type View = ClusterView<OverlayNode, never, never>;

/** What the counting target counted, by broadcast key: payload messages, and the most hops at a delivery. */
interface Counted {
  readonly payloadsById: ReadonlyMap<string, number>;
  readonly hopsById: ReadonlyMap<string, number>;
}

/** The simulation target with every payload message counted by broadcast id, and the run's view kept for the end. */
function countingTarget(config: Partial<OverlayConfig>) {
  const payloadsById = new Map<string, number>();
  // The most hops (Plumtree's round: 0 at the origin) at which a member delivered each broadcast.
  const hopsById = new Map<string, number>();
  const count = (step: ReturnType<OverlayNode["tick"]>) => {
    for (const e of step.send) {
      if (e.message.type !== "gossip") continue;
      const key = broadcastKey(e.message.id);
      payloadsById.set(key, (payloadsById.get(key) ?? 0) + 1);
    }
    for (const out of step.output) {
      if (out.type !== "deliver") continue;
      const key = broadcastKey(out.id);
      hopsById.set(key, Math.max(hopsById.get(key) ?? 0, out.round));
    }
  };
  class CountingMember extends BroadcastingMember {
    override tick(): ReturnType<OverlayNode["tick"]> {
      const step = super.tick();
      count(step);
      return step;
    }
    override receive(...args: Parameters<OverlayNode["receive"]>): ReturnType<OverlayNode["receive"]> {
      const step = super.receive(...args);
      count(step);
      return step;
    }
  }
  const base = createPlumtreeSimulation(config);
  const kept: { view?: View } = {};
  const target = {
    ...base,
    createNode: (ctx: NodeContext<OverlayRecord>) => new CountingMember(ctx, base.createNode(ctx).config),
    metrics: (v: View) => ((kept.view = v), base.metrics?.(v) ?? {}),
  };
  return { target, payloadsById, hopsById, kept };
}

/** Payloads per broadcast, hops to the last member and delivery shares of the broadcasts made after the warm-up, over the members never crashed. */
function summarise(tracker: OverlayTracker, live: readonly string[], counted: Counted, crashed: boolean, durationMs: number) {
  const { payloadsById, hopsById } = counted;
  const stable = { broadcasts: 0, payloads: 0, reached: 0, hops: 0 };
  const during = { reached: 0, broadcasts: 0 };
  const after = { reached: 0, broadcasts: 0 };
  const reached = (at: ReadonlyMap<string, number>) => live.filter((id) => at.has(id)).length / live.length;
  for (const [key, record] of tracker.broadcasts) {
    if (record.atMs < WARM_MS || record.atMs > durationMs - TAIL_MS) continue;
    if (!crashed) {
      stable.broadcasts++;
      stable.payloads += payloadsById.get(key) ?? 0;
      stable.hops += hopsById.get(key) ?? 0;
      stable.reached += reached(record.deliveredAt);
    } else if (record.atMs >= CRASH_AT_MS && live.includes(record.origin)) {
      const bucket = record.atMs < CRASH_AT_MS + TAIL_MS ? during : after;
      bucket.reached += reached(record.deliveredAt);
      bucket.broadcasts++;
    }
  }
  const pct = (sum: number, k: number) => (k === 0 ? -1 : Math.round((sum / k) * 10_000) / 100);
  return {
    stableBroadcasts: stable.broadcasts,
    payloadsPerBroadcast: stable.broadcasts === 0 ? 0 : Math.round((stable.payloads / stable.broadcasts) * 100) / 100,
    hopsToAll: stable.broadcasts === 0 ? 0 : Math.round((stable.hops / stable.broadcasts) * 100) / 100,
    stableDeliveredPct: pct(stable.reached, stable.broadcasts),
    deliveredPctFirst5s: pct(during.reached, during.broadcasts),
    broadcastsFirst5s: during.broadcasts,
    deliveredPctAfter: pct(after.reached, after.broadcasts),
    broadcastsAfter: after.broadcasts,
  };
}

/** One run: payloads per broadcast (stable window) and delivery shares around a crash of `crashShare` of the members. */
function plumtreeRun(n: number, seed: number, config: Partial<OverlayConfig>, crashShare: number, durationMs = DURATION_MS) {
  const { target, payloadsById, hopsById, kept } = countingTarget(config);
  const crashed = createRng(seed).fork("crashes").shuffle([...Array(n).keys()]).slice(0, Math.round(n * crashShare));
  const crash = { kind: "crash", atMs: CRASH_AT_MS, downMs: durationMs, mode: "clean", torn: false, corrupt: false } as const;
  const schedule: FaultEvent[] = crashed.map((node) => ({ ...crash, node }));
  const t0 = process.hrtime.bigint();
  const result = runSimulation(target, { seed, nodes: n, durationMs, healAtMs: durationMs, schedule, checkLiveness: false });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const view = kept.view;
  if (view === undefined) throw new Error("no metrics");
  // The members never crashed (the crashed ones are restarted when the run heals, at its end).
  const down = new Set(crashed.map((i) => view.members[i]));
  const live = view.members.filter((id) => !down.has(id));
  return {
    violations: result.violations.length,
    ...summarise(overlayTrackerOf(view), live, { payloadsById, hopsById }, crashShare > 0, durationMs),
    grafts: result.metrics.grafts as number,
    meanActiveView: result.metrics.meanActiveView as number,
    messagesPerMemberPerSec: Math.round(((result.metrics.messagesSent as number) / n / (durationMs / 1000)) * 100) / 100,
    wallMs: Math.round(wallMs),
  };
}

/** Plain eager push gossip: each member forwards a new message to `fanout` random members, once. @returns messages and members reached */
export function eagerGossip(n: number, fanout: number, seed: number): { messages: number; reached: number } {
  const rng = createRng(seed).fork("eager");
  const has = new Uint8Array(n);
  has[0] = 1;
  let reached = 1;
  let messages = 0;
  const queue = [0];
  while (queue.length > 0) {
    const at = queue.shift() as number;
    for (let i = 0; i < fanout; i++) {
      let to = rng.int(0, n - 1);
      if (to >= at) to++;
      messages++;
      if (has[to] === 0) {
        has[to] = 1;
        reached++;
        queue.push(to);
      }
    }
  }
  return { messages, reached };
}

const ratio = (payloads: number, n: number) => Math.round((payloads / (n - 1)) * 1000) / 1000;

/** The rows and targets of one cluster size. */
function sizeRows(n: number, rows: BenchRow[], targets: BenchTarget[], notes: string[]): void {
  const stable = plumtreeRun(n, 1, {}, 0);
  rows.push({ name: `Plumtree, stable, n=${n}`, ...stable, perTreeEdge: ratio(stable.payloadsPerBroadcast, n) });
  const still = plumtreeRun(n, 1, { rewireIntervalTicks: 0 }, 0);
  rows.push({ name: `Plumtree, stable, no rewiring, n=${n}`, ...still, perTreeEdge: ratio(still.payloadsPerBroadcast, n) });
  targets.push({
    description: `Plumtree payload messages per broadcast, stable network, n=${n}, over n − 1`,
    value: stable.payloadsPerBroadcast / (n - 1),
    target: 1.2,
    unit: "x",
    higherIsBetter: false,
  });
  const fanout = Math.ceil(Math.log(n)) + 1;
  let messages = 0;
  let reached = 0;
  const seeds = 20;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = eagerGossip(n, fanout, seed);
    messages += r.messages;
    reached += r.reached;
  }
  const perBroadcast = messages / seeds;
  const reachedPct = Math.round((reached / seeds / n) * 10_000) / 100;
  const name = `plain eager gossip, fanout ${fanout}, n=${n} (${seeds} seeds)`;
  rows.push({ name, payloadsPerBroadcast: perBroadcast, perTreeEdge: ratio(perBroadcast, n), reachedPct });
  const crash = plumtreeRun(n, 1, {}, 0.2);
  rows.push({ name: `Plumtree, 20% crashed at ${CRASH_AT_MS / 1000} s, n=${n}`, ...crash });
  const description = `delivery to live members, broadcasts from 5 s after 20% crashed, n=${n}`;
  targets.push({ description, value: crash.deliveredPctAfter, target: 100, unit: "%", higherIsBetter: true });
  const eager = `plain eager gossip, fanout ${fanout}: ${perBroadcast}`;
  notes.push(`n=${n}: Plumtree ${stable.payloadsPerBroadcast} payloads per broadcast (n − 1 = ${n - 1}); ${eager}`);
}

export const suite: BenchSuite = {
  name: "plumtree",
  description: "Plumtree over HyParView: payloads per broadcast in a stable network against plain eager gossip; delivery with 20% of members crashed",
  async run({ quick }) {
    const rows: BenchRow[] = [];
    const targets: BenchTarget[] = [];
    const notes: string[] = [];
    for (const n of quick ? [30] : [100, 1000]) sizeRows(n, rows, targets, notes);
    // The eclipse attempt (bench/scenarios/overlay-eclipse.ts): no defence, the Basalt sampler (passive
    // view), and the sampler with the active view's defence; then with admission (5 of the attacker ids certified).
    const n = quick ? 30 : 100;
    const defences: [string, Partial<OverlayConfig>][] = [
      ["no defence", { basalt: false }],
      ["Basalt sampler", { basalt: true }],
      ["Basalt sampler + active defence", { basalt: true, activeDefence: true }],
    ];
    const durationMs = quick ? 20_000 : 60_000;
    for (const share of quick ? [0.2] : [0.1, 0.2]) {
      for (const [label, config] of defences) {
        rows.push({ name: `eclipse, ${share * 100}% attacker ids, ${label}, n=${n}`, ...eclipseRun(n, share, config, 1, durationMs) });
      }
    }
    const admitted = Math.round(n * 0.05);
    for (const [label, config] of [defences[0], defences[2]] as [string, Partial<OverlayConfig>][]) {
      const r = eclipseRun(n, 0.2, config, 1, durationMs, admitted);
      rows.push({ name: `eclipse, 20% attacker ids, ${admitted} admitted, ${label}, n=${n}`, ...r });
    }
    return { rows, targets, notes };
  },
};
