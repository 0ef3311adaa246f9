import { parentPort, workerData } from "node:worker_threads";
import { loadProtocol } from "../cli/registry.js";
import { runOneSeed, type BatchOptions } from "./run-summary.js";

/** What the main thread passes a seed worker. */
export interface WorkerInit {
  readonly protocol: string;
  readonly options: BatchOptions;
  readonly determinism: boolean;
}

/** Messages from a seed worker. */
export type WorkerReply =
  | { readonly type: "ready" }
  | { readonly type: "result"; readonly seed: number; readonly summary: import("./run-summary.js").RunSummary }
  | { readonly type: "error"; readonly seed: number; readonly message: string };

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");
const target = await loadProtocol(init.protocol);
if (target === undefined) throw new Error(`unknown protocol ${init.protocol}`);
port.on("message", (seed: number) => {
  let reply: WorkerReply;
  try {
    reply = { type: "result", seed, summary: runOneSeed(target, init.options, seed, init.determinism) };
  } catch (error) {
    reply = { type: "error", seed, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ type: "ready" } satisfies WorkerReply);
