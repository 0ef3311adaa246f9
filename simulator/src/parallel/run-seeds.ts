import { Worker } from "node:worker_threads";
import { MAX_WORKERS } from "../engine/limits.js";
import type { BatchOptions, RunSummary } from "./run-summary.js";
import type { WorkerInit, WorkerReply } from "./worker.js";

/** A batch of seeds for {@link runSeedsInWorkers}. */
export interface SeedBatch {
  readonly protocol: string;
  readonly options: BatchOptions;
  readonly seeds: readonly number[];
  readonly workers: number;
  readonly determinism: boolean;
  /** Called as each seed finishes (in completion order). */
  readonly onResult?: (summary: RunSummary, done: number, total: number) => void;
}

/** The summary of a seed whose run threw (a simulator or target bug, or a limit). */
export function errorSummary(protocol: string, seed: number, message: string): RunSummary {
  return {
    protocol,
    seed,
    nodes: 0,
    faults: [],
    faultRates: {},
    scheduledFaults: 0,
    healAtMs: 0,
    simulatedMs: 0,
    events: 0,
    messagesDelivered: 0,
    violations: [{ invariant: "SimulatorError", event: -1, message, timeMs: 0 }],
    traceHash: "",
    invariants: [],
    metrics: {},
  };
}

/** The ESM entry of tsx's loader API, resolved from this file (bare specifier as a fallback). */
function resolveTsxApi(): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    return "tsx/esm/api";
  }
}

/**
 * How a worker thread loads TypeScript: the worker's entry is a tiny bootstrap that registers tsx's
 * ESM loader in that thread, then imports the real (`.ts`) entry. Compiled (`.js`) builds load directly.
 */
function startWorker(init: WorkerInit): Worker {
  const entry = new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, { workerData: init });
  const tsxApi = resolveTsxApi();
  const boot = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: init, execArgv: ["--conditions=source"] });
}

/**
 * Run many seeds on worker threads (one simulation per seed, seeds handed out as workers free up).
 * @returns the summaries, in the order of `seeds`
 */
export async function runSeedsInWorkers(batch: SeedBatch): Promise<RunSummary[]> {
  const total = batch.seeds.length;
  const results = new Map<number, RunSummary>();
  const workerCount = Math.max(1, Math.min(batch.workers, MAX_WORKERS, total));
  let nextIndex = 0;
  const init: WorkerInit = { protocol: batch.protocol, options: batch.options, determinism: batch.determinism };
  await new Promise<void>((resolve, reject) => {
    let live = workerCount;
    const finishWorker = (worker: Worker): void => {
      void worker.terminate();
      if (--live === 0) resolve();
    };
    for (let w = 0; w < workerCount; w++) {
      const worker = startWorker(init);
      const inFlight: number[] = [];
      const feed = (): void => {
        if (nextIndex >= total) return finishWorker(worker);
        const seed = batch.seeds[nextIndex++] as number;
        inFlight.push(seed);
        worker.postMessage(seed);
      };
      worker.on("message", (reply: WorkerReply) => {
        if (reply.type === "ready") return feed();
        inFlight.shift();
        const summary = reply.type === "result" ? reply.summary : errorSummary(batch.protocol, reply.seed, reply.message);
        results.set(reply.seed, summary);
        batch.onResult?.(summary, results.size, total);
        feed();
      });
      worker.on("error", (error) => {
        for (const seed of inFlight) results.set(seed, errorSummary(batch.protocol, seed, `worker failed: ${error.message}`));
        reject(error);
      });
    }
  });
  return batch.seeds.map((seed) => results.get(seed) ?? errorSummary(batch.protocol, seed, "no result"));
}
