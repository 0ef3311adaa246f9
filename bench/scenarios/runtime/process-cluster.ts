import { fork, type ChildProcess, type ForkOptions } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchNodeSpec } from "./bench-node.js";
import { quantile, type Measured } from "./measured.js";
import type { FromNode, NodeWindow, ToNode } from "./node-process.js";

const NODE_PROCESS = fileURLToPath(new URL("./node-process.ts", import.meta.url));

/** How long a node process may take to answer the parent (start, report): far beyond a loaded machine's delays. */
const ANSWER_TIMEOUT_MS = 60_000;

/** A forked node process and its next messages. */
class NodeProcess {
  private readonly waiting: { type: FromNode["type"]; resolve: (m: FromNode) => void; reject: (e: Error) => void }[] = [];
  leader = false;
  private failure: Error | undefined;

  constructor(readonly child: ChildProcess) {
    child.on("message", (m: FromNode) => {
      if (m.type === "leader") this.leader = true;
      if (m.type === "failed") this.fail(new Error(`bench runtime: a node process failed: ${m.error}`));
      const i = this.waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]?.resolve(m);
    });
    child.on("exit", (code) => this.fail(new Error(`bench runtime: a node process exited (${String(code)})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  send(m: ToNode): void {
    this.child.send(m);
  }

  /**
   * @returns the next message of type `type`; rejects after {@link ANSWER_TIMEOUT_MS}, so that a
   * node process that stops answering (a busy loop on its thread) fails the case instead of hanging the bench
   */
  next<T extends FromNode["type"]>(type: T): Promise<Extract<FromNode, { type: T }>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new Error(`bench runtime: node process ${String(this.child.pid)} sent no '${type}' within ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      const waiter = {
        type,
        resolve: (m: FromNode) => {
          clearTimeout(timer);
          resolve(m as Extract<FromNode, { type: T }>);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiting.push(waiter);
    });
  }
}

/**
 * Runs a case with every node in a process of its own (`node-process.ts`, forked with the tsx
 * loader like the bench's suite processes): its own WAL, TCP/TLS connections, event loop and heap;
 * the closed-loop client in the leader's process. CPU is each process's own over the window, summed.
 */
/** With SYNOD_BENCH_TRACE=1, each phase of a case (started, leader, measured, stopped) is written to stderr. */
const trace = process.env.SYNOD_BENCH_TRACE === "1" ? (what: string): void => void process.stderr.write(`bench runtime: ${what}\n`) : (): void => {};

export async function runProcessCluster(specs: readonly BenchNodeSpec[], batch: number, durationMs: number, warmupMs: number): Promise<Measured> {
  const forkOptions: ForkOptions = {
    execArgv: ["--conditions=source", "--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  };
  const nodes = specs.map(() => new NodeProcess(fork(NODE_PROCESS, [], forkOptions)));
  try {
    await Promise.all(
      nodes.map((n, i) => {
        const started = n.next("started");
        n.send({ type: "start", spec: specs[i] as BenchNodeSpec, batch });
        return started;
      }),
    );
    trace("started");
    nodes[0]?.send({ type: "campaign" });
    const deadline = performance.now() + 20_000;
    while (!nodes.some((n) => n.leader) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (!nodes.some((n) => n.leader)) throw new Error("bench runtime: no leader within 20 s");
    trace("leader");
    await new Promise((r) => setTimeout(r, warmupMs));
    for (const n of nodes) n.send({ type: "measure" });
    const start = performance.now();
    await new Promise((r) => setTimeout(r, durationMs));
    const windows = await Promise.all(
      nodes.map((n) => {
        const w = n.next("window");
        n.send({ type: "report" });
        return w;
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    trace("measured");
    return summarize(
      windows.map((w) => w.window),
      batch,
      seconds,
    );
  } finally {
    await Promise.all(
      nodes.map(async (n) => {
        if (n.child.exitCode !== null) return;
        const exited = new Promise((r) => n.child.once("exit", r));
        n.send({ type: "stop" });
        const timer = setTimeout(() => n.child.kill(), 5_000);
        await exited;
        clearTimeout(timer);
        trace("stopped");
      }),
    );
  }
}

function summarize(windows: readonly NodeWindow[], batch: number, seconds: number): Measured {
  const sum = (f: (w: NodeWindow) => number): number => windows.reduce((s, w) => s + f(w), 0);
  const leaders = windows.filter((w) => w.leader);
  const committed = sum((w) => w.committed);
  const fsyncs = sum((w) => w.fsyncs);
  const leaderFsyncs = leaders.reduce((s, w) => s + w.fsyncs, 0);
  const followerFsyncs = (fsyncs - leaderFsyncs) / Math.max(1, windows.length - leaders.length);
  const batches = committed / batch;
  const latencies = windows.flatMap((w) => w.latencies).sort((a, b) => a - b);
  return {
    writesPerSec: committed / seconds,
    latencyMsP50: quantile(latencies, 0.5),
    latencyMsP99: quantile(latencies, 0.99),
    fsyncsPerSec: fsyncs / seconds,
    recordsPerFsync: fsyncs === 0 ? 0 : sum((w) => w.records) / fsyncs,
    cpuPercent: (100 * sum((w) => w.cpuMicros)) / 1e6 / seconds,
    leaderFsyncsPerBatch: batches === 0 ? 0 : leaderFsyncs / batches,
    followerFsyncsPerBatch: batches === 0 ? 0 : followerFsyncs / batches,
    fsyncMsMean: fsyncs === 0 ? 0 : sum((w) => w.fsyncMs) / fsyncs,
    eventLoopDelayMsP99: Math.max(...windows.map((w) => w.eventLoopDelayMsP99)),
  };
}
