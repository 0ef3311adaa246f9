import { createRng } from "@synod/core";
import { describe, expect, it } from "vitest";
import { SimulationCounters } from "../../src/engine/counters.js";
import { FaultInjector, type FaultHost } from "../../src/engine/fault-injector.js";
import { NetworkModel } from "../../src/engine/network.js";
import { DEFAULT_NETWORK } from "../../src/engine/options.js";
import { planSwarm } from "../../src/faults/swarm.js";
import type { FaultEvent } from "../../src/faults/schedule.js";

/** A host whose leader is `leader` (undefined: nobody leads), recording clock rates. */
function host(leader: number | undefined): FaultHost<unknown> & { rates: number[] } {
  const rates = [1, 1, 1, 1, 1];
  return {
    rates,
    nodeCount: 5,
    network: new NetworkModel(5, DEFAULT_NETWORK, createRng(1)),
    counters: new SimulationCounters(),
    faultRng: createRng(2),
    nowMs: () => 0,
    isUp: () => true,
    leaderIndex: () => leader,
    crash: () => {},
    armCrash: () => {},
    corruptDisk: () => false,
    pause: () => {},
    resume: () => {},
    setClockRate: (i, rate) => {
      rates[i] = rate;
    },
    setAdversary: () => {},
    setBuggify: () => {},
  };
}

// `node: 0` is a placeholder the aim overrides.
const stall: FaultEvent[] = [
  { kind: "slow", atMs: 100, durMs: 500, node: 0, extraMs: 400, aim: "leader" },
  { kind: "skew", atMs: 100, durMs: 500, node: 0, rate: 0.9, aim: "leader" },
];

describe("leader-stall: slow links and a slow clock aimed at whoever leads", () => {
  it("slows the leader of the moment (not the placeholder) and restores that node at the end", () => {
    const h = host(3);
    const faults = new FaultInjector(stall, h);
    expect(faults.start(0)).toBe(500);
    expect(faults.start(1)).toBe(500);
    expect(h.network.slowExtraMs[3]).toBe(400);
    expect(h.network.slowExtraMs[0]).toBe(0);
    expect(h.rates[3]).toBe(0.9);
    expect(h.counters.leaderStalls).toBe(1);
    faults.end(0);
    faults.end(1);
    expect(h.network.slowExtraMs[3]).toBe(0);
    expect(h.rates[3]).toBe(1);
  });

  it("does nothing when nobody leads", () => {
    const h = host(undefined);
    const faults = new FaultInjector(stall, h);
    expect(faults.start(0)).toBeUndefined();
    expect(h.network.slowExtraMs.every((x) => x === 0)).toBe(true);
    expect(h.counters.leaderStalls).toBe(0);
  });

  it("is in `all` (on in some seeds): pairs of aimed slow links and slow clocks starting together", () => {
    let withStall = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const plan = planSwarm(createRng(seed), "all", 5, 7000);
      // A leader-island's halves (an inbound-only slow, a skew starting with its partition) are not a stall's.
      const islands = new Set(plan.schedule.filter((e) => e.kind === "partition" && e.aim === "leader").map((e) => e.atMs));
      const slows = plan.schedule.filter((e) => e.kind === "slow" && e.aim === "leader" && e.inbound !== true);
      const skews = plan.schedule.filter((e) => e.kind === "skew" && e.aim === "leader" && !islands.has(e.atMs));
      if (plan.enabled.includes("leader-stall")) withStall++;
      else expect(slows).toEqual([]);
      expect(skews.map((e) => e.atMs)).toEqual(slows.map((e) => e.atMs));
      for (const e of skews) if (e.kind === "skew") expect(e.rate >= 0.8 && e.rate <= 1).toBe(true);
    }
    expect(withStall).toBeGreaterThan(5);
    expect(withStall).toBeLessThan(35);
  });
});
