/**
 * One bench node in a process of its own, as a deployment runs it (the `runtime` suite's
 * `processes` mode forks this file once per node; see `process-cluster.ts`). The closed-loop client
 * runs here too and proposes only if this node is the leader, so proposals never cross processes.
 * Talks to the parent over IPC ({@link ToNode} in, {@link FromNode} out).
 */
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
      return;
    }
    case "report": {
      const c = client as ClosedLoopClient;
      c.measuring = false;
      lag.disable();
      const b = baseline as NonNullable<typeof baseline>;
      const cpu = process.cpuUsage(b.cpu);
      const s = (node as BenchNode).stats;
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
