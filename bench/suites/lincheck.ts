import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkOperations, loadHistory, type HistoryFormat, type LoadedHistory } from "@synod/lincheck";
import type { BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { sharedData } from "../../test/support/shared-data.js";

/** Porcupine (Go) on this kind of machine, per the issue; our targets are 3x these. */
const PORCUPINE_ETCD_LONGEST_MS = 125;
const PORCUPINE_KV_50_CLIENTS_MS = 220;
const TARGET_FACTOR = 3;
/** Measured checks per history in a real run (after warm-up), and the most time spent on one. */
const RUNS = 15;
const WARMUP_RUNS = 3;
const MAX_MS_PER_HISTORY = 10_000;

interface Measured {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly verdict: string;
  readonly iterations: number;
}

function measure(history: LoadedHistory, quick: boolean): Measured {
  const runs = quick ? 1 : RUNS;
  const warmup = quick ? 0 : WARMUP_RUNS;
  const times: number[] = [];
  let verdict = "";
  let iterations = 0;
  const started = performance.now();
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = process.hrtime.bigint();
    const result = checkOperations(history.model, history.operations, { timeoutMs: 10_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= warmup) times.push(ms);
    verdict = String(result.linearizable);
    iterations = result.iterations;
    if (performance.now() - started > MAX_MS_PER_HISTORY && times.length > 0) break;
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(times[Math.floor(times.length / 2)] as number), minMs: round(times[0] as number), maxMs: round(times[times.length - 1] as number), verdict, iterations };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

function load(dir: string, file: string, format: HistoryFormat): LoadedHistory {
  return loadHistory(format, readFileSync(join(dir, file), "utf8"));
}

/** Linearizability checker: Porcupine's reference histories (Jepsen etcd register, Jepsen 50-client KV). */
export const suite: BenchSuite = {
  name: "lincheck",
  description: "linearizability checks of real Jepsen histories: the longest etcd log and a 50-client KV history (ms per check)",
  async run(context) {
    const rows: BenchRow[] = [];
    const targets: BenchTarget[] = [];
    const notes: string[] = [];
    const data = sharedData("jepsen-histories");
    if (data.missing !== undefined) {
      return { rows, notes: [data.missing] };
    }

    // The longest etcd history: the most invocations (ties: first by name).
    const etcdDir = join(data.path, "etcd");
    const etcdFiles = readdirSync(etcdDir).filter((f) => f.endsWith(".log")).sort();
    let longest: { file: string; history: LoadedHistory } | undefined;
    for (const file of etcdFiles) {
      const history = load(etcdDir, file, "jepsen-etcd");
      if (longest === undefined || history.invocations > longest.history.invocations) longest = { file, history };
    }
    if (longest === undefined) {
      notes.push(`no etcd logs under ${etcdDir}: etcd row skipped`);
    } else {
      const m = measure(longest.history, context.quick);
      rows.push({ name: `etcd longest (${longest.file})`, operations: longest.history.invocations, linearizable: m.verdict, msPerCheck: m.medianMs, msMin: m.minMs, msMax: m.maxMs, iterations: m.iterations });
      targets.push({ description: `etcd longest history (${longest.file}), ms per check (Porcupine ~${PORCUPINE_ETCD_LONGEST_MS} ms x${TARGET_FACTOR})`, value: m.medianMs, target: PORCUPINE_ETCD_LONGEST_MS * TARGET_FACTOR, unit: "ms", higherIsBetter: false });
    }

    // Every etcd log once (the "decide every file" figure) and the hardest one, measured warm.
    if (etcdFiles.length > 0) {
      const histories = etcdFiles.map((f) => load(etcdDir, f, "jepsen-etcd"));
      const times: number[] = [];
      let hardest = { iterations: -1, index: 0 };
      histories.forEach((h, i) => {
        const t = process.hrtime.bigint();
        const result = checkOperations(h.model, h.operations, { timeoutMs: 10_000 });
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (result.iterations > hardest.iterations) hardest = { iterations: result.iterations, index: i };
      });
      const totalMs = times.reduce((a, b) => a + b, 0);
      rows.push({ name: `etcd all ${etcdFiles.length} logs, one pass each`, operations: histories.reduce((n, h) => n + h.invocations, 0), linearizable: "-", msPerCheck: round(totalMs / times.length), msMin: round(Math.min(...times)), msMax: round(Math.max(...times)), iterations: 0 });
      notes.push(`etcd: all ${etcdFiles.length} logs checked once each in ${round(totalMs)} ms (JIT still warming up).`);
      const hardestFile = etcdFiles[hardest.index] as string;
      const m = measure(histories[hardest.index] as LoadedHistory, context.quick);
      rows.push({ name: `etcd hardest (${hardestFile})`, operations: (histories[hardest.index] as LoadedHistory).invocations, linearizable: m.verdict, msPerCheck: m.medianMs, msMin: m.minMs, msMax: m.maxMs, iterations: m.iterations });
    }

    // 50-client KV histories (ABOUT.md: kv/c50-ok.txt is linearizable, kv/c50-bad.txt is not).
    const kvDir = join(data.path, "kv");
    for (const [file, isTarget] of [["c50-ok.txt", true], ["c50-bad.txt", false]] as const) {
      let history: LoadedHistory;
      try {
        history = load(kvDir, file, "jepsen-kv");
      } catch (error) {
        notes.push(`kv/${file} unavailable (${error instanceof Error ? error.message : String(error)}): row skipped`);
        continue;
      }
      const m = measure(history, context.quick);
      rows.push({ name: `kv 50 clients (${file})`, operations: history.invocations, linearizable: m.verdict, msPerCheck: m.medianMs, msMin: m.minMs, msMax: m.maxMs, iterations: m.iterations });
      if (isTarget) {
        targets.push({ description: `50-client KV history (kv/${file}), ms per check (Porcupine ~${PORCUPINE_KV_50_CLIENTS_MS} ms x${TARGET_FACTOR})`, value: m.medianMs, target: PORCUPINE_KV_50_CLIENTS_MS * TARGET_FACTOR, unit: "ms", higherIsBetter: false });
      }
    }
    notes.push("Porcupine's figures are from its authors' machine class, not measured here; the longest etcd log is decided early (not linearizable), so the hardest one is shown too.");
    notes.push("msPerCheck is the median of warm runs (JIT warmed up); iterations = search steps, a machine-independent effort figure.");
    return { rows, targets, notes };
  },
};
