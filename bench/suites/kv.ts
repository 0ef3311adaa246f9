/**
 * The replicated-KV comparison: the same seed, network model and open-loop workload (request rate,
 * value size, read share) through every replication protocol of `bench/scenarios/protocols/`, in
 * one process, so that every comparison is a ratio measured in one run. Rows: throughput, latency
 * (simulated ms), messages, bytes and CPU per operation against cluster size; the saturation point;
 * the same under faults (time without progress, throughput during and after, recovery); and the
 * cost of checking the invariants after every event. Charts for `pnpm bench --report`.
 */
import { loadKvProtocols, type KvProtocol } from "../scenarios/kv-protocol.js";
import { KV_FAULTS, faultFigures } from "../scenarios/kv-faults.js";
import { coordinatorAt, runKv, type KvRunFigures, type KvRunOptions } from "../scenarios/kv-run.js";
import { DEFAULT_KV_WORKLOAD, type KvWorkload } from "../scenarios/kv-workload.js";
import type { ChartSeries } from "@synod/viz/charts";
import type { BenchChart, BenchReport, BenchRow, BenchSuite } from "../harness.js";

const SEED = 1;
const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

interface Plan {
  readonly durationMs: number;
  /** Not counted: the cluster starting and electing (see KvRunOptions.warmupMs). */
  readonly warmupMs: number;
  readonly sizes: (p: KvProtocol) => readonly number[];
  readonly rates: readonly number[];
  readonly saturationMs: number;
  readonly faultMs: { readonly at: number; readonly dur: number; readonly end: number };
  readonly faults: typeof KV_FAULTS;
}

const FULL: Plan = {
  durationMs: 2_500,
  warmupMs: 500,
  sizes: (p) => p.clusterSizes,
  rates: [100, 400, 1_600, 6_400],
  saturationMs: 1_500,
  faultMs: { at: 1_000, dur: 1_000, end: 3_000 },
  faults: KV_FAULTS,
};
const QUICK: Plan = {
  durationMs: 600,
  warmupMs: 250,
  sizes: (p) => p.clusterSizes.slice(0, 1),
  rates: [100, 400],
  saturationMs: 700,
  faultMs: { at: 200, dur: 200, end: 600 },
  faults: KV_FAULTS.filter((f) => f.name === "coordinator crash" || f.name === "loss 5%"),
};

function figureRow(name: string, f: KvRunFigures): BenchRow {
  return {
    name,
    opsPerSimSec: round(f.opsPerSimSec, 1),
    latencyMsP50: round(f.latencyMsP50),
    latencyMsP99: round(f.latencyMsP99),
    latencyMsP999: round(f.latencyMsP999),
    messagesPerOp: round(f.messagesPerOp, 1),
    bytesPerOp: Math.round(f.bytesPerOp),
    cpuUsPerOp: Math.round(f.cpuUsPerOp),
    okOps: f.okOps,
  };
}

/** Throughput and latency against cluster size, and the latency CDF of each protocol at its second size. */
function scaling(protocols: readonly KvProtocol[], plan: Plan, workload: KvWorkload): { rows: BenchRow[]; charts: BenchChart[] } {
  const rows: BenchRow[] = [];
  const throughput: ChartSeries[] = [];
  const p99: ChartSeries[] = [];
  const cdf: ChartSeries[] = [];
  for (const protocol of protocols) {
    const tp: [number, number][] = [];
    const lat: [number, number][] = [];
    for (const nodes of plan.sizes(protocol)) {
      const f = runKv(protocol, { seed: SEED, nodes, durationMs: plan.durationMs, warmupMs: plan.warmupMs, workload });
      rows.push(figureRow(`${protocol.name}, ${nodes} nodes, ${workload.ratePerSec} ops/s offered`, f));
      tp.push([nodes, f.opsPerSimSec]);
      lat.push([nodes, f.latencyMsP99]);
      if (nodes === (plan.sizes(protocol)[1] ?? plan.sizes(protocol)[0])) {
        cdf.push({ name: `${protocol.name} (${nodes} nodes)`, points: f.latencies.map((l, i) => [l, (i + 1) / f.latencies.length] as const) });
      }
    }
    throughput.push({ name: protocol.name, points: tp });
    p99.push({ name: protocol.name, points: lat });
  }
  return {
    rows,
    charts: [
      {
        file: "kv-throughput",
        title: `Committed ops per simulated second (${workload.ratePerSec} ops/s offered)`,
        xLabel: "cluster size",
        yLabel: "ops / simulated s",
        series: throughput,
      },
      { file: "kv-latency-p99", title: "p99 latency against cluster size", xLabel: "cluster size", yLabel: "p99 latency (simulated ms)", series: p99 },
      { file: "kv-latency-cdf", title: "Latency CDF", xLabel: "latency (simulated ms)", yLabel: "share of ops", series: cdf },
    ],
  };
}

