import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as Y from "yjs";
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
import type { BenchRow, BenchSuite, BenchTarget } from "../harness.js";
import { sharedData } from "../../test/support/shared-data.js";

interface Trace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly (readonly [number, number, string])[] }[];
}

/** Runs per measured figure in a real run (the median is reported); quick runs use one. */
const RUNS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** A forced garbage collection, so that heap figures measure live data (V8's documented flag). */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

function heapMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / (1 << 20);
}

/** Replay the trace into our RGA, one edit per operation; every edit's delta is produced (as for replication). */
function replayRga(trace: Trace, limit: number): { doc: Rga; deltas: number } {
  const doc = new Rga("author");
  let deltas = 0;
  let last: RgaDelta | undefined;
  if (trace.startContent.length > 0) doc.insert(0, trace.startContent);
  for (let t = 0; t < limit; t++) {
    for (const [position, deleteCount, text] of (trace.txns[t] as Trace["txns"][number]).patches) {
      if (deleteCount > 0) last = doc.delete(position, deleteCount);
      if (text.length > 0) last = doc.insert(position, text);
      if (last !== undefined) deltas++;
    }
  }
  return { doc, deltas };
}

/** Replay the trace into Yjs, one transaction per edit. */
function replayYjs(trace: Trace, limit: number): Y.Doc {
  const ydoc = new Y.Doc();
  const text = ydoc.getText("text");
  if (trace.startContent.length > 0) text.insert(0, trace.startContent);
  for (let t = 0; t < limit; t++) {
    const patches = (trace.txns[t] as Trace["txns"][number]).patches;
    ydoc.transact(() => {
      for (const [position, deleteCount, insert] of patches) {
        if (deleteCount > 0) text.delete(position, deleteCount);
        if (insert.length > 0) text.insert(position, insert);
      }
    });
  }
  return ydoc;
}

function throughput(label: string, count: number, body: (i: number) => void): BenchRow {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) body(i);
  const elapsed = ms(t0);
  return { name: label, ops: count, opsPerSec: Math.round(count / (elapsed / 1000)) };
}

/** CRDTs: the real editing trace (our RGA vs Yjs), small-type ops and merges per second, delta vs state size. */
export const suite: BenchSuite = {
  name: "crdt",
  description: "RGA vs Yjs on the automerge-paper editing trace (replay, encoded size, load, heap); counter/set/register ops and merges; delta vs state size",
  async run(context) {
    const rows: BenchRow[] = [];
    const targets: BenchTarget[] = [];
    const notes: string[] = [];
    const runs = context.quick ? 1 : RUNS;

    const data = sharedData("editing-traces/automerge-paper.json.gz");
    if (data.missing !== undefined) notes.push(data.missing);
    else {
      const trace = JSON.parse(gunzipSync(readFileSync(data.path)).toString()) as Trace;
      const limit = context.quick ? 5_000 : trace.txns.length;
      const rgaMs: number[] = [], yjsMs: number[] = [];
      let rga: Rga | undefined, ydoc: Y.Doc | undefined;
      // Interleave the two so that machine noise hits both alike; the first run of each warms the JIT.
      for (let r = 0; r < runs + (context.quick ? 0 : 1); r++) {
        let t0 = process.hrtime.bigint();
        rga = replayRga(trace, limit).doc;
        if (r > 0 || context.quick) rgaMs.push(ms(t0));
        t0 = process.hrtime.bigint();
        ydoc = replayYjs(trace, limit);
        if (r > 0 || context.quick) yjsMs.push(ms(t0));
      }
      const doc = rga as Rga;
      const yd = ydoc as Y.Doc;
      if (limit === trace.txns.length && doc.toString() !== trace.endContent) throw new Error("RGA replay does not reach endContent");
      if (limit === trace.txns.length && yd.getText("text").toString() !== trace.endContent) throw new Error("Yjs replay does not reach endContent");

      const ourBytes = rgaStateCodec("author").encode(doc);
      const yBytes = Y.encodeStateAsUpdate(yd);
      const ourLoad: number[] = [], yLoad: number[] = [];
      for (let r = 0; r < runs; r++) {
        let t0 = process.hrtime.bigint();
        const loaded = rgaStateCodec("reader").decode(ourBytes);
        ourLoad.push(ms(t0));
        if (!loaded.ok || loaded.value.length !== doc.length) throw new Error("RGA load failed");
        t0 = process.hrtime.bigint();
        const y2 = new Y.Doc();
        Y.applyUpdate(y2, yBytes);
        yLoad.push(ms(t0));
      }

      const base = heapMb();
      const keepOurs = replayRga(trace, limit).doc;
      const ourHeap = heapMb() - base;
      const base2 = heapMb();
      const keepY = replayYjs(trace, limit);
      const yHeap = heapMb() - base2;

      const ops = limit;
      const rgaMedian = median(rgaMs), yjsMedian = median(yjsMs);
      rows.push({ name: "trace replay: synod RGA", edits: ops, replayMs: round(rgaMedian), editsPerSec: Math.round(ops / (rgaMedian / 1000)), encodedBytes: ourBytes.length, loadMs: round(median(ourLoad)), heapMb: round(ourHeap, 1), runs: keepOurs.runCount });
      rows.push({ name: "trace replay: Yjs", edits: ops, replayMs: round(yjsMedian), editsPerSec: Math.round(ops / (yjsMedian / 1000)), encodedBytes: yBytes.length, loadMs: round(median(yLoad)), heapMb: round(yHeap, 1) });
      if (keepOurs.length !== keepY.getText("text").length) throw new Error("heap replays disagree");
      const speedRatio = yjsMedian / rgaMedian;
      const sizeRatio = ourBytes.length / yBytes.length;
      notes.push(`speed ratio (Yjs time / synod time): ${round(speedRatio)}× — encoded size ratio (synod / Yjs): ${round(sizeRatio)} — load ratio (Yjs / synod): ${round(median(yLoad) / median(ourLoad))}×`);
      notes.push(`heap held by the final document after a forced GC: synod ${round(ourHeap, 1)} MB, Yjs ${round(yHeap, 1)} MB; "runs" = run-length encoded items in our tree`);
      notes.push(`median of ${runs} runs each, interleaved; one operation per transaction for both (Yjs: one transact per edit; synod: one delta per edit)`);
      if (!context.quick) {
        targets.push({ description: "RGA replay at least as fast as Yjs (Yjs time / RGA time)", value: round(speedRatio), target: 1, unit: "×", higherIsBetter: true });
        targets.push({ description: "RGA encoded size within 2× of Yjs (synod bytes / Yjs bytes)", value: round(sizeRatio), target: 2, unit: "×", higherIsBetter: false });
      }
    }

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
    return { rows, targets, notes };
  },
};
