/**
 * SWIM + Lifeguard with adaptive tuning (`adaptive: true`: fanout, retransmit limit and probe
 * interval from the observed loss and cluster size) against the fixed defaults, side by side on the
 * same seeds and fault schedules: memberlist's LAN defaults (probe every 1 s, tick 100 ms), uniform
 * packet loss for the whole run (1, 5, 10, 15%), 3 members crashed for good at 20 s, 60 s runs, 200
 * and 1,000 members, seed 1. Measured: false
 * suspicions (a member's own probe suspects a member that is up), deaths of live members, detection
 * time (crash → declaration, first anywhere and mean over the observers), messages per member per
 * second, and the parameters the adaptive members ended with.
 */
import { createRng } from "@synod/core";
import { createGossipSimulation, DEFAULT_GOSSIP_CONFIG, type GossipConfig, type GossipNode } from "@synod/gossip";
import { runSimulation, type FaultEvent } from "@synod/simulator";
import type { BenchRow, BenchSuite, BenchTarget } from "../harness.js";

const MEMBERLIST: Partial<GossipConfig> = {
  probeIntervalTicks: DEFAULT_GOSSIP_CONFIG.probeIntervalTicks,
  probeTimeoutTicks: DEFAULT_GOSSIP_CONFIG.probeTimeoutTicks,
  suspicionMult: DEFAULT_GOSSIP_CONFIG.suspicionMult,
  pushPullIntervalTicks: DEFAULT_GOSSIP_CONFIG.pushPullIntervalTicks,
  kvSyncIntervalTicks: 0,
};

/** Crashes and their time. */
export const ADAPTIVE_SCENARIO = { crashes: 3, crashAtMs: 20_000 } as const;

/** Uniform loss over the run and `crashes` members crashed for good (drawn from `seed`). */
export function lossSchedule(n: number, durationMs: number, seed: number, loss: number): FaultEvent[] {
  const rng = createRng(seed).fork("adaptive-bench");
  const members = rng.shuffle([...Array(n).keys()]);
  const schedule: FaultEvent[] = [{ kind: "network", atMs: 0, durMs: durationMs, loss, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 }];
  for (const node of members.slice(0, ADAPTIVE_SCENARIO.crashes)) {
    schedule.push({ kind: "crash", atMs: ADAPTIVE_SCENARIO.crashAtMs, node, downMs: durationMs, mode: "clean", torn: false, corrupt: false });
  }
  return schedule;
}

/** One run: fixed or adaptive, at `loss`. */
export function adaptiveRun(n: number, durationMs: number, seed: number, loss: number, adaptive: boolean) {
  const base = createGossipSimulation({ ...MEMBERLIST, adaptive });
  let finalK = 0;
  let finalInterval = 0;
  let finalLimit = 0;
  let tunings = 0;
  let lossEstimate = 0;
  let counted = 0;
  const target = {
    ...base,
    metrics: (view: Parameters<NonNullable<typeof base.metrics>>[0]) => {
      for (const node of view.nodes.values() as IterableIterator<GossipNode | undefined>) {
        if (node === undefined) continue;
        counted++;
        finalK += node.tunedParameters.indirectChecks;
        finalInterval += node.tunedParameters.probeIntervalTicks;
        finalLimit += node.tunedParameters.retransmitLimit;
        lossEstimate += node.lossEstimate;
      }
      return base.metrics?.(view) ?? {};
    },
    createNode: (ctx: Parameters<typeof base.createNode>[0]) => {
      const node = base.createNode(ctx);
      const tick = node.tick.bind(node);
      node.tick = () => {
        const step = tick();
        for (const o of step.output) if (o.type === "tuned") tunings++;
        return step;
      };
      return node;
    },
  };
  const t0 = process.cpuUsage();
  const schedule = lossSchedule(n, durationMs, seed, loss);
  const result = runSimulation(target, { seed, nodes: n, durationMs, healAtMs: durationMs, schedule, checkLiveness: false });
  const cpu = process.cpuUsage(t0);
  const m = result.metrics;
  const c = Math.max(1, counted);
  return {
    violations: result.violations.length,
    falseSuspicions: m.falseSuspicions as number,
    falseFailedEvents: m.falseFailedEvents as number,
    meanFirstDetectionMs: m.meanFirstDetectionMs as number,
    meanDetectionMs: m.meanDetectionMs as number,
    detections: m.detections as number,
    messagesPerMemberPerSec: Math.round(((m.messagesSent as number) / n / (durationMs / 1000)) * 1000) / 1000,
    tunings,
    meanFinalIndirectChecks: Math.round((finalK / c) * 100) / 100,
    meanFinalProbeIntervalTicks: Math.round((finalInterval / c) * 100) / 100,
    meanFinalRetransmitLimit: Math.round((finalLimit / c) * 100) / 100,
    meanLossEstimate: Math.round((lossEstimate / c) * 10000) / 10000,
    cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 10) / 10,
  };
}

export const suite: BenchSuite = {
  name: "gossip-adaptive",
  description: "SWIM + Lifeguard: adaptive fanout, retransmit limit and probe interval against the fixed defaults under packet loss",
  async run({ quick }) {
    const sizes = quick ? [50] : [200, 1000];
    const durationMs = quick ? 30_000 : 60_000;
    const losses = quick ? [0.1] : [0.01, 0.05, 0.1, 0.15];
    const rows: BenchRow[] = [];
    const targets: BenchTarget[] = [];
    const notes: string[] = [];
    for (const n of sizes) for (const loss of losses) {
      const fixed = adaptiveRun(n, durationMs, 1, loss, false);
      const tuned = adaptiveRun(n, durationMs, 1, loss, true);
      rows.push({ name: `fixed, n=${n}, loss ${loss * 100}%`, ...fixed });
      rows.push({ name: `adaptive, n=${n}, loss ${loss * 100}%`, ...tuned });
      notes.push(
        `n=${n}, loss ${loss * 100}%: false suspicions ${fixed.falseSuspicions} → ${tuned.falseSuspicions}, ` +
          `deaths of live members ${fixed.falseFailedEvents} → ${tuned.falseFailedEvents}, ` +
          `mean detection ${fixed.meanDetectionMs} → ${tuned.meanDetectionMs} ms, ` +
          `messages/member/s ${fixed.messagesPerMemberPerSec} → ${tuned.messagesPerMemberPerSec}`,
      );
      if (loss >= 0.1) {
        targets.push({
          description: `false suspicions reduced at ${loss * 100}% loss (adaptive vs fixed, n=${n})`,
          value: Math.round((fixed.falseSuspicions / Math.max(1, tuned.falseSuspicions)) * 10) / 10,
          target: 2,
          unit: "x",
          higherIsBetter: true,
        });
        targets.push({
          description: `messages per member per second, adaptive / fixed at ${loss * 100}% loss (n=${n})`,
          value: Math.round((tuned.messagesPerMemberPerSec / fixed.messagesPerMemberPerSec) * 100) / 100,
          target: 1.1,
          unit: "x",
          higherIsBetter: false,
        });
      }
    }
    return { rows, targets, notes };
  },
};
