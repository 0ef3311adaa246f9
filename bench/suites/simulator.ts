import { loadavg } from "node:os";
import { StepBuilder, createCodec, createRng, s as schema, type NodeContext, type NodeId, type ProtocolNode, type Rng, type SimulationTarget, type Step } from "@synod/core";
import { broadcastSimulation, DEFAULT_NETWORK, runSimulation, type SimulationOptions } from "@synod/simulator";
import type { BenchContext, BenchReport, BenchRow, BenchSuite } from "../harness.js";

/**
 * Simulator engine throughput with the reference protocol (eager reliable broadcast, 5 nodes,
 * 5 closed-loop clients, no faults, every invariant checked after every step), beside a bare
 * baseline measured in the same run: a plain binary heap of event objects and the same PRNG,
 * scheduling the same number of message deliveries with per-link latency and jitter, and no protocol.
 * The baseline keeps as many deliveries in flight as the simulation does on average (Little's law:
 * the simulation's delivery rate times the network's mean latency), so both heaps carry the same load.
 */

/** Mean one-way latency of the simulator's default network: uniform base latency plus uniform jitter. */
const MEAN_LATENCY_MS = (DEFAULT_NETWORK.minLatencyMs + DEFAULT_NETWORK.maxLatencyMs) / 2 + DEFAULT_NETWORK.jitterMs / 2;

interface BareEvent {
  timeMs: number;
  seq: number;
  from: number;
  to: number;
}

/** A plain binary min-heap of event objects ordered by (timeMs, seq). */
class PlainHeap {
  private readonly items: BareEvent[] = [];
  get size(): number {
    return this.items.length;
  }
  push(e: BareEvent): void {
    const items = this.items;
    items.push(e);
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!PlainHeap.less(e, items[p] as BareEvent)) break;
      items[i] = items[p] as BareEvent;
      i = p;
    }
    items[i] = e;
  }
  pop(): BareEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= items.length) break;
        const r = l + 1;
        const c = r < items.length && PlainHeap.less(items[r] as BareEvent, items[l] as BareEvent) ? r : l;
        if (!PlainHeap.less(items[c] as BareEvent, last)) break;
        items[i] = items[c] as BareEvent;
        i = c;
      }
      items[i] = last;
    }
    return top;
  }
  private static less(a: BareEvent, b: BareEvent): boolean {
    return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
  }
}

/** Wall and CPU (user + system, this process) time of one measured section. */
interface Timing {
  wallMs: number;
  cpuMs: number;
}

function measure<T>(f: () => T): T & Timing {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const out = f();
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { ...out, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The bare loop: `deliveries` pops, each scheduling one new message (latency + jitter drawn from the PRNG). */
function bareBaseline(deliveries: number, nodes: number, inFlight: number, rng: Rng): { delivered: number } & Timing {
  const base = Array.from({ length: nodes * nodes }, () => 1 + 9 * rng.float());
  const heap = new PlainHeap();
  let seq = 0;
  for (let i = 0; i < inFlight; i++) heap.push({ timeMs: rng.float() * 10, seq: seq++, from: rng.int(0, nodes), to: rng.int(0, nodes) });
  return measure(() => {
    let checksum = 0;
    for (let d = 0; d < deliveries; d++) {
      const e = heap.pop() as BareEvent;
      checksum += e.to;
      const to = (e.to + 1 + rng.int(0, nodes - 1)) % nodes;
      heap.push({ timeMs: e.timeMs + (base[e.to * nodes + to] as number) + 2 * rng.float(), seq: seq++, from: e.to, to });
    }
    if (checksum < 0) throw new Error("unreachable");
    return { delivered: deliveries };
  });
}

/**
 * A minimal protocol for the engine-only figure: 200 tokens circulate; a node that receives one
 * forwards it to a random other node (one send per delivery, like the bare loop). No invariants.
 */
class RelayNode implements ProtocolNode<number, never, never, never> {
  readonly id: NodeId;
  private readonly peers: readonly NodeId[];
  private readonly rng: Rng;
  private readonly out = new StepBuilder<number, never, never>();
  private started = false;
  constructor(ctx: NodeContext<never>) {
    this.id = ctx.id;
    this.peers = ctx.members.filter((m) => m !== ctx.id);
    this.rng = ctx.rng;
  }
  tick(): Step<number, never, never> {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < 40; i++) this.out.send({ from: this.id, to: this.rng.pick(this.peers), message: i });
    }
    return this.out.finish();
  }
  /** Never called: the bench passes tokens as decoded messages. */
  receiveBytes(): Step<number, never, never> {
    return this.out.finish();
  }
  receive(_from: NodeId, token: number): Step<number, never, never> {
    this.out.send({ from: this.id, to: this.peers[this.rng.int(0, this.peers.length)] as NodeId, message: token });
    return this.out.finish();
  }
  request(): Step<number, never, never> {
    return this.out.finish();
  }
}

const relayTarget: SimulationTarget<RelayNode, number, never, never, never> = {
  name: "relay",
  description: "bench: tokens forwarded at random",
  defaultNodes: 5,
  minNodes: 2,
  tickMs: 100,
  createNode: (ctx) => new RelayNode(ctx),
  messageCodec: createCodec(schema.uint()),
  recordCodec: createCodec(schema.uint()) as never,
  createInvariants: () => [],
};

function timedRelay(durationMs: number): { delivered: number; events: number } & Timing {
  return measure(() => {
    const result = runSimulation(relayTarget, { seed: 1, nodes: 5, durationMs, checkLiveness: false });
    return { delivered: result.messagesDelivered, events: result.events };
  });
}

