/**
 * @synod/runtime: committed writes per second and commit latency (p50/p99, propose → applied at the
 * leader) of a real Raft cluster on loopback — every node a RuntimeNode in this process with its own
 * WAL (real fdatasync, group commit) and TCP connections (mutual TLS 1.3 or plaintext) — for 3 and 5
 * nodes and proposal batches of 1 and 64 (a closed loop keeping a fixed number of entries in
 * flight). The baseline is the disk's limit measured in the same run: a bare loop that only appends
 * the same records (one framed `entries` record per batch, as the leader writes) to one file and
 * fdatasyncs after each batch. Target (issue 17): ≥ 50% of that loop's record rate with batching.
 */
import { FRAME_HEADER_BYTES, frameRecord } from "@synod/core";
import { raftRecordCodec } from "@synod/raft";
import { generateClusterCertificates, type Address, type TlsMaterial } from "@synod/runtime";
import { mkdtempSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext, BenchReport, BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { startBenchNode, type BenchNode, type BenchNodeSpec } from "../scenarios/runtime/bench-node.js";
import { benchCommand, ClosedLoopClient } from "../scenarios/runtime/closed-loop-client.js";
import { quantile, type Measured } from "../scenarios/runtime/measured.js";
import { runProcessCluster } from "../scenarios/runtime/process-cluster.js";

/** Issue 17: committed writes/s with batching ≥ this fraction of the bare fsync loop's record rate. */
const TARGET_FRACTION_OF_FSYNC = 0.5;

/** Where the nodes run: all in this process (one JS thread), or each in a process of its own (as deployed). */
type Mode = "one process" | "process per node";

interface Case {
  readonly nodes: number;
  readonly batch: number;
  readonly tls: boolean;
  readonly mode: Mode;
}

/** The bare loop: `batch` commands as one framed entries record, written and fdatasynced, repeated. */
async function bareFsyncLoop(
  dir: string,
  batch: number,
  durationMs: number,
): Promise<{ recordsPerSec: number; fsyncsPerSec: number }> {
  const entries = Array.from({ length: batch }, (_, i) => ({ type: "normal" as const, term: 1, index: i + 1, data: benchCommand(i + 1) }));
  const frame = frameRecord(raftRecordCodec.encode({ type: "entries", entries }));
  const handle = await open(join(dir, "bare.log"), "w");
  let syncs = 0;
  let position = 0;
  const start = performance.now();
  try {
    while (performance.now() - start < durationMs) {
      await handle.write(frame, 0, frame.length, position);
      position += frame.length;
      await handle.datasync();
      syncs++;
    }
  } finally {
    await handle.close();
  }
  const seconds = (performance.now() - start) / 1000;
  return { recordsPerSec: (syncs * batch) / seconds, fsyncsPerSec: syncs / seconds };
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  return ports;
}

/** The specs of a case's nodes (certificates generated under `dir` with TLS). */
async function nodeSpecs(dir: string, c: Case): Promise<BenchNodeSpec[]> {
  const ids = Array.from({ length: c.nodes }, (_, i) => `n${i + 1}`);
  const certs = c.tls ? generateClusterCertificates(join(dir, "certs"), ids) : undefined;
  const ports = await freePorts(c.nodes);
  const addresses = ids.map((id, i): [string, Address] => [id, { host: "127.0.0.1", port: ports[i] as number }]);
  // PEM as text: the material crosses to child processes.
  const pem = (id: string): TlsMaterial | undefined => {
    const m = certs?.get(id);
    return m === undefined ? undefined : { key: m.key.toString(), cert: m.cert.toString(), ca: m.ca.toString() };
  };
  return ids.map((id, i) => ({ id, members: ids, dir, addresses, tls: pem(id), seed: i + 1 }));
}

async function runCluster(dir: string, c: Case, durationMs: number, warmupMs: number): Promise<Measured> {
  const specs = await nodeSpecs(dir, c);
  if (c.mode === "process per node") return runProcessCluster(specs, c.batch, durationMs, warmupMs);
  const nodes: BenchNode[] = [];
  const client = new ClosedLoopClient(c.batch);
  for (const spec of specs) nodes.push(await startBenchNode(spec, (node, o) => client.onOutput(node, o)));
  nodes[0]?.request({ type: "campaign" });
  const deadline = performance.now() + 20_000;
  while (client.leader === undefined && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (client.leader === undefined) throw new Error("bench runtime: no leader within 20 s");
  await new Promise((r) => setTimeout(r, warmupMs));
  return measureWindow(nodes, client, durationMs);
}

/** Measures the running cluster (every node in this process) for `durationMs`, then stops its nodes. */
async function measureWindow(nodes: readonly BenchNode[], client: ClosedLoopClient, durationMs: number): Promise<Measured> {
  const leader = client.leader;
  const nodeFsyncs0 = nodes.map((n) => n.stats.fsyncs);
  const fsyncs0 = nodes.reduce((s, n) => s + n.stats.fsyncs, 0);
  const fsyncMs0 = nodes.reduce((s, n) => s + n.stats.fsyncMs, 0);
  const records0 = nodes.reduce((s, n) => s + n.stats.recordsPersisted, 0);
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  client.measuring = true;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  client.measuring = false;
  lag.disable();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuPercent = (100 * (cpu.user + cpu.system)) / 1e6 / seconds;
  const fsyncs = nodes.reduce((s, n) => s + n.stats.fsyncs, 0) - fsyncs0;
  const fsyncMs = nodes.reduce((s, n) => s + n.stats.fsyncMs, 0) - fsyncMs0;
  const records = nodes.reduce((s, n) => s + n.stats.recordsPersisted, 0) - records0;
  // Per committed batch, by role (the leader at the start of the window; a leader change inside
  // the window would blur these two figures, not the others).
  const batches = client.committed / client.batch;
  const nodeFsyncs = nodes.map((n, i) => n.stats.fsyncs - (nodeFsyncs0[i] as number));
  const leaderFsyncs = nodeFsyncs.filter((_, i) => nodes[i] === leader).reduce((a, b) => a + b, 0);
  const followerFsyncs = (nodeFsyncs.reduce((a, b) => a + b, 0) - leaderFsyncs) / Math.max(1, nodes.length - 1);
  for (const n of nodes) await n.stop();
  const latencies = client.latencies;
  latencies.sort((a, b) => a - b);
  return {
    writesPerSec: client.committed / seconds,
    latencyMsP50: quantile(latencies, 0.5),
    latencyMsP99: quantile(latencies, 0.99),
    fsyncsPerSec: fsyncs / seconds,
    recordsPerFsync: fsyncs === 0 ? 0 : records / fsyncs,
    cpuPercent,
    leaderFsyncsPerBatch: batches === 0 ? 0 : leaderFsyncs / batches,
    followerFsyncsPerBatch: batches === 0 ? 0 : followerFsyncs / batches,
    fsyncMsMean: fsyncs === 0 ? 0 : fsyncMs / fsyncs,
    eventLoopDelayMsP99: lag.percentile(99) / 1e6,
  };
}

type BareRate = { recordsPerSec: number; fsyncsPerSec: number };

/**
 * Samples of the bare loop per batch size — one at the start, one just before each case — and
 * each case measured. The ratio's denominator is the best sample (the disk's limit in this run),
 * so that a moment of a loaded disk never flatters the ratio.
 */
async function measureCases(
  dir: string,
  cases: readonly Case[],
  durationMs: number,
  warmupMs: number,
): Promise<{ bare: Map<number, BareRate[]>; measured: { c: Case; m: Measured }[] }> {
  const bare = new Map<number, BareRate[]>();
  const sampleBare = async (batch: number, ms: number): Promise<void> => {
    const samples = bare.get(batch) ?? [];
    samples.push(await bareFsyncLoop(dir, batch, ms));
    bare.set(batch, samples);
  };
  for (const batch of new Set(cases.map((c) => c.batch))) await sampleBare(batch, durationMs);
  const measured: { c: Case; m: Measured }[] = [];
  for (const [i, c] of cases.entries()) {
    await sampleBare(c.batch, Math.min(durationMs, 1_000));
    measured.push({ c, m: await runCluster(join(dir, `case${i}`), c, durationMs, warmupMs) });
  }
  return { bare, measured };
}

const bestOf = (samples: readonly BareRate[]): BareRate =>
  samples.reduce((best, b) => (b.recordsPerSec > best.recordsPerSec ? b : best), { recordsPerSec: 0, fsyncsPerSec: 0 });

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The row of one measured case; `ratio` is its rate over the bare loop's best rate. */
function caseRow(c: Case, m: Measured, ratio: number): BenchRow {
  return {
    name: `${c.nodes} nodes, batch ${c.batch}, ${c.tls ? "TLS 1.3" : "plaintext"}, ${c.mode}`,
    writesPerSec: round(m.writesPerSec),
    writesPerCpuSec: round(m.cpuPercent > 0 ? (m.writesPerSec * 100) / m.cpuPercent : 0),
    latencyMsP50: round(m.latencyMsP50, 2),
    latencyMsP99: round(m.latencyMsP99, 2),
    fsyncsPerSec: round(m.fsyncsPerSec),
    recordsPerFsync: round(m.recordsPerFsync),
    cpuPercent: round(m.cpuPercent),
    leaderFsyncsPerBatch: round(m.leaderFsyncsPerBatch, 3),
    followerFsyncsPerBatch: round(m.followerFsyncsPerBatch, 3),
    fsyncMsMean: round(m.fsyncMsMean, 2),
    eventLoopDelayMsP99: round(m.eventLoopDelayMsP99, 1),
    fractionOfBareFsync: round(ratio, 3),
  };
}

export const suite: BenchSuite = {
  name: "runtime",
  description: "real Raft over loopback TCP (TLS on/off) with fsynced WALs vs a bare fsync loop",
  async run(context: BenchContext): Promise<BenchReport> {
    const dir = mkdtempSync(join(tmpdir(), "synod-bench-runtime-"));
    try {
      const durationMs = context.quick ? 300 : 3_000;
      const warmupMs = context.quick ? 100 : 1_000;
      // Both modes of a case one after the other, so that each pair meets the same load.
      const modes: Mode[] = ["one process", "process per node"];
      const cases: Case[] = context.quick
        ? modes.map((mode) => ({ nodes: 3, batch: 64, tls: false, mode }))
        : [3, 5].flatMap((nodes) => [1, 64].flatMap((batch) => [false, true].flatMap((tls) => modes.map((mode) => ({ nodes, batch, tls, mode })))));
      const { bare, measured } = await measureCases(dir, cases, durationMs, warmupMs);
      const bestBare = (batch: number): BareRate => bestOf(bare.get(batch) ?? []);
      const rows: BenchRow[] = [...bare].map(([batch, samples]) => ({
        name: `bare fsync loop, ${batch} records per fsync`,
        writesPerSec: round(bestOf(samples).recordsPerSec),
        fsyncsPerSec: round(bestOf(samples).fsyncsPerSec),
        worstWritesPerSec: round(Math.min(...samples.map((b) => b.recordsPerSec))),
        samples: samples.length,
      }));
      const batchedRatio = new Map<Mode, number>(modes.map((mode) => [mode, Infinity]));
      for (const { c, m } of measured) {
        const ratio = m.writesPerSec / (bestBare(c.batch).recordsPerSec || 1);
        if (c.batch > 1) batchedRatio.set(c.mode, Math.min(batchedRatio.get(c.mode) as number, ratio));
        rows.push(caseRow(c, m, ratio));
      }
      const targets: BenchTarget[] = modes.map((mode) => ({
        description: `committed writes/s with batching (worst of 3/5 nodes, TLS on/off), ${mode} / bare fsync loop records/s`,
        value: round(batchedRatio.get(mode) as number, 3),
        target: TARGET_FRACTION_OF_FSYNC,
        unit: "ratio",
        higherIsBetter: true,
      }));
      return {
        rows,
        targets,
        notes: [
          "Two modes per case, run one after the other: `one process` runs every node in the bench's process (one JS thread and one heap for all); " +
            "`process per node` forks one process per node (scenarios/runtime/node-process.ts), as a deployment runs them, each with its own WAL, " +
            "TCP/TLS connections, event loop and heap, the closed-loop client in the leader's process. The WALs share one disk. " +
            "The bare loop fsyncs one file with nothing else running.",
          "The bare loop is sampled at the start (for the full duration) and for 1 s before each case; its row shows the best and the worst sample, " +
            "and every ratio divides by the best: on the shared machine the disk's rate swings with the load (264 to 3,729 fsyncs/s between runs), " +
            "and a sample taken at a slow moment would flatter the ratio.",
          `Frame overhead per record: ${FRAME_HEADER_BYTES} bytes. Latency: propose at the leader → applied at the leader.`,
          "cpuPercent: CPU of every node's process (user + system) over the window, summed, in percent of one core; " +
            "writesPerCpuSec = writesPerSec / (cpuPercent / 100): the rate per second of CPU the cluster got. " +
            "On a shared machine the process may get far less than a core (cpuPercent stays ~20% under a load average of 20 on 2 cores, " +
            "with event-loop delays of 100+ ms while it waits to be scheduled), which the bare loop, nearly idle on the CPU, does not feel.",
          "A committed write waits for two group commits in a row (leader's entries, follower's entries) before it is applied " +
            "(the leader's commit index is not synced on its own: it rides with its next records), " +
            "so its latency is about 2 × group-commit time + network; " +
            "fsyncMsMean is measured from the start of a sync to its continuation, so it includes the wait for the event loop and the threadpool " +
            "(on tmpfs, where fdatasync is free, it stays ~10 ms on this loaded machine).",
          "leaderFsyncsPerBatch / followerFsyncsPerBatch: group commits per committed batch at the leader and at a follower. " +
            "With the closed loop's window of 16 batches (batch 64), 1/16 and 1/16 mean that one cycle moves the whole window " +
            "with one leader sync (the entries proposed as the writes of one follower group commit applied) and one follower sync: " +
            "then fsyncs per write are not the limit, and on a loaded machine the process's share of a CPU is.",
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
