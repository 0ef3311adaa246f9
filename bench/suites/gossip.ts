import { createRng } from "@synod/core";
import { createGossipSimulation, DEFAULT_GOSSIP_CONFIG, monitorOf, type GossipConfig, type GossipMonitor } from "@synod/gossip";
import { runSimulation, type FaultEvent, type SimulationOptions } from "@synod/simulator";
import type { BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { GOSSIP_10K } from "../scenarios/gossip-10k-flag.js";

/**
 * SWIM with and without Lifeguard in the deterministic simulator, with memberlist's LAN defaults
 * (probe every 1 s, probe timeout 500 ms, 3 indirect probes, suspicion multiplier 4, max 6×,
 * retransmit multiplier 4, push-pull every 30 s, tick 100 ms). The gray-failure scenario follows the Lifeguard paper's:
 * a few members are slow to process messages (here: every message in or out of them is delayed by
 * 1–4 s, for the whole run), 1% of all packets are lost, and a few members crash for good.
 *
 * A false positive, as in the paper, is a healthy member (neither slow nor crashed) declared dead at
 * some member: `healthyFalseFailed` counts those events over all observers. Deaths of the slow
 * members themselves are reported apart (`slowFalseFailed`): they do not answer within the probe
 * period, and declaring them is the detector doing its job on a degraded member.
 * Detection time: from a crash to its declaration, averaged over every observer that declared it.
 */

/** The three protocol variants compared. */
const VARIANTS: ReadonlyArray<{ readonly name: string; readonly config: Partial<GossipConfig> }> = [
  { name: "SWIM", config: { lifeguard: false, deathAsSuspicion: false } },
  { name: "SWIM+Lifeguard", config: { lifeguard: true, deathAsSuspicion: false } },
  { name: "SWIM+Lifeguard+death-as-suspicion", config: { lifeguard: true, deathAsSuspicion: true } },
];

const MEMBERLIST: Partial<GossipConfig> = {
  probeIntervalTicks: DEFAULT_GOSSIP_CONFIG.probeIntervalTicks,
  probeTimeoutTicks: DEFAULT_GOSSIP_CONFIG.probeTimeoutTicks,
  suspicionMult: DEFAULT_GOSSIP_CONFIG.suspicionMult,
  pushPullIntervalTicks: DEFAULT_GOSSIP_CONFIG.pushPullIntervalTicks,
  // memberlist has no replicated key-value state: no Scuttlebutt exchanges and no simulated writers
  // (the simulation's own config turns both on; left on, they add ~1.1 messages per member per second).
  kvSyncIntervalTicks: DEFAULT_GOSSIP_CONFIG.kvSyncIntervalTicks,
};

/** Share of members that are slow, extra one-way delay range, loss, crashes. */
export const GRAY = { slowShare: 0.05, extraMinMs: 1_000, extraMaxMs: 4_000, loss: 0.01, crashes: 3, crashAtMs: 20_000 } as const;

/** The gray-failure schedule for n members over `durationMs` (drawn from `seed`), and which members are slow. */
export function grayFailureSchedule(n: number, durationMs: number, seed: number): { schedule: FaultEvent[]; slow: Set<number> } {
  const rng = createRng(seed).fork("gray");
  const members = rng.shuffle([...Array(n).keys()]);
  const slow = Math.max(1, Math.round(n * GRAY.slowShare));
  const schedule: FaultEvent[] = [{ kind: "network", atMs: 0, durMs: durationMs, loss: GRAY.loss, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 }];
  for (const node of members.slice(0, slow)) {
    schedule.push({ kind: "slow", atMs: 0, durMs: durationMs, node, extraMs: Math.floor(GRAY.extraMinMs + (GRAY.extraMaxMs - GRAY.extraMinMs) * rng.float()) });
  }
  for (const node of members.slice(slow, slow + GRAY.crashes)) {
    schedule.push({ kind: "crash", atMs: GRAY.crashAtMs, node, downMs: durationMs, mode: "clean", torn: false, corrupt: false });
  }
  return { schedule, slow: new Set(members.slice(0, slow)) };
}

/** One gray-failure run of a variant (`onProgress`: told how far the run is, for the long 10,000-member runs). */
export function grayRun(n: number, durationMs: number, seed: number, config: Partial<GossipConfig>, onProgress?: SimulationOptions["onProgress"]) {
  const base = createGossipSimulation({ ...MEMBERLIST, ...config });
  let monitor: GossipMonitor | undefined;
  const target = { ...base, metrics: (view: Parameters<NonNullable<typeof base.metrics>>[0]) => ((monitor = monitorOf(view)), base.metrics?.(view) ?? {}) };
  const { schedule, slow } = grayFailureSchedule(n, durationMs, seed);
  const t0 = process.hrtime.bigint();
  // Every message goes through the wire codec (what a deployment sends): its bytes are counted.
  const options = { seed, nodes: n, durationMs, healAtMs: durationMs, schedule, checkLiveness: false, codecRoundTrip: true, onProgress };
  const result = runSimulation(target, options);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = result.metrics;
  const seconds = durationMs / 1000;
  let healthyFalseFailed = 0;
  let slowFalseFailed = 0;
  (monitor?.falseFailedByMember ?? []).forEach((count, member) => {
    if (slow.has(member)) slowFalseFailed += count;
    else healthyFalseFailed += count;
  });
  return {
    violations: result.violations.length,
    healthyFalseFailed,
    slowFalseFailed,
    falsePositives: m.falsePositives as number,
    falseSuspicions: m.falseSuspicions as number,
    meanDetectionMs: m.meanDetectionMs as number,
    meanFirstDetectionMs: m.meanFirstDetectionMs as number,
    detections: m.detections as number,
    messagesPerMemberPerSec: (m.messagesSent as number) / n / seconds,
    bytesPerMemberPerSec: (m.bytesSent as number) / n / seconds,
    wallMs,
  };
}

export const suite: BenchSuite = {
  name: "gossip",
  description:
    "SWIM vs SWIM+Lifeguard: false positives and detection time under gray failures, messages and bytes per member per second (through the wire codec)",
  async run({ quick }) {
    // 10,000 members only with SYNOD_BENCH_GOSSIP_10K=1, and without death-as-suspicion (minutes of CPU per run).
    const sizes = quick ? [30] : GOSSIP_10K ? [100, 1000, 10_000] : [100, 1000];
    const durationMs = quick ? 30_000 : 60_000;
    const rows: BenchRow[] = [];
    const fp = new Map<string, number>();
    const detection = new Map<string, number>();
    for (const n of sizes) {
      for (const variant of n >= 10_000 ? VARIANTS.slice(0, 2) : VARIANTS) {
        const r = grayRun(n, durationMs, 1, variant.config);
        rows.push({ name: `${variant.name}, n=${n}`, ...r });
        fp.set(`${variant.name}@${n}`, r.healthyFalseFailed);
        detection.set(`${variant.name}@${n}`, r.meanDetectionMs);
      }
    }
    const targets: BenchTarget[] = [];
    const notes: string[] = [];
    for (const n of sizes) {
      const plain = fp.get(`SWIM@${n}`) ?? 0;
      for (const variant of VARIANTS.slice(1)) {
        if (!fp.has(`${variant.name}@${n}`)) continue;
        const with_ = fp.get(`${variant.name}@${n}`) ?? 0;
        const ratio = plain / Math.max(1, with_);
        notes.push(
          `n=${n}: ${variant.name} false positives at healthy members ${with_} vs SWIM ${plain} (${ratio.toFixed(1)}x fewer; counted as 1 when 0); ` +
            `mean detection ${detection.get(`${variant.name}@${n}`)} ms vs ${detection.get(`SWIM@${n}`)} ms`,
        );
        if (variant === VARIANTS[1]) {
          targets.push({
            description: `false positives at healthy members reduced at n=${n} (${variant.name} vs SWIM)`,
            value: Math.round(ratio * 10) / 10,
            target: 10,
            unit: "x",
            higherIsBetter: true,
          });
        }
      }
    }
    return { rows, targets, notes };
  },
};
