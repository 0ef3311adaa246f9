/**
 * Raft's adaptive election timeout (config `adaptiveElectionTimeout`, after Dynatune) against the
 * fixed default, in one run: a 3-node cluster on links of 50–100 ms one way (2 ms jitter), the
 * leader crashes at 1 s; the time from the crash until a new leader is elected, and until the next
 * committed client operation, per seed, both settings on the same seeds. On such links the fixed
 * 10-tick (100 ms) timeout expires before an election's round trips come back (and CheckQuorum
 * deposes every leader), so elections keep failing; the adaptive one has learned the round trip
 * from the heartbeats before the crash. Also the default network (1–10 ms), where it must not be worse.
 *
 * Then adaptive batching (config `adaptiveBatching`) against sending every proposal at once, in one
 * run: a 3-node cluster on the default network under the KV workload at rising open-loop rates;
 * messages per operation and p50/p99 latency, both settings on the same seed.
 */
import { runSimulation } from "@synod/simulator";
import type { BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { withKvWorkload } from "../scenarios/kv-protocol.js";
import { faultFigures } from "../scenarios/kv-faults.js";
import { coordinatorAt, runKv } from "../scenarios/kv-run.js";
import { DEFAULT_KV_WORKLOAD } from "../scenarios/kv-workload.js";
import { TUNE_SPACES, type TuneSpace } from "../tune/space.js";

const NETWORKS = [
  { name: "links 50–100 ms", network: { minLatencyMs: 50, maxLatencyMs: 100, jitterMs: 2 } },
  { name: "default links 1–10 ms", network: { jitterMs: 2 } },
] as const;
const CRASH_MS = 1_000;
const END_MS = 4_000;

/** @returns ms from the crash to the first new leader (END_MS - CRASH_MS: none) and to the next ok operation */
function recovery(adaptive: boolean, seed: number, network: (typeof NETWORKS)[number]["network"]): { electionMs: number; commitMs: number } {
  const space = TUNE_SPACES.raft as TuneSpace;
  const protocol = space.build({ ...space.defaults, adaptiveElectionTimeout: adaptive });
  const base = withKvWorkload(protocol.target, DEFAULT_KV_WORKLOAD);
  const leader = coordinatorAt(protocol, { seed, nodes: 3, workload: DEFAULT_KV_WORKLOAD, network }, CRASH_MS) ?? 0;
  let electedMs = Number.POSITIVE_INFINITY;
  const target = {
    ...base,
    createNode(ctx: Parameters<typeof base.createNode>[0]) {
      const node = base.createNode(ctx);
      let ticks = 0;
      const tick = node.tick.bind(node);
      const watch = <S extends { output: readonly unknown[] }>(step: S, nowMs: number): S => {
        for (const o of step.output as { type: string; role?: string }[]) {
          if (o.type === "role" && o.role === "leader" && nowMs > CRASH_MS) electedMs = Math.min(electedMs, nowMs);
        }
        return step;
      };
      const receive = node.receive.bind(node);
      const receiveBytes = node.receiveBytes.bind(node);
      // A node's time is its ticks (no clock skew in these runs): to the tick, when it became leader.
      node.tick = () => watch(tick(), ++ticks * protocol.tickMs);
      node.receive = (from, message) => watch(receive(from, message), ticks * protocol.tickMs);
      node.receiveBytes = (from, bytes) => watch(receiveBytes(from, bytes), ticks * protocol.tickMs);
      return node;
    },
  };
  const schedule = [{ kind: "crash" as const, atMs: CRASH_MS, node: leader, downMs: END_MS, mode: "clean" as const, torn: false, corrupt: false }];
  const options = { seed, nodes: 3, durationMs: END_MS, healAtMs: END_MS, schedule, network, checkInvariants: false, checkLiveness: false };
  const result = runSimulation(target, { ...options, workload: { mode: "open", ratePerSec: 200 } });
  const okTimes = result.history.filter((e) => e.type === "ok").map((e) => e.timeMs).sort((a, b) => a - b);
  return { electionMs: Math.min(END_MS, electedMs) - CRASH_MS, commitMs: faultFigures(okTimes, CRASH_MS, END_MS - CRASH_MS, END_MS).recoveryMs };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Open-loop KV rates (ops per simulated second) at which batching is compared; the quick run takes the last. */
const BATCHING_RATES = [200, 2_000, 10_000] as const;
const BATCHING_MS = 3_000;

/** @returns the KV figures of a 3-node run at `rate` with adaptive batching on or off */
function batchingRun(adaptiveBatching: boolean, rate: number, durationMs: number) {
  const space = TUNE_SPACES.raft as TuneSpace;
  const protocol = space.build({ ...space.defaults, adaptiveBatching });
  return runKv(protocol, { seed: 1, nodes: 3, durationMs, workload: { ...DEFAULT_KV_WORKLOAD, ratePerSec: rate }, invariants: false });
}

/** Adaptive batching against sending at once: rows and a note per rate, and the message ratio at the highest rate as a target. */
function batchingRows(quick: boolean): { rows: BenchRow[]; notes: string[]; targets: BenchTarget[] } {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const targets: BenchTarget[] = [];
  const rates = quick ? BATCHING_RATES.slice(-1) : BATCHING_RATES;
  for (const rate of rates) {
    const durationMs = quick ? BATCHING_MS / 2 : BATCHING_MS;
    const fixed = batchingRun(false, rate, durationMs);
    const adaptive = batchingRun(true, rate, durationMs);
    for (const [label, f] of [["send at once", fixed], ["adaptive batching", adaptive]] as const) {
      rows.push({
        name: `${rate} ops/s: ${label}`,
        opsPerSimSec: Math.round(f.opsPerSimSec),
        messagesPerOp: Math.round(f.messagesPerOp * 100) / 100,
        latencyMsP50: Math.round(f.latencyMsP50 * 10) / 10,
        latencyMsP99: Math.round(f.latencyMsP99 * 10) / 10,
      });
    }
    const ratio = fixed.messagesPerOp / adaptive.messagesPerOp;
    const p99 = `p99 ${fixed.latencyMsP99.toFixed(1)} → ${adaptive.latencyMsP99.toFixed(1)} ms`;
    notes.push(`${rate} ops/s: messages per operation, at once / adaptive = ${ratio.toFixed(2)}x; ${p99}.`);
    if (rate === BATCHING_RATES[BATCHING_RATES.length - 1]) {
      const description = `${rate} ops/s, 3 nodes: messages per operation, sending at once / adaptive batching`;
      targets.push({ description, value: Math.round(ratio * 100) / 100, target: 1.2, unit: "x", higherIsBetter: true });
    }
  }
  return { rows, notes, targets };
}

export const suite: BenchSuite = {
  name: "raft-adaptive",
  description: "Raft: recovery from a leader crash, adaptive election timeout vs the fixed default, same seeds; adaptive batching vs sending at once",
  async run({ quick }) {
    const seeds = quick ? [1] : [1, 2, 3, 4, 5, 6, 7, 8];
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    const targets: BenchTarget[] = [];
    for (const { name, network } of NETWORKS) {
      const fixed = seeds.map((s) => recovery(false, s, network));
      const adaptive = seeds.map((s) => recovery(true, s, network));
      for (const [label, runs] of [["fixed timeout (10–20 ticks of 10 ms)", fixed], ["adaptive timeout", adaptive]] as const) {
        rows.push({
          name: `${name}: ${label}`,
          electionMsMean: Math.round(mean(runs.map((r) => r.electionMs))),
          electionMsMax: Math.max(...runs.map((r) => r.electionMs)),
          commitMsMean: Math.round(mean(runs.map((r) => r.commitMs))),
          seeds: seeds.length,
        });
      }
      const ratio = mean(fixed.map((r) => r.commitMs)) / mean(adaptive.map((r) => r.commitMs));
      const list = (runs: typeof fixed, k: "electionMs" | "commitMs"): string => runs.map((r) => r[k]).join(", ");
      notes.push(
        `${name}: time to the next commit, fixed/adaptive = ${ratio.toFixed(2)}x (bounded by the run: ${END_MS - CRASH_MS} = none before it ended). ` +
          `Per seed, to the next commit (ms): fixed ${list(fixed, "commitMs")}; adaptive ${list(adaptive, "commitMs")}. ` +
          `To a new leader: fixed ${list(fixed, "electionMs")}; adaptive ${list(adaptive, "electionMs")}.`,
      );
      if (name.startsWith("links 50")) {
        const description = `${name}: time from a leader crash to the next commit, fixed / adaptive`;
        targets.push({ description, value: Math.round(ratio * 100) / 100, target: 1.5, unit: "x", higherIsBetter: true });
      }
    }
    const batching = batchingRows(quick);
    return { rows: [...rows, ...batching.rows], targets: [...targets, ...batching.targets], notes: [...notes, ...batching.notes] };
  },
};