/**
 * The saturation point: the highest offered rate still served (≥ 95 % of the operations invoked
 * completed by the end of the run, p99 within
 * 5 × the lowest rate's). Past it, latency grows with the length of the run. The simulator
 * charges no simulated time for computation, so only the protocols' own limits (windows, batches,
 * timeouts) can saturate them here; "none tried" means the highest rate tried was still served.
 */
function saturation(protocols: readonly KvProtocol[], plan: Plan, workload: KvWorkload): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const protocol of protocols) {
    const nodes = protocol.clusterSizes[0] as number;
    let base: number | undefined;
    let served = 0;
    let tried = 0;
    for (const rate of plan.rates) {
      tried = rate;
      const offered = { ...workload, ratePerSec: rate };
      const f = runKv(protocol, { seed: SEED, nodes, durationMs: plan.saturationMs, warmupMs: plan.warmupMs, workload: offered, countBytes: false });
      base ??= f.latencyMsP99;
      const ok = f.completedShare >= 0.95 && f.latencyMsP99 <= 5 * base;
      rows.push({ ...figureRow(`${protocol.name}, ${nodes} nodes, ${rate} ops/s offered`, f), completedShare: round(f.completedShare, 3), served: ok });
      if (!ok) break;
      served = rate;
    }
    const firstUnserved = served === tried ? "none tried" : tried;
    rows.push({ name: `${protocol.name}, ${nodes} nodes: saturation point`, servedOpsPerSec: served, firstUnservedOpsPerSec: firstUnserved });
  }
  return rows;
}

/** Each fault at the smallest size of each protocol; the timeline of each fault as a chart. */
function faults(protocols: readonly KvProtocol[], plan: Plan, workload: KvWorkload): { rows: BenchRow[]; charts: BenchChart[] } {
  const rows: BenchRow[] = [];
  const charts: BenchChart[] = [];
  const { at, dur, end } = plan.faultMs;
  for (const fault of plan.faults) {
    const series: ChartSeries[] = [];
    for (const protocol of protocols) {
      const nodes = protocol.clusterSizes[0] as number;
      const base: Omit<KvRunOptions, "schedule" | "durationMs"> = { seed: SEED, nodes, workload, countBytes: false };
      const coordinator = coordinatorAt(protocol, base, at) ?? 0;
      const f = runKv(protocol, { ...base, durationMs: end, schedule: fault.schedule(at, dur, coordinator, nodes) });
      const ff = faultFigures(f.okTimes, at, dur, end);
      rows.push({
        name: `${protocol.name}, ${nodes} nodes: ${fault.name} at ${at} ms for ${dur} ms`,
        noProgressMs: ff.noProgressMs,
        recoveryMs: ff.recoveryMs,
        opsPerSecBefore: round(ff.opsPerSecBefore, 1),
        opsPerSecDuring: round(ff.opsPerSecDuring, 1),
        opsPerSecAfter: round(ff.opsPerSecAfter, 1),
        // no operation completed in the whole run (e.g. a short --quick run that ends before recovery)
        latencyMsP99: Number.isFinite(f.latencyMsP99) ? round(f.latencyMsP99) : "none completed",
      });
      series.push({ name: `${protocol.name} (${nodes})`, points: f.timeline.map((n, i) => [(i * f.bucketMs) / 1000, (n * 1000) / f.bucketMs] as const) });
    }
    const file = `kv-fault-${fault.name.replace(/[^a-z0-9]+/gi, "-").replace(/-+$/, "").toLowerCase()}`;
    const markers = [{ x: at / 1000, label: "fault" }, { x: (at + dur) / 1000, label: "heal" }];
    charts.push({ file, title: `Throughput around: ${fault.name}`, xLabel: "simulated s", yLabel: "ok ops / s", series, markers });
  }
  return { rows, charts };
}

