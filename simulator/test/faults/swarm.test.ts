import { describe, expect, it } from "vitest";
import { createRng } from "@synod/core";
import { FAULT_KINDS, parseFaultSelection, planSwarm, runSimulation, broadcastSimulation } from "@synod/simulator";

describe("swarm testing", () => {
  it("the plan is a function of the seed", () => {
    expect(planSwarm(createRng(5), "all", 5, 7000)).toEqual(planSwarm(createRng(5), "all", 5, 7000));
  });

  it("'all' switches faults on and off per seed (never Byzantine); a list switches exactly those on", () => {
    const seen = new Map<string, number>();
    for (let seed = 0; seed < 40; seed++) {
      const plan = planSwarm(createRng(seed), "all", 5, 7000);
      for (const k of plan.enabled) seen.set(k, (seen.get(k) ?? 0) + 1);
      for (const e of plan.schedule) expect(e.atMs).toBeLessThan(7000);
    }
    for (const k of FAULT_KINDS.filter((k) => k !== "byzantine")) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(5);
      expect(seen.get(k) ?? 0, k).toBeLessThan(35);
    }
    expect(seen.has("byzantine")).toBe(false);
    const fixed = planSwarm(createRng(1), ["loss", "partition"], 3, 1000);
    expect(fixed.enabled).toEqual(["loss", "partition"]);
    expect(fixed.schedule.every((e) => e.kind === "network" || e.kind === "partition")).toBe(true);
    expect(planSwarm(createRng(1), "none", 3, 1000).schedule).toEqual([]);
  });

  it("faults stop at healAtMs: nothing is down, cut or lost afterwards", () => {
    const result = runSimulation(broadcastSimulation, { seed: 21, nodes: 4, durationMs: 3000, faults: "all", trace: true });
    const after = (result.trace ?? []).map((l) => JSON.parse(l) as { e?: string; t: number; changed?: string; fault?: unknown }).filter((r) => r.t > result.healAtMs && r.e !== undefined);
    expect(after.filter((r) => r.e === "fault")).toHaveLength(0);
    // every delivery after healing is processed (no partition, no crashed receiver), once the in-flight ones have drained
    expect(after.filter((r) => r.e === "deliver" && r.t > result.healAtMs + 1000 && r.changed === undefined)).toHaveLength(0);
  });

  it("parses fault lists and rejects unknown names", () => {
    expect(parseFaultSelection("all")).toBe("all");
    expect(parseFaultSelection("loss,crash,loss")).toEqual(["loss", "crash"]);
    expect(() => parseFaultSelection("loss,nope")).toThrow(/unknown fault "nope"/);
  });
});