function timedRun(options: SimulationOptions): { delivered: number; events: number; sent: number } & Timing {
  return measure(() => {
    const result = runSimulation(broadcastSimulation, options);
    if (result.violations.length > 0) throw new Error(`benchmark run violated ${result.violations[0]?.invariant}: ${result.violations[0]?.message}`);
    return { delivered: result.messagesDelivered, events: result.events, sent: result.metrics.messagesSent ?? 0 };
  });
}

const best = <T>(runs: T[], score: (t: T) => number): T => runs.reduce((a, b) => (score(b) > score(a) ? b : a));

export const suite: BenchSuite = {
  name: "simulator",
  description: "deterministic simulator: delivered messages/s and events/s with the reference broadcast protocol, vs a bare heap + PRNG loop",
  async run(context: BenchContext): Promise<BenchReport> {
    const durationMs = context.quick ? 500 : 20_000;
    const repeats = context.quick ? 1 : 5;
    const options: SimulationOptions = { seed: 1, nodes: 5, durationMs, workload: { clients: 5, thinkMaxMs: 10 } };
    timedRun({ ...options, durationMs: context.quick ? 200 : 3000 }); // warm up the JIT
    timedRun({ ...options, durationMs: context.quick ? 200 : 3000, checkInvariants: false });
    // Messages in flight in the simulation (Little's law), kept in flight by the baseline too.
    const warm = timedRun({ ...options, durationMs: context.quick ? 200 : 3000 });
    const inFlight = Math.max(1, Math.round((warm.delivered / (context.quick ? 200 : 3000)) * MEAN_LATENCY_MS));
    bareBaseline(context.quick ? 10_000 : 200_000, 5, inFlight, createRng(2));
    // Interleave the variants so that machine load and JIT state affect them alike; keep the best (least CPU) of each.
    const simRuns: ReturnType<typeof timedRun>[] = [];
    const noInvRuns: ReturnType<typeof timedRun>[] = [];
    const bareRuns: ReturnType<typeof bareBaseline>[] = [];
    for (let r = 0; r < repeats; r++) {
      simRuns.push(timedRun(options));
      noInvRuns.push(timedRun({ ...options, checkInvariants: false }));
      bareRuns.push(bareBaseline((simRuns[0] as { delivered: number }).delivered, 5, inFlight, createRng(2)));
    }
    const byCpu = <T extends { delivered: number } & Timing>(runs: T[]): T => best(runs, (x) => x.delivered / x.cpuMs);
    const sim = byCpu(simRuns);
    const noInv = byCpu(noInvRuns);
    const bare = byCpu(bareRuns);
    const codec = timedRun({ ...options, durationMs: Math.min(durationMs, 5000), codecRoundTrip: true });
    const relayMs = context.quick ? 300 : 20_000;
    timedRelay(relayMs / 4);
    const relay = byCpu([timedRelay(relayMs), timedRelay(relayMs)]);
    const perSec = (count: number, ms: number): number => Math.round((count / ms) * 1000);
    const simMsgsPerSec = perSec(sim.delivered, sim.cpuMs);
    const bareMsgsPerSec = perSec(bare.delivered, bare.cpuMs);
    const ratio = simMsgsPerSec / bareMsgsPerSec;
    const row = (name: string, x: { delivered: number; events: number } & Timing): BenchRow => ({
      name,
      deliveredMsgsPerSec: perSec(x.delivered, x.cpuMs),
      eventsPerSec: perSec(x.events, x.cpuMs),
      deliveredMsgsPerWallSec: perSec(x.delivered, x.wallMs),
      messagesDelivered: x.delivered,
      cpuMs: Math.round(x.cpuMs),
      wallMs: Math.round(x.wallMs),
    });
    const rows: BenchRow[] = [
      row("simulator: broadcast, 5 nodes, invariants on", sim),
      row("simulator: same, invariants off", noInv),
      row("simulator: same, codec round trip of every message", codec),
      row("simulator engine only: minimal relay protocol, no invariants", relay),
      row("bare baseline: plain binary heap + PRNG", { ...bare, events: bare.delivered }),
    ];
    const engineRatio = perSec(relay.delivered, relay.cpuMs) / bareMsgsPerSec;
    return {
      rows,
      targets: [
        { description: "delivered messages per CPU-second, one thread (invariants on)", value: simMsgsPerSec, target: 1_000_000, unit: "msgs/s", higherIsBetter: true },
        { description: "simulator / bare baseline throughput ratio", value: Math.round(ratio * 1000) / 1000, target: 0.5, unit: "ratio", higherIsBetter: true },
      ],
      notes: [
        `ratio simulator/baseline = ${ratio.toFixed(3)} (best of ${repeats} interleaved runs each, same process, same message count; the baseline keeps ${inFlight} deliveries in flight, as the simulation does: ${Math.round(warm.delivered / (context.quick ? 0.2 : 3))} deliveries/s simulated × ${MEAN_LATENCY_MS} ms mean latency)`,
        `engine-only ratio (minimal relay protocol / baseline) = ${engineRatio.toFixed(3)}: the rest of the gap is the reference protocol's own work (relay to all, acks, sets, maps, steps, msgpack-encoded durable records) and its invariants`,
        "rates are per CPU-second of this process (user + system, GC threads included), because wall time on a shared machine measures the other tenants; the wall-clock rate is in deliveredMsgsPerWallSec",
        `simulated ${durationMs} ms per run; ${sim.sent} messages sent; the protocol's own work (sets, maps, steps, msgpack-encoded durable records) is inside the simulator figure, not the baseline's`,
        `load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(" ")} (figures on a shared machine are noisy)`,
      ],
    };
  },
};