/** The same run with the invariants checked after every event and without: the CPU ratio. */
function verificationCost(protocols: readonly KvProtocol[], plan: Plan, workload: KvWorkload): { rows: BenchRow[]; notes: string[] } {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const protocol of protocols) {
    const nodes = protocol.clusterSizes[0] as number;
    const options = { seed: SEED, nodes, durationMs: plan.durationMs, workload, countBytes: false };
    runKv(protocol, { ...options, invariants: true }); // warm-up: both paths compiled before either is measured
    const off = runKv(protocol, { ...options, invariants: false });
    const on = runKv(protocol, { ...options, invariants: true });
    const ratio = on.cpuMs / off.cpuMs;
    const name = `${protocol.name}, ${nodes} nodes: invariants on vs off`;
    rows.push({ name, cpuMsOn: Math.round(on.cpuMs), cpuMsOff: Math.round(off.cpuMs), ratioOnOff: round(ratio), violations: on.violations });
    notes.push(
      `${protocol.name}: checking every invariant after every event costs ${round(ratio)}x the CPU of the bare run ` +
        `(same seed, same events: ${on.events} vs ${off.events}).`,
    );
  }
  return { rows, notes };
}

/** The replicated-KV comparison suite. */
export const suite: BenchSuite = {
  name: "kv",
  description: "replicated KV through every replication protocol: scaling, saturation, faults, verification cost (simulated time)",
  async run(context): Promise<BenchReport> {
    const plan = context.quick ? QUICK : FULL;
    const workload = DEFAULT_KV_WORKLOAD;
    const protocols = await loadKvProtocols();
    const scale = scaling(protocols, plan, workload);
    const sat = saturation(protocols, plan, workload);
    const fault = faults(protocols, plan, workload);
    const verify = verificationCost(protocols, plan, workload);
    const names = protocols.map((p) => p.name);
    const ratioNotes = scalingRatios(scale.rows, protocols);
    return {
      rows: [...scale.rows, ...sat, ...fault.rows, ...verify.rows],
      charts: [...scale.charts, ...fault.charts],
      notes: [
        `Protocols: ${names.join(", ")} (one file each in bench/scenarios/protocols/). Seed ${SEED}; ` +
          "network: the simulator's default (links 1–10 ms, 2 ms jitter); " +
          `open-loop ${workload.ratePerSec} ops/s, ${workload.valueBytes}-byte values, ${workload.readShare * 100}% reads, ${workload.keys} keys; ` +
          `${plan.durationMs} ms simulated per run, the first ${plan.warmupMs} ms (start-up, first election) not counted.`,
        "Latency: invocation to ok, simulated ms (Raft reads are ReadIndex reads; PBFT orders every operation; " +
          "CRAQ writes enter at the head and commit at the tail, a read of a dirty key asks the tail). " +
          "Bytes: every message through the protocol's codec. CPU: this process, per ok op, invariants off.",
        ...ratioNotes,
        ...verify.notes,
      ],
    };
  },
};

/** @returns notes with the ratios of each protocol to the first one at matching positions of their size lists */
function scalingRatios(rows: readonly BenchRow[], protocols: readonly KvProtocol[]): string[] {
  const first = protocols.find((p) => p.name === "raft") ?? protocols[0];
  if (first === undefined) return [];
  const others = protocols.filter((p) => p !== first);
  const pick = (p: KvProtocol, nodes: number): BenchRow | undefined => rows.find((r) => r.name.startsWith(`${p.name}, ${nodes} nodes,`));
  const notes: string[] = [];
  for (const other of others) {
    first.clusterSizes.forEach((n, i) => {
      const m = other.clusterSizes[i];
      const a = pick(first, n), b = m === undefined ? undefined : pick(other, m);
      if (a === undefined || b === undefined) return;
      const r = (k: string): string => String(round((b[k] as number) / (a[k] as number)));
      notes.push(
        `${other.name} ${m} / ${first.name} ${n} (same f tolerated: ${i + 1}): p99 latency ${r("latencyMsP99")}x, ` +
          `messages/op ${r("messagesPerOp")}x, bytes/op ${r("bytesPerOp")}x, CPU/op ${r("cpuUsPerOp")}x`,
      );
    });
  }
  return notes;
}
