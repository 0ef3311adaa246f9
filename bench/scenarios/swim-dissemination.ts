import type { NodeContext, NodeId } from "@synod/core";
import { createGossipSimulation, DEFAULT_GOSSIP_CONFIG, GossipNode, type GossipConfig, type GossipMessage, type GossipRecord } from "@synod/gossip";
import { runSimulation } from "@synod/simulator";

/**
 * How one update spreads by SWIM's piggybacking (issue 19): with memberlist's LAN defaults (probe
 * every 1 s, k = 3, λ = 4), no faults, no loss, push-pull and Scuttlebutt off (so that only
 * piggybacking carries it), member 0 leaves gracefully at `LEAVE_AT_MS` — one `left` update, told to
 * k + 1 members directly and piggybacked from there. Measured: when each other member first outputs
 * the leaver as `left` (in probe periods after the leave, at tick resolution: 0.1 period), and how
 * many messages carried the update (transmissions; each rides on a ping, ack or ping request sent anyway).
 */

/** When member 0 leaves, and how long the run goes on after it. */
export const DISSEMINATION = { leaveAtMs: 3_000, afterMs: 27_000 } as const;

/** memberlist's LAN defaults; no anti-entropy, so that the update travels by piggybacking alone. */
const CONFIG: Partial<GossipConfig> = {
  probeIntervalTicks: DEFAULT_GOSSIP_CONFIG.probeIntervalTicks,
  probeTimeoutTicks: DEFAULT_GOSSIP_CONFIG.probeTimeoutTicks,
  suspicionMult: DEFAULT_GOSSIP_CONFIG.suspicionMult,
  pushPullIntervalTicks: 0,
  kvSyncIntervalTicks: 0,
};

/** What the run saw of the update. */
interface Spread {
  readonly leaver: NodeId;
  readonly leaveTick: number;
  /** Member → tick at which it first output the leaver as `left`. */
  readonly heardAt: Map<NodeId, number>;
  transmissions: number;
}

/** A member that leaves at `spread.leaveTick` if it is the leaver, and reports the update's spread. */
class ObservedMember extends GossipNode {
  constructor(
    ctx: NodeContext<GossipRecord>,
    config: Partial<GossipConfig>,
    private readonly spread: Spread,
  ) {
    super(ctx, config);
  }

  override tick(): ReturnType<GossipNode["tick"]> {
    let step = super.tick();
    if (this.id === this.spread.leaver && this.ticks === this.spread.leaveTick) {
      const leave = this.request({ type: "leave" });
      step = { persist: [...step.persist, ...leave.persist], send: [...step.send, ...leave.send], output: [...step.output, ...leave.output] };
    }
    return this.noteSpread(step);
  }

  override receive(from: NodeId, message: GossipMessage): ReturnType<GossipNode["receive"]> {
    return this.noteSpread(super.receive(from, message));
  }

  private noteSpread(step: ReturnType<GossipNode["tick"]>): ReturnType<GossipNode["tick"]> {
    const { leaver, heardAt } = this.spread;
    for (const e of step.send) {
      if ("updates" in e.message && e.message.updates.some((u) => u.member === leaver && u.state === "left")) this.spread.transmissions++;
    }
    for (const out of step.output) {
      if (out.type === "left" && out.member === leaver && !heardAt.has(this.id)) heardAt.set(this.id, this.ticks);
    }
    return step;
  }
}

/** Rounds until the k-th member heard (of the sorted rounds), −1 if fewer than k heard within the run. */
const roundsUntil = (sorted: readonly number[], k: number): number => sorted[k - 1] ?? -1;

/** One run of `n` members: rounds until half, 99% and all of the others hold the leaver as left; transmissions per member. */
export function swimDisseminationRun(n: number, seed: number) {
  const base = createGossipSimulation(CONFIG);
  let spread: Spread | undefined;
  const target = {
    ...base,
    createNode: (ctx: NodeContext<GossipRecord>): GossipNode => {
      const config = base.createNode(ctx).config;
      spread ??= { leaver: ctx.members[0] as NodeId, leaveTick: DISSEMINATION.leaveAtMs / base.tickMs, heardAt: new Map(), transmissions: 0 };
      return new ObservedMember(ctx, config, spread);
    },
  };
  const durationMs = DISSEMINATION.leaveAtMs + DISSEMINATION.afterMs;
  const cpu0 = process.cpuUsage();
  const result = runSimulation(target, { seed, nodes: n, durationMs, healAtMs: durationMs, schedule: [], checkLiveness: false });
  const cpu = process.cpuUsage(cpu0);
  if (spread === undefined) throw new Error("no member created");
  const period = DEFAULT_GOSSIP_CONFIG.probeIntervalTicks;
  const rounds = [...spread.heardAt.values()].map((tick) => (tick - spread!.leaveTick) / period).sort((a, b) => a - b);
  const others = n - 1;
  return {
    violations: result.violations.length,
    reachedPct: Math.round((rounds.length / others) * 10_000) / 100,
    roundsToHalf: roundsUntil(rounds, Math.ceil(others / 2)),
    roundsTo99Pct: roundsUntil(rounds, Math.ceil(0.99 * others)),
    roundsToAll: roundsUntil(rounds, others),
    transmissionsPerMember: Math.round((spread.transmissions / n) * 100) / 100,
    messagesPerMemberPerSec: Math.round(((result.metrics.messagesSent as number) / n / (durationMs / 1000)) * 100) / 100,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}
