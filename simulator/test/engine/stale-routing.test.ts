import { raftSimulation } from "@synod/raft/simulation";
import { describe, expect, it } from "vitest";
import { runSimulation } from "../../src/engine/run-simulation.js";

const run = (staleRouting: number, faults: "none" | "all") => runSimulation(raftSimulation, { seed: 7, nodes: 5, durationMs: 3000, faults, workload: { staleRouting } });

describe("stale routing: while two nodes lead, some operations go to the one the client was not redirected to", () => {
  it("draws nothing while at most one node leads: a run without faults is the same with or without it", () => {
    const [off, on] = [run(0, "none"), run(0.5, "none")];
    expect(on.history).toEqual(off.history);
    expect(on.events).toBe(off.events);
  });

  it("sends operations to a deposed leader during a leader-island", () => {
    const schedule = [
      { kind: "slow" as const, atMs: 500, durMs: 1500, node: 0, extraMs: 150, aim: "leader" as const, inbound: true as const },
      { kind: "partition" as const, atMs: 1000, durMs: 1000, shape: "one-way" as const, group: [], bridge: 0, aim: "leader" as const },
    ];
    const routed = (staleRouting: number) => runSimulation(raftSimulation, { seed: 7, nodes: 5, durationMs: 3000, schedule, workload: { staleRouting } });
    const [off, on] = [routed(0), routed(1)];
    expect(on.metrics.leaderIslands).toBe(1);
    expect(on.violations).toEqual([]);
    // Some operation went to a node other than where the run without stale routing sent it.
    const nodes = (r: typeof on) => r.history.flatMap((e) => (e.type === "invoke" ? [e.node] : []));
    expect(nodes(on)).not.toEqual(nodes(off));
  });

  it("rejects a probability outside [0, 1]", () => {
    expect(() => run(1.5, "none")).toThrow(/staleRouting/);
  });
});
