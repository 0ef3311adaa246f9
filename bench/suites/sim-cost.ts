/**
 * Cost per simulated event of a chaos seed, CRDT against Raft, in one process (issue #21: a CRDT
 * seed cost ~150 µs per event, a Raft seed far less). Both targets as `pnpm sim` runs them (5 nodes,
 * 10 s simulated, every fault kind, every invariant after every event; Raft with the end-of-run
 * linearizability check), seeds alternating between the two so that the machine's drift hits both;
 * the first seeds of each (V8 compiling them) are reported apart.
 */
import { cpuUsage } from "node:process";
import { crdtSimulation } from "@synod/crdt";
import { createKvModel } from "@synod/lincheck";
import { raftSimulation } from "@synod/raft/simulation";
import { runSimulation, withLinearizability } from "@synod/simulator";
import type { BenchRow, BenchSuite } from "../harness.js";

/** Issue #21: the CRDT simulation's cost per event within 2× Raft's. */
const TARGET_RATIO = 2;

interface Cost {
  events: number;
  cpuMs: number;
  seeds: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function runSeed(target: any, seed: number, into: Cost): void {
  const t0 = cpuUsage();
  const result = runSimulation(target, { seed, nodes: 5, durationMs: 10_000, faults: "all" });
  const used = cpuUsage(t0);
  if (result.violations.length > 0) throw new Error(`bench: ${result.protocol} seed ${seed} violated ${result.violations[0]?.invariant}`);
  into.events += result.events;
  into.cpuMs += (used.user + used.system) / 1000;
  into.seeds++;
}

const usPerEvent = (c: Cost): number => Math.round(((c.cpuMs * 1000) / c.events) * 10) / 10;
const row = (name: string, c: Cost): BenchRow => ({ name, cpuUsPerEvent: usPerEvent(c), seeds: c.seeds, events: c.events, cpuMs: Math.round(c.cpuMs) });

export const suite: BenchSuite = {
  name: "sim-cost",
  description: "chaos simulation CPU per event, CRDT vs Raft (5 nodes, 10 s, faults all, invariants on), in one process",
  async run({ quick }) {
    const raft = withLinearizability(raftSimulation, createKvModel());
    const warm = { crdt: { events: 0, cpuMs: 0, seeds: 0 }, raft: { events: 0, cpuMs: 0, seeds: 0 } };
    const steady = { crdt: { events: 0, cpuMs: 0, seeds: 0 }, raft: { events: 0, cpuMs: 0, seeds: 0 } };
    const warmSeeds = quick ? 1 : 5;
    const seeds = quick ? 1 : 20;
    for (let s = 1; s <= warmSeeds; s++) {
      runSeed(crdtSimulation, s, warm.crdt);
      runSeed(raft, s, warm.raft);
    }
    for (let s = warmSeeds + 1; s <= warmSeeds + seeds; s++) {
      runSeed(crdtSimulation, s, steady.crdt);
      runSeed(raft, s, steady.raft);
    }
    const ratio = usPerEvent(steady.crdt) / usPerEvent(steady.raft);
    const warmRatio = usPerEvent(warm.crdt) / usPerEvent(warm.raft);
    return {
      rows: [
        row(`crdt, seeds 1–${warmSeeds} (first in the process: V8 compiling)`, warm.crdt),
        row(`raft, seeds 1–${warmSeeds} (first in the process: V8 compiling)`, warm.raft),
        row(`crdt, seeds ${warmSeeds + 1}–${warmSeeds + seeds}`, steady.crdt),
        row(`raft, seeds ${warmSeeds + 1}–${warmSeeds + seeds}`, steady.raft),
      ],
      targets: [
        {
          description: "CRDT / Raft CPU per simulated event, after the first seeds",
          value: Math.round(ratio * 100) / 100,
          target: TARGET_RATIO,
          unit: "x",
          higherIsBetter: false,
        },
      ],
      notes: [
        `CRDT/Raft CPU per event: ${ratio.toFixed(2)}x after warm-up, ${warmRatio.toFixed(2)}x over the first seeds ` +
          "(CPU of this process: user + system, GC included).",
        "Before issue #21's changes the same comparison read 123 µs/event against Raft's 6.8 " +
          "(pnpm sim crdt|raft --seed 1 --seeds 30 --nodes 5 --faults all --workers 1, whole process).",
      ],
    };
  },
};
