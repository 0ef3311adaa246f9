import { createRng } from "@synod/core";
import { describe, expect, it } from "vitest";
import { SimulationCounters } from "../../src/engine/counters.js";
import { FaultInjector, type FaultHost } from "../../src/engine/fault-injector.js";
import { INBOUND_RAMP, NetworkModel } from "../../src/engine/network.js";
import { planSwarm } from "../../src/faults/swarm.js";
import { scheduleKinds } from "../../src/faults/schedule-kinds.js";
import type { FaultEvent } from "../../src/faults/schedule.js";

/** A host whose leader is `leader`, at virtual time `now.ms`; no jitter, every link 5 ms. */
function host(leader: number | undefined, now: { ms: number }): FaultHost<unknown> {
  return {
    nodeCount: 5,
    network: new NetworkModel(5, { minLatencyMs: 5, maxLatencyMs: 5, jitterMs: 0 }, createRng(1)),
    counters: new SimulationCounters(),
    faultRng: createRng(2),
    nowMs: () => now.ms,
    isUp: () => true,
    leaderIndex: () => leader,
    crash: () => {},
    armCrash: () => {},
    corruptDisk: () => false,
    pause: () => {},
    resume: () => {},
    setClockRate: () => {},
    setAdversary: () => {},
    setBuggify: () => {},
  };
}

// `node: 0` and `group: [0]` are placeholders the aim overrides.
const island: FaultEvent[] = [
  { kind: "slow", atMs: 0, durMs: 1000, node: 0, extraMs: 200, aim: "leader", inbound: true },
  { kind: "partition", atMs: 600, durMs: 400, shape: "one-way", group: [0], bridge: 0, aim: "leader" },
];

describe("leader-island: late answers, then the leader's sends lost, aimed at whoever leads", () => {
  it("delays only what the leader receives, growing at INBOUND_RAMP, then cuts what it sends; the end restores it", () => {
    const now = { ms: 0 };
    const h = host(2, now);
    const faults = new FaultInjector(island, h);
    const rng = createRng(3);
    expect(faults.start(0)).toBe(1000);
    now.ms = 100;
    expect(h.network.arrivalMs(100, 1, 2, rng)).toBe(100 + 5 + 100 * INBOUND_RAMP); // growing
    expect(h.network.arrivalMs(100, 2, 1, rng)).toBe(105); // its sends are on time
    now.ms = 500;
    expect(h.network.arrivalMs(500, 3, 2, rng)).toBe(500 + 5 + 200); // capped at extraMs
    expect(faults.start(1)).toBe(400);
    expect(h.network.isBlocked(2, 1)).toBe(true);
    expect(h.network.isBlocked(1, 2)).toBe(false);
    expect(h.network.isBlocked(1, 3)).toBe(false);
    expect(h.counters.leaderIslands).toBe(1);
    faults.end(1);
    faults.end(0);
    expect(h.network.isBlocked(2, 1)).toBe(false);
    expect(h.network.arrivalMs(600, 1, 2, rng)).toBe(605);
  });

  it("does nothing when nobody leads", () => {
    const h = host(undefined, { ms: 0 });
    const faults = new FaultInjector(island, h);
    expect(faults.start(0)).toBeUndefined();
    expect(faults.start(1)).toBeUndefined();
    expect(h.network.anyBlocked()).toBe(false);
    expect(h.counters.leaderIslands).toBe(0);
  });

  it("is in `all` (on in some seeds), each cut after its late answers, reported as leader-island", () => {
    let withIsland = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const plan = planSwarm(createRng(seed), "all", 5, 7000);
      const cuts = plan.schedule.filter((e) => e.kind === "partition" && e.aim === "leader");
      const late = plan.schedule.filter((e) => e.kind === "slow" && e.inbound === true);
      if (!plan.enabled.includes("leader-island")) {
        expect(cuts).toEqual([]);
        continue;
      }
      withIsland++;
      expect(cuts.length).toBe(late.length);
      cuts.forEach((cut, i) => expect(cut.atMs).toBeGreaterThan((late[i] as FaultEvent).atMs));
      if (cuts.length > 0) expect(scheduleKinds(plan.schedule)).toContain("leader-island");
    }
    expect(withIsland).toBeGreaterThan(5);
    expect(withIsland).toBeLessThan(35);
  });
});
