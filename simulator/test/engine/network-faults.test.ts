import { describe, expect, it } from "vitest";
import { runSimulation, type FaultSchedule } from "@synod/simulator";
import { createProbeTarget, deliveries, type Delivery } from "../support/probe-target.js";

const quiet = { workload: { clients: 0 }, checkLiveness: false } as const;

function run(schedule: FaultSchedule, extra: { nodes?: number; durationMs?: number } = {}): Delivery[] {
  const { target } = createProbeTarget({ clients: false });
  const result = runSimulation(target, { seed: 11, nodes: extra.nodes ?? 3, durationMs: extra.durationMs ?? 1000, healAtFraction: 1, schedule, trace: true, ...quiet });
  return deliveries(result.trace ?? []);
}

const between = (d: Delivery[], from: number, to: number): Delivery[] => d.filter((x) => x.t >= from && x.t < to);
const link = (d: Delivery[], from: string, to: string): Delivery[] => d.filter((x) => x.from === from && x.to === to);

describe("network faults", () => {
  it("a symmetric partition blocks delivery both ways while it lasts, then heals", () => {
    const d = run([{ kind: "partition", atMs: 200, durMs: 300, shape: "split", group: [0], bridge: 0 }]);
    const during = between(d, 200, 500);
    expect(link(during, "n1", "n2")).toHaveLength(0);
    expect(link(during, "n2", "n1")).toHaveLength(0);
    expect(link(during, "n3", "n1")).toHaveLength(0);
    expect(link(during, "n2", "n3").length).toBeGreaterThan(10);
    expect(link(between(d, 520, 1000), "n1", "n2").length).toBeGreaterThan(10);
    expect(link(between(d, 0, 200), "n1", "n2").length).toBeGreaterThan(5);
  });

  it("a one-way partition only blocks one direction", () => {
    const d = between(run([{ kind: "partition", atMs: 200, durMs: 300, shape: "one-way", group: [0], bridge: 0 }]), 200, 500);
    expect(link(d, "n1", "n2")).toHaveLength(0);
    expect(link(d, "n1", "n3")).toHaveLength(0);
    expect(link(d, "n2", "n1").length).toBeGreaterThan(10);
    expect(link(d, "n3", "n1").length).toBeGreaterThan(10);
  });

  it("isolating a node cuts it off from everyone; the others still talk", () => {
    const d = between(run([{ kind: "partition", atMs: 100, durMs: 400, shape: "isolate", group: [1], bridge: 0 }]), 100, 500);
    expect(d.filter((x) => x.from === "n2" || x.to === "n2")).toHaveLength(0);
    expect(link(d, "n1", "n3").length).toBeGreaterThan(10);
  });

  it("a bridge node talks to both sides that cannot talk to each other", () => {
    const d = between(run([{ kind: "partition", atMs: 100, durMs: 400, shape: "bridge", group: [0, 1], bridge: 1 }], { nodes: 4 }), 100, 500);
    // sides {n1, n2} and {n3, n4}; n2 bridges
    expect(link(d, "n1", "n3")).toHaveLength(0);
    expect(link(d, "n4", "n1")).toHaveLength(0);
    expect(link(d, "n2", "n3").length).toBeGreaterThan(10);
    expect(link(d, "n4", "n2").length).toBeGreaterThan(10);
    expect(link(d, "n1", "n2").length).toBeGreaterThan(10);
  });

  it("duplication delivers a message twice", () => {
    const d = run([{ kind: "network", atMs: 0, durMs: 1000, loss: 0, duplicate: 1, reorder: 0, spike: 0, spikeMs: 0 }]);
    const counts = new Map<string, number>();
    for (const x of d) if (x.msg.type === "ping") counts.set(`${x.from}>${x.to}#${x.msg.seq}`, (counts.get(`${x.from}>${x.to}#${x.msg.seq}`) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(100);
    expect([...counts.values()].every((c) => c === 2)).toBe(true);
  });

  it("loss drops messages (and only with loss on)", () => {
    const clean = run([]).length;
    const lossy = run([{ kind: "network", atMs: 0, durMs: 1000, loss: 0.5, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 }]).length;
    expect(lossy).toBeLessThan(clean * 0.7);
    expect(lossy).toBeGreaterThan(clean * 0.3);
  });

  it("links are FIFO without reordering, and reordering makes later messages overtake earlier ones", () => {
    const overtakes = (d: Delivery[]): number => {
      let count = 0;
      const last = new Map<string, number>();
      for (const x of d) {
        if (x.msg.type !== "ping") continue;
        const key = `${x.from}>${x.to}`;
        if ((last.get(key) ?? -1) > x.msg.seq) count++;
        last.set(key, Math.max(last.get(key) ?? -1, x.msg.seq));
      }
      return count;
    };
    expect(overtakes(run([]))).toBe(0);
    expect(overtakes(run([{ kind: "network", atMs: 0, durMs: 1000, loss: 0, duplicate: 0, reorder: 0.5, spike: 0, spikeMs: 0 }]))).toBeGreaterThan(10);
  });

  it("latency spikes delay some messages by up to spikeMs", () => {
    const maxGap = (d: Delivery[]): number => Math.max(...d.map((x) => x.t - (x.msg.type === "ping" ? x.msg.seq * 10 : 0)));
    const { target } = createProbeTarget({ clients: false });
    const base = runSimulation(target, { seed: 3, nodes: 2, durationMs: 1000, healAtFraction: 1, schedule: [], trace: true, ...quiet, network: { jitterMs: 0 } });
    const spiky = runSimulation(target, { seed: 3, nodes: 2, durationMs: 1000, healAtFraction: 1, trace: true, ...quiet, network: { jitterMs: 0 }, schedule: [{ kind: "network", atMs: 0, durMs: 1000, loss: 0, duplicate: 0, reorder: 0, spike: 1, spikeMs: 400 }] });
    expect(maxGap(deliveries(spiky.trace ?? []))).toBeGreaterThan(maxGap(deliveries(base.trace ?? [])) + 100);
  });
});
