import type { BenchRow } from "../../harness.js";
import type { TraceEdit } from "./editing-trace.js";
import { concurrentTrace, type ConcurrentPlan } from "./concurrent-trace.js";
import { replayConcurrent, type ConcurrentOutcome } from "./concurrent-replay.js";
import type { ReplayPlan } from "./sequential-comparison.js";
import { median, round } from "./stats.js";
import type { TextCrdt } from "./text-replica.js";

/**
 * Compare the libraries on a concurrent trace dealt out from `edits` ({@link concurrentTrace}):
 * CPU time of the whole replay (all replicas' local edits, exports and imports), the time spent
 * importing remote updates, bytes shipped, each as a ratio against the first library (synod).
 * Runs are interleaved as in the sequential comparison.
 * @returns one row per library and notes
 */
export function compareConcurrent(
  crdts: readonly TextCrdt[],
  edits: readonly TraceEdit[],
  trace: ConcurrentPlan,
  plan: ReplayPlan,
): { rows: BenchRow[]; notes: string[] } {
  const steps = concurrentTrace(edits, trace);
  const syncs = steps.filter((step) => "sync" in step).length;
  const measured = crdts.map((crdt) => ({ crdt, runs: [] as ConcurrentOutcome[] }));
  const total = plan.runs + (plan.warmUp ? 1 : 0);
  for (let r = 0; r < total; r++) {
    for (const m of measured) {
      const once = plan.once.has(m.crdt.name);
      if (once && r !== total - 1) continue;
      const outcome = replayConcurrent(m.crdt, steps, trace.authors);
      if (r === 0 && plan.warmUp && !once) continue;
      m.runs.push(outcome);
    }
  }
  const figures = measured.map((m) => ({
    crdt: m.crdt,
    runs: m.runs.length,
    cpuMs: median(m.runs.map((o) => o.cpuMs)),
    importMs: median(m.runs.map((o) => o.importMs)),
    ms: median(m.runs.map((o) => o.ms)),
    last: m.runs[m.runs.length - 1] as ConcurrentOutcome,
  }));
  const ours = figures[0] as (typeof figures)[number];
  const rows: BenchRow[] = figures.map((f) => ({
    name: `concurrent B4 (${trace.authors} authors): ${f.crdt.name}`,
    edits: edits.length,
    runs: f.runs,
    replayCpuMs: round(f.cpuMs),
    timeVsSynodX: round(f.cpuMs / ours.cpuMs),
    importMs: round(f.importMs),
    importShare: round(f.importMs / f.ms),
    importVsSynodX: round(f.importMs / ours.importMs),
    shippedBytes: f.last.bytesShipped,
    shippedVsSynodX: round(f.last.bytesShipped / ours.last.bytesShipped),
    finalChars: (f.last.replicas[0] as { length: number }).length,
  }));
  const notes = [
    `concurrent trace: the first ${edits.length.toLocaleString("en")} B4 edits dealt out to ${trace.authors} authors in blocks of ` +
      `${trace.blockEdits[0]}–${trace.blockEdits[1]} edits (seed ${trace.seed}), all authors syncing after every ${trace.blocksPerSync} blocks ` +
      `(${syncs} sync rounds; each update reaches the ${trace.authors - 1} other authors); positions clamped to each author's own document`,
    "replayCpuMs: CPU of all replicas' edits, exports and imports; importMs: wall time inside importUpdate (integrating remote edits), " +
      "importShare its part of the replay's wall time; every library's replicas are checked equal after the last sync " +
      "(finalChars may differ between libraries: concurrent deletes of the same text are ordered differently)",
  ];
  return { rows, notes };
}
