import {
  GCounter,
  gCounterCodec,
  HybridLogicalClock,
  LWWRegister,
  MVRegister,
  ORSet,
  orSetCodec,
  PNCounter,
  Rga,
  rgaDeltaCodec,
  rgaStateCodec,
  type RgaDelta,
} from "@synod/crdt";
import type { BenchChart, BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { B4_TRACE, loadTrace, traceEdits, type EditingTrace, type TraceEdit } from "../scenarios/text/editing-trace.js";
import { TEXT_CRDTS } from "../scenarios/text/peers/index.js";
import { compareConcurrent } from "../scenarios/text/concurrent-comparison.js";
import { compareSequential } from "../scenarios/text/sequential-comparison.js";

/** Measured runs per library in a real run (the median is reported, after a warm-up run); quick runs use one. */
const RUNS = 3;
/** Transactions of B4 replayed in quick mode (the CI smoke run): a prefix, so that the suite takes seconds. */
const QUICK_PREFIX = 1_000;
/** B4 edits dealt out to the authors of the concurrent trace (Automerge needs 23 CPU-seconds for 40,000). */
const CONCURRENT_PREFIX = 20_000;
const QUICK_CONCURRENT_PREFIX = 500;
/** The concurrent trace: 4 authors, blocks of 5–40 edits, a sync round every 8 blocks. */
const CONCURRENT_PLAN = { authors: 4, blockEdits: [5, 40], blocksPerSync: 8, seed: 1 } as const;

/** @returns the text after applying `edits` to `start` as plain string operations (the reference for a prefix) */
function applyToString(start: string, edits: readonly TraceEdit[]): string {
  let text = start;
  for (const [position, deleteCount, insert] of edits) text = text.slice(0, position) + insert + text.slice(position + deleteCount);
  return text;
}

function throughput(label: string, count: number, body: (i: number) => void): BenchRow {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) body(i);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  return { name: label, ops: count, opsPerSec: Math.round(count / (elapsed / 1000)) };
}

/** CRDTs: the real editing trace (synod's RGA against four libraries), small-type ops and merges per second, delta vs state size. */
export const suite: BenchSuite = {
  name: "crdt",
  description:
    "synod's RGA vs json-joy, Loro, Yjs and Automerge on the B4 editing trace (replay, encoded size, load, memory, as ratios); " +
    "counter/set/register ops and merges; delta vs state size",
  async run(context) {
    const rows: BenchRow[] = [];
    const targets: BenchTarget[] = [];
    const notes: string[] = [];
    const charts: BenchChart[] = [];

    const loaded = loadTrace(B4_TRACE);
    if ("missing" in loaded) notes.push(loaded.missing);
    else charts.push(...traceComparison(loaded.trace, context.quick, rows, targets, notes));

    // Small types: ops and merges per second.
    const n = context.quick ? 2_000 : 200_000;
    const replicas = ["r1", "r2", "r3", "r4", "r5"];
    const counters = replicas.map((r) => PNCounter.forReplica(r));
    rows.push(throughput("PN-Counter add (delta-mutator)", n, (i) => (counters[i % 5] as PNCounter).add((i % 7) - 3)));
    const gA = new GCounter(), gB = new GCounter();
    for (const r of replicas) {
      gA.merge(GCounter.forReplica(r).increment(3));
      gB.merge(GCounter.forReplica(r).increment(5));
    }
    rows.push(throughput("G-Counter merge (5 replicas)", n, () => gA.merge(gB)));
    const set = ORSet.forReplica("r1");
    rows.push(throughput("OR-Set add/remove (100 elements)", n, (i) => (i % 3 === 2 ? set.remove(`e${i % 100}`) : set.add(`e${i % 100}`))));
    const other = ORSet.forReplica("r9");
    for (let i = 0; i < 100; i++) other.add(`e${i}`);
    const mergeCount = context.quick ? 200 : 20_000;
    rows.push(throughput("OR-Set merge (100 elements)", mergeCount, () => set.merge(other)));
    const reg = LWWRegister.forReplica("r1");
    const clock = new HybridLogicalClock();
    rows.push(throughput("LWW-Register assign (HLC)", n, (i) => {
      if (i % 10 === 0) clock.tick();
      reg.assign(clock.now(), i);
    }));
    const mv = MVRegister.forReplica("r1");
    rows.push(throughput("MV-Register assign", n, (i) => mv.assign(i)));

    // Delta size vs full state size after N operations.
    for (const count of context.quick ? [100] : [100, 1_000, 10_000]) {
      const s = ORSet.forReplica("r1");
      let delta = s.add("seed");
      for (let i = 0; i < count; i++) delta = i % 4 === 3 ? s.remove(`e${(i * 7) % count}`) : s.add(`e${i}`);
      const incrementers = replicas.map((r) => GCounter.forReplica(r)), c = new GCounter(); // five replicas increment; c converges
      let cd = new GCounter();
      for (let i = 0; i <= count; i++) c.merge((cd = (incrementers[i % 5] as GCounter).increment()));
      const text = new Rga("r1");
      let td: RgaDelta = text.insert(0, "x");
      for (let i = 0; i < count; i++) td = i % 5 === 4 ? text.delete(i % text.length) : text.insert((i * 31) % (text.length + 1), "y");
      rows.push({
        name: `delta vs state after ${count} ops`,
        orSetDeltaBytes: orSetCodec.encode(delta).length,
        orSetStateBytes: orSetCodec.encode(s).length,
        gCounterDeltaBytes: gCounterCodec.encode(cd).length,
        gCounterStateBytes: gCounterCodec.encode(c).length,
        rgaDeltaBytes: rgaDeltaCodec.encode(td).length,
        rgaStateBytes: rgaStateCodec("r1").encode(text).length,
      });
    }
    return { rows, targets, notes, charts };
  },
};

/**
 * synod's RGA against json-joy, Loro, Yjs and Automerge on B4 (a prefix in quick mode).
 * @returns the charts
 */
function traceComparison(trace: EditingTrace, quick: boolean, rows: BenchRow[], targets: BenchTarget[], notes: string[]): BenchChart[] {
  if (trace.startContent.length > 0) throw new Error("the B4 trace starts from an empty document");
  const limit = quick ? QUICK_PREFIX : trace.txns.length;
  const edits = traceEdits(trace, limit);
  const expected = limit === trace.txns.length ? trace.endContent : applyToString(trace.startContent, edits);
  const plan = { runs: quick ? 1 : RUNS, warmUp: !quick, once: new Set(quick ? [] : ["Automerge"]) };
  const sequential = compareSequential(TEXT_CRDTS, edits, expected, plan, !quick);
  rows.push(...sequential.rows);
  targets.push(...sequential.targets);
  notes.push(...sequential.notes);
  const concurrentEdits = traceEdits(trace, quick ? QUICK_CONCURRENT_PREFIX : CONCURRENT_PREFIX);
  const concurrent = compareConcurrent(TEXT_CRDTS, concurrentEdits, CONCURRENT_PLAN, plan);
  rows.push(...concurrent.rows);
  notes.push(...concurrent.notes);
  return [sequential.chart];
}
