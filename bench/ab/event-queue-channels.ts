/**
 * In-process A/B of the event queue's in-order channels (`EventQueue.pushInOrder`): raft chaos
 * seeds (`--faults all`, 10 s simulated) run with the channels (A) and with every in-order event
 * pushed onto the heap instead (B), in alternating blocks of the same seeds, one warm-up block
 * first. Both give the same events in the same order (the trace hashes are compared: a difference
 * throws), so the ratio is the CPU the channels save or cost. Prints the median A/B ratio of the
 * blocks, with its min and max.
 *
 * `pnpm exec tsx --conditions=source bench/ab/event-queue-channels.ts [blocks=16] [nodes=5] [seedsPerBlock=16]`
 */
import { cpuUsage } from "node:process";
import { raftSimulation } from "@synod/raft/simulation";
import { EventQueue, runSimulation } from "@synod/simulator";

type PushInOrder = EventQueue["pushInOrder"];
const proto = EventQueue.prototype as { pushInOrder: PushInOrder };
const channelled = proto.pushInOrder;
let heapPushes = 0;
const heapOnly: PushInOrder = function (this: EventQueue, _channel, timeMs, kind, subject, detail, payload) {
  heapPushes++;
  this.push(timeMs, kind, subject, detail, payload);
};

const blocks = Number(process.argv[2] ?? 16);
const nodes = Number(process.argv[3] ?? 5);
const seedsPerBlock = Number(process.argv[4] ?? 16);

/** Runs one block of seeds from `first`; @returns its CPU milliseconds and the seeds' trace hashes. */
function block(first: number): { cpuMs: number; hashes: string } {
  const start = cpuUsage();
  const hashes: string[] = [];
  for (let s = 0; s < seedsPerBlock; s++) {
    hashes.push(runSimulation(raftSimulation, { seed: first + s, nodes, durationMs: 10_000, faults: "all" }).traceHash);
  }
  const used = cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, hashes: hashes.join() };
}

const ratios: number[] = [];
let channelsMs = 0;
let heapOnlyMs = 0;
for (let b = -1; b < blocks; b++) {
  const first = 2000 + seedsPerBlock * Math.max(b, 0);
  const runs = new Map<string, { cpuMs: number; hashes: string }>();
  for (const mode of b % 2 === 0 ? ["A", "B"] : ["B", "A"]) {
    proto.pushInOrder = mode === "A" ? channelled : heapOnly;
    runs.set(mode, block(first));
  }
  const a = runs.get("A")!;
  const h = runs.get("B")!;
  if (a.hashes !== h.hashes) throw new Error(`seeds ${first}..: trace hashes differ with and without channels`);
  if (b < 0) continue; // warm-up
  ratios.push(a.cpuMs / h.cpuMs);
  channelsMs += a.cpuMs;
  heapOnlyMs += h.cpuMs;
}
proto.pushInOrder = channelled;
ratios.sort((x, y) => x - y);
const round = (x: number): number => Math.round(x * 1000) / 1000;
console.log(JSON.stringify({
  nodes,
  blocks,
  seedsPerBlock,
  heapPushes,
  channelsCpuMs: Math.round(channelsMs),
  heapOnlyCpuMs: Math.round(heapOnlyMs),
  medianRatio: round(ratios[Math.floor(ratios.length / 2)]!),
  min: round(ratios[0]!),
  max: round(ratios[ratios.length - 1]!),
}));
