import { cpuUsage } from "node:process";
import type { ClusterView, ProtocolNode } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { runSimulation, type FaultEvent, type NetworkOptions } from "@synod/simulator";
import { withKvWorkload, type KvProtocol } from "./kv-protocol.js";
import type { KvWorkload } from "./kv-workload.js";

/** One run of the replicated-KV scenario. */
export interface KvRunOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly durationMs: number;
  readonly workload: KvWorkload;
  readonly network?: Partial<NetworkOptions>;
  readonly schedule?: readonly FaultEvent[];
  /** Check the protocol's invariants after every event (default false: the figures are the protocol's). */
  readonly invariants?: boolean;
  /** Encode every message through the codec to count bytes (default true). */
  readonly countBytes?: boolean;
  /** Operations invoked before this are not counted in throughput and latency (the cluster starting up, electing). Default 0. */
  readonly warmupMs?: number;
  /** Width of the throughput timeline's buckets, simulated ms (default 100). */
  readonly bucketMs?: number;
}

/** What one run measured. Latencies in simulated ms, from invocation to the `ok`. */
export interface KvRunFigures {
  readonly okOps: number;
  readonly invoked: number;
  /** Of the operations invoked after the warm-up and at least 250 ms before the end, the share that completed ok. */
  readonly completedShare: number;
  readonly opsPerSimSec: number;
  readonly latencyMsP50: number;
  readonly latencyMsP99: number;
  readonly latencyMsP999: number;
  readonly messagesPerOp: number;
  readonly bytesPerOp: number;
  readonly cpuUsPerOp: number;
  readonly cpuMs: number;
  readonly events: number;
  readonly violations: number;
  /** Sorted latencies of the ok operations (for CDFs). */
  readonly latencies: readonly number[];
  /** ok completions per bucket of `bucketMs`, from 0 to the run's end. */
  readonly timeline: readonly number[];
  readonly bucketMs: number;
  /** Completion times of the ok operations, ascending. */
  readonly okTimes: readonly number[];
}

/** @returns the q-quantile of ascending `sorted` (NaN when empty) */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Run the KV scenario once through `protocol` and measure it. */
export function runKv(protocol: KvProtocol, options: KvRunOptions): KvRunFigures {
  const target = withKvWorkload(protocol.target, options.workload);
  const bucketMs = options.bucketMs ?? 100;
  const warmupMs = options.warmupMs ?? 0;
  const cpu0 = cpuUsage();
  const result = runSimulation(target, {
    seed: options.seed,
    nodes: options.nodes,
    durationMs: options.durationMs,
    healAtMs: options.durationMs,
    ...(options.schedule !== undefined ? { schedule: [...options.schedule] } : { faults: "none" as const }),
    ...(options.network !== undefined ? { network: options.network } : {}),
    workload: { mode: "open", ratePerSec: options.workload.ratePerSec, maxInFlight: 100_000 },
    checkInvariants: options.invariants ?? false,
    checkLiveness: false,
    codecRoundTrip: options.countBytes ?? true,
  });
  const cpu = cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const invokedAt = new Map<number, number>();
  const latencies: number[] = [];
  const okTimes: number[] = [];
  const timeline = new Array<number>(Math.ceil(options.durationMs / bucketMs)).fill(0);
  for (const e of result.history) {
    if (e.type === "invoke") invokedAt.set(e.id, e.timeMs);
    else if (e.type === "ok" && e.timeMs <= options.durationMs) {
      const invoked = invokedAt.get(e.id) ?? e.timeMs;
      okTimes.push(e.timeMs);
      const b = Math.min(timeline.length - 1, Math.floor(e.timeMs / bucketMs));
      timeline[b] = (timeline[b] ?? 0) + 1;
      if (invoked >= warmupMs) latencies.push(e.timeMs - invoked);
    }
  }
  latencies.sort((a, b) => a - b);
  okTimes.sort((a, b) => a - b);
  const okIds = new Set<number>();
  for (const e of result.history) if (e.type === "ok") okIds.add(e.id);
  let window = 0, windowOk = 0;
  for (const [id, at] of invokedAt) {
    if (at < warmupMs || at > options.durationMs - 250) continue;
    window++;
    if (okIds.has(id)) windowOk++;
  }
  const ok = latencies.length;
  const per = (x: number): number => (ok === 0 ? Number.NaN : x / ok);
  return {
    okOps: ok,
    invoked: invokedAt.size,
    completedShare: window === 0 ? Number.NaN : windowOk / window,
    opsPerSimSec: (ok * 1000) / (options.durationMs - warmupMs),
    latencyMsP50: quantile(latencies, 0.5),
    latencyMsP99: quantile(latencies, 0.99),
    latencyMsP999: quantile(latencies, 0.999),
    messagesPerOp: per(result.metrics.messagesSent ?? result.messagesDelivered),
    bytesPerOp: per(result.metrics.bytesSent ?? 0),
    cpuUsPerOp: per(cpuMs * 1000),
    cpuMs,
    events: result.events,
    violations: result.violations.length,
    latencies,
    timeline,
    bucketMs,
    okTimes,
  };
}

/**
 * The index of the node coordinating `protocol` at `atMs` in a fault-free run of the same seed,
 * network and workload (a run is deterministic: the faulty run is the same one up to `atMs`).
 * @returns the node index, or undefined when no node coordinates then
 */
export function coordinatorAt(protocol: KvProtocol, options: Omit<KvRunOptions, "schedule" | "durationMs">, atMs: number): number | undefined {
  let found: number | undefined;
  const base = withKvWorkload(protocol.target, options.workload);
  const target = {
    ...base,
    metrics: (view: ClusterView<ProtocolNode<unknown, unknown, unknown, unknown>, KvOp, KvResult>) => {
      found = protocol.coordinatorIndex(view);
      return {};
    },
  };
  runSimulation(target, {
    seed: options.seed,
    nodes: options.nodes,
    durationMs: atMs,
    faults: "none",
    ...(options.network !== undefined ? { network: options.network } : {}),
    workload: { mode: "open", ratePerSec: options.workload.ratePerSec, maxInFlight: 100_000 },
    checkInvariants: false,
    checkLiveness: false,
  });
  return found;
}
