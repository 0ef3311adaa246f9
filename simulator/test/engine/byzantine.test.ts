import { describe, expect, it } from "vitest";
import { createAdversary, runSimulation, type AdversaryName } from "@synod/simulator";
import { createProbeTarget, deliveries, type Delivery } from "../support/probe-target.js";

function byzantineRun(strategy: AdversaryName): Delivery[] {
  const { target } = createProbeTarget({ clients: false });
  const result = runSimulation(target, {
    seed: 9,
    nodes: 4,
    durationMs: 1000,
    healAtFraction: 1,
    trace: true,
    checkLiveness: false,
    workload: { clients: 0 },
    network: { jitterMs: 0 },
    schedule: [{ kind: "byzantine", atMs: 0, durMs: 1000, node: 0, strategy }],
  });
  expect(result.metrics.byzantineEpisodes).toBe(1);
  return deliveries(result.trace ?? []);
}

const fromByz = (d: Delivery[]): Delivery[] => d.filter((x) => x.from === "n1");
const pingKey = (x: Delivery): string => `${x.to}#${x.msg.type === "ping" ? x.msg.seq : -1}`;

describe("Byzantine adversaries", () => {
  it("honest traffic: each ping once, unforged (baseline for the strategies below)", () => {
    const { target } = createProbeTarget({ clients: false });
    const result = runSimulation(target, { seed: 9, nodes: 4, durationMs: 1000, trace: true, checkLiveness: false, workload: { clients: 0 } });
    const d = fromByz(deliveries(result.trace ?? []));
    expect(new Set(d.map(pingKey)).size).toBe(d.length);
    expect(d.every((x) => x.msg.type === "ping" && x.msg.marker === "ok")).toBe(true);
  });

  it("drop: nothing the Byzantine node sends arrives; honest nodes are unaffected", () => {
    const d = byzantineRun("drop");
    expect(fromByz(d)).toHaveLength(0);
    expect(d.filter((x) => x.from === "n2").length).toBeGreaterThan(100);
  });

  it("delay: its messages arrive at least 100 ms late", () => {
    const d = fromByz(byzantineRun("delay"));
    expect(d.length).toBeGreaterThan(100);
    // ping k is sent on the sender's k-th tick (10 ms apart): arrival − 10k is the latency up to the tick phase
    const lateness = d.map((x) => x.t - (x.msg.type === "ping" ? x.msg.seq * 10 : 0));
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(100 - 10);
  });

  it("duplicate: every message arrives 2 to 4 times", () => {
    const counts = new Map<string, number>();
    for (const x of fromByz(byzantineRun("duplicate"))) counts.set(pingKey(x), (counts.get(pingKey(x)) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(100);
    expect([...counts.values()].every((c) => c >= 2 && c <= 4)).toBe(true);
  });

  it("replay: old messages arrive again, after newer ones", () => {
    const d = fromByz(byzantineRun("replay"));
    let replays = 0;
    const newest = new Map<string, number>();
    for (const x of d) {
      if (x.msg.type !== "ping") continue;
      if ((newest.get(x.to) ?? 0) > x.msg.seq) replays++;
      newest.set(x.to, Math.max(newest.get(x.to) ?? 0, x.msg.seq));
    }
    expect(replays).toBeGreaterThan(50);
  });

  it("equivocate: peers at even positions get the real message, the others a forged one", () => {
    const d = fromByz(byzantineRun("equivocate")).filter((x) => x.msg.type === "ping");
    const markers = (to: string): Set<string> => new Set(d.filter((x) => x.to === to).map((x) => (x.msg.type === "ping" ? x.msg.marker : "")));
    expect(markers("n3")).toEqual(new Set(["ok"]));
    expect(markers("n2").has("forged")).toBe(true);
    expect(markers("n4").has("forged")).toBe(true);
  });

  it("forge: every message is altered", () => {
    const d = fromByz(byzantineRun("forge"));
    expect(d.length).toBeGreaterThan(100);
    expect(d.every((x) => x.msg.type === "ping" && x.msg.marker === "forged")).toBe(true);
  });

  it("custom adversaries plug in through options.byzantine", () => {
    const { target } = createProbeTarget({ clients: false });
    let seen = 0;
    const result = runSimulation(target, {
      seed: 1,
      nodes: 3,
      durationMs: 500,
      healAtFraction: 1, // custom adversaries act until healing
      trace: true,
      checkLiveness: false,
      workload: { clients: 0 },
      byzantine: { n2: { name: "only-to-n1", onSend: (e, ctx) => (seen++, e.to === "n1" ? ctx.emit(e.to, e.message) : undefined) } },
    });
    const d = deliveries(result.trace ?? []).filter((x) => x.from === "n2");
    expect(seen).toBeGreaterThan(50);
    expect(d.length).toBeGreaterThan(20);
    expect(d.every((x) => x.to === "n1")).toBe(true);
  });

  it("rejects unknown strategy names", () => {
    expect(() => createAdversary("nope" as AdversaryName)).toThrow(/unknown adversary/);
  });
});
