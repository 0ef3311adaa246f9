import type { NetworkOptions } from "@synod/simulator";
import { faultFigures, KV_FAULTS } from "../scenarios/kv-faults.js";
import type { KvProtocol } from "../scenarios/kv-protocol.js";
import { coordinatorAt, runKv } from "../scenarios/kv-run.js";
import { DEFAULT_KV_WORKLOAD } from "../scenarios/kv-workload.js";

/**
 * What a search optimises: a measured figure and whether higher is better.
 * @typeParam S - what a setting builds and the goal measures (a KV protocol; for gossip, a target factory)
 */
export interface TuneGoal<S = KvProtocol> {
  readonly name: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly description: string;
  /** @returns the figure of one seed (NaN: the run gave none, e.g. nothing committed) */
  measure(subject: S, seed: number, nodes: number, network: Partial<NetworkOptions>, loss: number): number;
}

const lossSchedule = (loss: number, durMs: number) =>
  loss > 0 ? [{ kind: "network" as const, atMs: 0, durMs, loss, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 }] : undefined;

/** The goals of `pnpm tune --goal` for the KV protocols (Raft, PBFT). */
export const KV_TUNE_GOALS: Readonly<Record<string, TuneGoal>> = {
  throughput: {
    name: "throughput",
    unit: "ok ops/simulated s",
    higherIsBetter: true,
    description: "ok operations per simulated second under an open-loop overload of 4,000 ops/s (1.5 s, first 0.5 s not counted)",
    measure(protocol, seed, nodes, network, loss) {
      const schedule = lossSchedule(loss, 1_500);
      const workload = { ...DEFAULT_KV_WORKLOAD, ratePerSec: 4_000 };
      const f = runKv(protocol, { seed, nodes, durationMs: 1_500, warmupMs: 500, workload, network, countBytes: false, ...(schedule ? { schedule } : {}) });
      return f.opsPerSimSec;
    },
  },
  p99: {
    name: "p99",
    unit: "simulated ms",
    higherIsBetter: false,
    description: "p99 latency at 200 ops/s (2.5 s, first 0.5 s not counted)",
    measure(protocol, seed, nodes, network, loss) {
      const schedule = lossSchedule(loss, 2_500);
      const options = { seed, nodes, durationMs: 2_500, warmupMs: 500, workload: DEFAULT_KV_WORKLOAD, network, countBytes: false };
      const f = runKv(protocol, { ...options, ...(schedule ? { schedule } : {}) });
      return f.latencyMsP99;
    },
  },
  recovery: {
    name: "recovery",
    unit: "simulated ms",
    higherIsBetter: false,
    description: "time from a leader/primary crash (at 1 s) to the next committed operation, at 200 ops/s (3,000 ms: none before the run ended)",
    measure(protocol, seed, nodes, network, loss) {
      const base = { seed, nodes, workload: DEFAULT_KV_WORKLOAD, network, countBytes: false };
      const coordinator = coordinatorAt(protocol, base, 1_000) ?? 0;
      const crash = (KV_FAULTS[0] as (typeof KV_FAULTS)[number]).schedule(1_000, 3_000, coordinator, nodes);
      const schedule = [...crash, ...(lossSchedule(loss, 4_000) ?? [])];
      const f = runKv(protocol, { ...base, durationMs: 4_000, schedule });
      return faultFigures(f.okTimes, 1_000, 3_000, 4_000).recoveryMs;
    },
  },
};
