import { gzipSync } from "node:zlib";
import type { BenchChart, BenchRow, BenchTarget } from "../../harness.js";
import type { TraceEdit } from "./editing-trace.js";
import { liveMemoryMb } from "./memory.js";
import { replay, timed } from "./replay.js";
import { median, round } from "./stats.js";
import type { TextCrdt, TextReplica } from "./text-replica.js";

/** How the sequential replay is run. */
export interface ReplayPlan {
  /** Measured runs per library (the median is reported), after one warm-up run when `warmUp`. */
  readonly runs: number;
  readonly warmUp: boolean;
  /** Libraries this slow are replayed once, without warm-up (Automerge: tens of seconds per replay). */
  readonly once: ReadonlySet<string>;
}

/** The text every replay must end with. */
export type Expected = string;

interface Measured {
  readonly crdt: TextCrdt;
  readonly cpuMs: number[];
  readonly ms: number[];
  replica?: TextReplica;
  memoryMb: number;
  progress: [number, number][];
}


/** Replay the edits into every library, runs interleaved so that machine noise hits all alike. */
function measureReplays(crdts: readonly TextCrdt[], edits: readonly TraceEdit[], expected: Expected, plan: ReplayPlan): Measured[] {
  const measured: Measured[] = crdts.map((crdt) => ({ crdt, cpuMs: [], ms: [], memoryMb: 0, progress: [] }));
  const total = plan.runs + (plan.warmUp ? 1 : 0);
  for (let r = 0; r < total; r++) {
    for (const m of measured) {
      const once = plan.once.has(m.crdt.name);
      if (once && r !== total - 1) continue;
      m.replica = undefined;
      const base = liveMemoryMb();
      const run = replay(m.crdt, edits, Math.max(1, Math.floor(edits.length / 40)));
      if (r === 0 && plan.warmUp && !once) continue;
      m.memoryMb = liveMemoryMb() - base;
      if (run.replica.toString() !== expected) throw new Error(`${m.crdt.name}: the replay does not reach the trace's end content`);
      m.cpuMs.push(run.cpuMs);
      m.ms.push(run.ms);
      m.replica = run.replica;
      m.progress = run.progress;
    }
  }
  return measured;
}

/**
 * Compare the libraries on one sequential trace: replay time (CPU and wall clock), encoded size
 * (raw and gzip-compressed), load time and memory, each as a ratio against the first (synod).
 * @returns one row per library, the targets of issue 21, notes and a progress chart
 */
export function compareSequential(
  crdts: readonly TextCrdt[],
  edits: readonly TraceEdit[],
  expected: Expected,
  plan: ReplayPlan,
  full: boolean,
): { rows: BenchRow[]; targets: BenchTarget[]; notes: string[]; chart: BenchChart } {
  const measured = measureReplays(crdts, edits, expected, plan);
  const ours = measured[0] as Measured;
  const oursCpu = median(ours.cpuMs);
  const oursBytes = (ours.replica as TextReplica).encode().length;
  const rows: BenchRow[] = [];
  const figures = new Map<string, { cpuMs: number; bytes: number }>();
  for (const m of measured) {
    const replica = m.replica as TextReplica;
    const bytes = replica.encode();
    // Loading is timed for all but the libraries replayed once (Automerge.load of B4 took 42 s of wall time).
    const load = plan.once.has(m.crdt.name) ? undefined : timed(() => m.crdt.load(bytes));
    if (load !== undefined && load.value.length !== replica.length) throw new Error(`${m.crdt.name}: the loaded document has another length`);
    const cpuMs = median(m.cpuMs);
    figures.set(m.crdt.name, { cpuMs, bytes: bytes.length });
    rows.push({
      name: `B4 replay: ${m.crdt.name}`,
      edits: edits.length,
      runs: m.cpuMs.length,
      replayCpuMs: round(cpuMs),
      replayMs: round(median(m.ms)),
      editsPerCpuSec: Math.round(edits.length / (cpuMs / 1000)),
      timeVsSynodX: round(cpuMs / oursCpu),
      encodedBytes: bytes.length,
      sizeVsSynodX: round(bytes.length / oursBytes),
      gzipBytes: gzipSync(bytes).length,
      loadMs: load === undefined ? "not measured" : round(load.ms),
      memoryMb: round(m.memoryMb, 1),
    });
  }
  const notes = [
    "one edit per transaction in every library (synod: one delta per edit; json-joy: one flushed patch; Loro: one commit; " +
      "Yjs: one transaction; Automerge: one change)",
    `times are CPU time of this process (user + system), median of ${plan.runs} interleaved run(s)${plan.warmUp ? " after a warm-up run" : ""}; ` +
      `${plan.once.size > 0 ? `${[...plan.once].join(", ")} replayed once; ` : ""}timeVsSynodX > 1: slower than synod; sizeVsSynodX < 1: smaller`,
    "encodedBytes: each library's whole-document save (synod rgaStateCodec, whose run table and text columns are DEFLATE-compressed; " +
      "json-joy Model.toBinary; Loro snapshot; Yjs encodeStateAsUpdate; Automerge save, also DEFLATE-compressed); gzipBytes: the same gzipped",
  ];
  const targets = full ? issueTargets(figures, oursCpu, oursBytes) : [];
  const chart: BenchChart = {
    file: "crdt-b4-replay",
    title: `B4 editing trace replay, one edit per transaction (${edits.length.toLocaleString("en")} edits)`,
    xLabel: "edits replayed",
    yLabel: "CPU ms (log)",
    logY: true,
    series: measured.map((m) => ({ name: m.crdt.name, points: m.progress.filter(([, y]) => y > 0) })),
  };
  return { rows, targets, notes, chart };
}

/** A ratio target; `undefined` when the peer it compares against is not in the run. */
function ratio(description: string, value: number | undefined, target: number, higherIsBetter: boolean): BenchTarget[] {
  return value === undefined ? [] : [{ description, value: round(value), target, unit: "×", higherIsBetter }];
}

/** The targets of issue 21 (against json-joy and Automerge) and the earlier ones against Yjs. */
function issueTargets(figures: ReadonlyMap<string, { cpuMs: number; bytes: number }>, oursCpu: number, oursBytes: number): BenchTarget[] {
  const cpu = (name: string): number | undefined => (figures.has(name) ? (figures.get(name)?.cpuMs as number) / oursCpu : undefined);
  const size = (name: string): number | undefined => (figures.has(name) ? oursBytes / (figures.get(name)?.bytes as number) : undefined);
  return [
    ...ratio("synod RGA replay ≥ 1.5× json-joy's speed (json-joy CPU time / synod)", cpu("json-joy"), 1.5, true),
    ...ratio("synod RGA encoded size ≤ Automerge's (synod bytes / Automerge bytes)", size("Automerge"), 1, false),
    ...ratio("RGA replay at least as fast as Yjs (Yjs CPU time / synod)", cpu("Yjs"), 1, true),
    ...ratio("RGA encoded size within 2× of Yjs (synod bytes / Yjs bytes)", size("Yjs"), 2, false),
  ];
}
