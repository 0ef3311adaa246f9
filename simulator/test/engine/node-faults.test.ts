import { describe, expect, it } from "vitest";
import { runSimulation, type FaultSchedule, type SimulationOptions } from "@synod/simulator";
import { createProbeTarget, deliveries, traceEvents } from "../support/probe-target.js";

function probeRun(schedule: FaultSchedule, extra: Partial<SimulationOptions> = {}) {
  const probe = createProbeTarget({ clients: true });
  const result = runSimulation(probe.target, {
    seed: 5,
    nodes: 3,
    durationMs: 1000,
    healAtFraction: 1,
    schedule,
    trace: true,
    checkLiveness: false,
    workload: { clients: 2, thinkMaxMs: 5 },
    ...extra,
  });
  return { result, log: probe.log, trace: result.trace ?? [] };
}

/** Records n1 synced before time `t`, per the trace (requests to n1 that persisted). */
function persistedBy(trace: readonly string[], node: string, beforeMs: number): number {
  return traceEvents(trace, "request")
    .filter((r) => r.node === node && r.t < beforeMs && r.changed === node)
    .reduce((sum, r) => sum + (r.persist as number), 0);
}

describe("node faults", () => {
  it("a clean crash keeps synced records; the node restarts from them after downMs", () => {
    const { log, trace, result } = probeRun([{ kind: "crash", atMs: 400, node: 0, downMs: 100, mode: "clean", torn: false, corrupt: false }]);
    const restart = log.recoveries.find((r) => r.id === "n1" && r.incarnation === 1);
    expect(restart).toBeDefined();
    expect(restart?.recovered.records.length).toBe(persistedBy(trace, "n1", 400));
    expect(restart?.recovered.records.length).toBeGreaterThan(0);
    expect(result.metrics.crashes).toBe(1);
    expect(result.metrics.restarts).toBe(1);
    const restartEvent = traceEvents(trace, "restart")[0];
    expect(restartEvent?.t).toBe(400 + 100);
    // no node event for n1 while it is down
    expect(trace.map((l) => JSON.parse(l) as { t: number; changed?: string }).filter((r) => r.changed === "n1" && r.t > 400 && r.t < 500)).toHaveLength(0);
  });

  it("a crash before the sync loses the step's unsynced records and sends nothing", () => {
    const { log, trace, result } = probeRun([{ kind: "crash", atMs: 300, node: 0, downMs: 50, mode: "before-sync", torn: false, corrupt: false }]);
    const crashRequest = traceEvents(trace, "request").find((r) => r.node === "n1" && r.t >= 300 && r.changed === "n1");
    expect(crashRequest).toBeDefined();
    expect(crashRequest?.persist).toBe(0);
    const restart = log.recoveries.find((r) => r.id === "n1" && r.incarnation === 1);
    expect(restart?.recovered.records.length).toBe(persistedBy(trace, "n1", 300));
    expect(restart?.recovered.tornTail).toBe(false);
    expect(result.metrics.unsyncedRecordsLost).toBe(1);
    const lostN = (crashRequest?.input as { n: number }).n;
    expect(deliveries(trace).filter((d) => d.msg.type === "req" && d.msg.n === lostN && d.from === "n1")).toHaveLength(0);
  });

  it("a crash between persist and send keeps the records but drops the sends", () => {
    const { log, trace, result } = probeRun([{ kind: "crash", atMs: 300, node: 0, downMs: 50, mode: "after-persist", torn: false, corrupt: false }]);
    const crashRequest = traceEvents(trace, "request").find((r) => r.node === "n1" && r.t >= 300 && r.changed === "n1");
    expect(crashRequest?.persist).toBe(1);
    expect(crashRequest?.send).toBe(0);
    const n = (crashRequest?.input as { n: number }).n;
    const restart = log.recoveries.find((r) => r.id === "n1" && r.incarnation === 1);
    expect(restart?.recovered.records.some((r) => r.n === n)).toBe(true);
    expect(deliveries(trace).filter((d) => d.msg.type === "req" && d.msg.n === n)).toHaveLength(0);
    expect(result.metrics.sendsLostInCrash).toBe(2);
    // the client never saw the completion: the invocation is not ok
    const invocation = result.history.find((h) => h.type === "invoke" && (h.op as { n: number }).n === n);
    expect(result.history.some((h) => h.type === "ok" && h.id === invocation?.id)).toBe(false);
  });

  it("a torn unsynced write is detected at recovery as a torn tail and truncated", () => {
    const { log, result } = probeRun([
      { kind: "crash", atMs: 300, node: 0, downMs: 50, mode: "before-sync", torn: true, corrupt: false },
      { kind: "crash", atMs: 600, node: 0, downMs: 50, mode: "clean", torn: false, corrupt: false },
    ]);
    const first = log.recoveries.find((r) => r.id === "n1" && r.incarnation === 1);
    expect(first?.recovered.tornTail).toBe(true);
    expect(first?.recovered.corrupted).toBe(0);
    const second = log.recoveries.find((r) => r.id === "n1" && r.incarnation === 2);
    expect(second?.recovered.tornTail).toBe(false);
    expect(second?.recovered.corrupted).toBe(0);
    expect(result.metrics.tornWrites).toBe(1);
    expect(result.metrics.tornTailsDetected).toBe(1);
  });

  it("a corrupted synced record is detected by its checksum, never read back as good", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { log, result } = probeRun([{ kind: "crash", atMs: 500, node: 1, downMs: 50, mode: "clean", torn: false, corrupt: true }], { seed });
      const restart = log.recoveries.find((r) => r.id === "n2" && r.incarnation === 1);
      expect(result.metrics.corruptions, `seed ${seed}`).toBe(1);
      expect(restart?.recovered.corrupted, `seed ${seed}`).toBeGreaterThan(0);
      expect(result.violations, `seed ${seed}`).toEqual([]);
    }
  });

  it("a paused node processes nothing while paused, then gets the buffered messages at resume", () => {
    const { trace } = probeRun([{ kind: "pause", atMs: 200, durMs: 300, node: 2 }]);
    const rows = trace.map((l) => JSON.parse(l) as { t: number; e?: string; changed?: string; to?: string });
    expect(rows.filter((r) => r.changed === "n3" && r.t >= 200 && r.t < 500)).toHaveLength(0);
    const atResume = rows.filter((r) => r.e === "deliver" && r.to === "n3" && r.t === 500 && r.changed === "n3");
    expect(atResume.length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.changed === "n3" && r.t > 500).length).toBeGreaterThan(20);
  });

  it("a slow node's traffic is late both ways, then back to normal", () => {
    const { trace } = probeRun([{ kind: "slow", atMs: 0, durMs: 500, node: 0, extraMs: 200 }], { workload: { clients: 0 }, network: { jitterMs: 0 } });
    const d = deliveries(trace).filter((x) => x.msg.type === "ping");
    // ping seq k was sent at the sender's k-th tick: latency = delivery time − that tick's time
    const tickTimes = new Map<string, number[]>();
    for (const t of traceEvents(trace, "tick")) {
      if (t.changed === undefined) continue;
      const list = tickTimes.get(t.node as string) ?? [];
      list.push(t.t);
      tickTimes.set(t.node as string, list);
    }
    const latency = (x: (typeof d)[number]): number => x.t - ((tickTimes.get(x.from) ?? [])[(x.msg as { seq: number }).seq - 1] ?? 0);
    const slowEarly = d.filter((x) => (x.from === "n1" || x.to === "n1") && x.t < 450).map(latency);
    const others = d.filter((x) => x.from !== "n1" && x.to !== "n1").map(latency);
    const slowLate = d.filter((x) => (x.from === "n1" || x.to === "n1") && x.t > 800).map(latency);
    expect(Math.min(...slowEarly)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...others)).toBeLessThan(20);
    expect(Math.max(...slowLate)).toBeLessThan(20);
  });

  it("clock skew changes how often a node ticks", () => {
    const { result, trace } = probeRun([{ kind: "skew", atMs: 0, durMs: 1000, node: 0, rate: 2 }], { workload: { clients: 0 } });
    const ticksOf = (node: string): number => traceEvents(trace, "tick").filter((t) => t.node === node && t.changed !== undefined).length;
    expect(ticksOf("n1")).toBeGreaterThanOrEqual(195);
    expect(ticksOf("n2")).toBeLessThanOrEqual(101);
    expect(ticksOf("n2")).toBeGreaterThanOrEqual(99);
    expect(result.metrics.ticks).toBe(ticksOf("n1") + ticksOf("n2") + ticksOf("n3"));
  });

  it("an explicit schedule out of time order starts its faults in time order, equal times in schedule order", () => {
    const schedule: FaultSchedule = [
      { kind: "pause", atMs: 600, durMs: 10, node: 0 },
      { kind: "slow", atMs: 200, durMs: 10, node: 1, extraMs: 5 },
      { kind: "pause", atMs: 200, durMs: 10, node: 2 },
      { kind: "slow", atMs: -50, durMs: 10, node: 0, extraMs: 5 },
      { kind: "pause", atMs: 1200, durMs: 10, node: 1 }, // after healing: never starts
    ];
    const { trace } = probeRun(schedule, { healAtFraction: 0.9 });
    const starts = traceEvents(trace, "fault").map((r) => ({ t: r.t, fault: r.fault }));
    expect(starts).toEqual([
      { t: 0, fault: schedule[3] },
      { t: 200, fault: schedule[1] },
      { t: 200, fault: schedule[2] },
      { t: 600, fault: schedule[0] },
    ]);
    const heal = traceEvents(trace, "heal")[0];
    expect(heal?.t).toBe(900);
    expect(traceEvents(trace, "end")[0]?.t).toBe(1000);
  });
});
