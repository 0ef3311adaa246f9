/**
 * One bench node in a process of its own, as a deployment runs it (the `runtime` suite's
 * `processes` mode forks this file once per node; see `process-cluster.ts`). The closed-loop client
 * runs here too and proposes only if this node is the leader, so proposals never cross processes.
 * Talks to the parent over IPC ({@link ToNode} in, {@link FromNode} out). With
 * `SYNOD_BENCH_CPU_PROF=<dir>`, each process writes a CPU profile of the measured window only
 * (`<dir>/<id>-leader|follower-<pid>.cpuprofile`, for Chrome DevTools), not of its start-up.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startBenchNode, type BenchNode, type BenchNodeSpec } from "./bench-node.js";
import { ClosedLoopClient } from "./closed-loop-client.js";

/** Parent → node. */
export type ToNode =
  | { readonly type: "start"; readonly spec: BenchNodeSpec; readonly batch: number }
  | { readonly type: "campaign" }
  | { readonly type: "measure" }
  | { readonly type: "report" }
  | { readonly type: "stop" };

/** What one node measured over the window (deltas from `measure` to `report`). */
export interface NodeWindow {
  readonly id: string;
  readonly leader: boolean;
  /** CPU of this process (user + system), microseconds. */
  readonly cpuMicros: number;
  readonly fsyncs: number;
  readonly fsyncMs: number;
  readonly records: number;
  /** Entries applied at this node's client while it led (0 at a follower). */
  readonly committed: number;
  /** Propose → applied latencies, ms (empty at a follower). */
  readonly latencies: readonly number[];
  readonly eventLoopDelayMsP99: number;
}

/** Node → parent. */
export type FromNode =
  | { readonly type: "started" }
  | { readonly type: "leader" }
  | { readonly type: "window"; readonly window: NodeWindow }
  | { readonly type: "stopped" }
  | { readonly type: "failed"; readonly error: string };

const send = (m: FromNode): void => void process.send?.(m);
let node: BenchNode | undefined;
let client: ClosedLoopClient | undefined;
let baseline: { cpu: NodeJS.CpuUsage; fsyncs: number; fsyncMs: number; records: number } | undefined;
const lag = monitorEventLoopDelay({ resolution: 1 });
const profileDir = process.env.SYNOD_BENCH_CPU_PROF;
let profiler: Session | undefined;

/** Start profiling the window (with SYNOD_BENCH_CPU_PROF). */
async function startProfile(): Promise<void> {
  if (profileDir === undefined) return;
  profiler = new Session();
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}

/** Write the window's profile, named after this node and its role. */
async function stopProfile(id: string, leader: boolean): Promise<void> {
  if (profiler === undefined || profileDir === undefined) return;
  const { profile } = await profiler.post("Profiler.stop");
  profiler.disconnect();
  profiler = undefined;
  writeFileSync(join(profileDir, `${id}-${leader ? "leader" : "follower"}-${process.pid}.cpuprofile`), JSON.stringify(profile));
}

async function handle(m: ToNode): Promise<void> {
  switch (m.type) {
    case "start": {
      const c = new ClosedLoopClient(m.batch);
      client = c;
      node = await startBenchNode(m.spec, (n, o) => {
        const wasLeader = c.leader !== undefined;
        c.onOutput(n, o);
        if (!wasLeader && c.leader !== undefined) send({ type: "leader" });
      });
      send({ type: "started" });
      return;
    }
    case "campaign":
      node?.request({ type: "campaign" });
      return;
    case "measure": {
      const s = (node as BenchNode).stats;
      baseline = { cpu: process.cpuUsage(), fsyncs: s.fsyncs, fsyncMs: s.fsyncMs, records: s.recordsPersisted };
      lag.reset();
      lag.enable();
      if (client !== undefined) client.measuring = true;
      await startProfile();
      return;
    }
    case "report": {
      const c = client as ClosedLoopClient;
      c.measuring = false;
      lag.disable();
      const b = baseline as NonNullable<typeof baseline>;
      const cpu = process.cpuUsage(b.cpu);
      const s = (node as BenchNode).stats;
      await stopProfile((node as BenchNode).node.id, c.leader !== undefined);
      send({
        type: "window",
        window: {
          id: (node as BenchNode).node.id,
          leader: c.leader !== undefined,
          cpuMicros: cpu.user + cpu.system,
          fsyncs: s.fsyncs - b.fsyncs,
          fsyncMs: s.fsyncMs - b.fsyncMs,
          records: s.recordsPersisted - b.records,
          committed: c.committed,
          latencies: c.latencies,
          eventLoopDelayMsP99: lag.percentile(99) / 1e6,
        },
      });
      return;
    }
    case "stop":
      await node?.stop();
      process.send?.({ type: "stopped" } satisfies FromNode, () => process.exit(0));
      return;
  }
}

process.on("message", (m: ToNode) => {
  handle(m).catch((error: unknown) => send({ type: "failed", error: String((error as Error)?.stack ?? error) }));
});
process.on("disconnect", () => process.exit(0));
