import { describe, expect, it } from "vitest";
import { runSimulation } from "@synod/simulator";
import { kvClientModel, raftSimulation, type RaftSimulationTarget } from "@synod/raft/simulation";

describe("kvClientModel.completionId", () => {
  it("names exactly the invocation completion() would: the same runs with and without it", () => {
    const { completionId: _shortcut, ...withoutShortcut } = kvClientModel;
    const plain: RaftSimulationTarget = { ...raftSimulation, client: withoutShortcut };
    for (const seed of [1, 2, 3, 4]) {
      const options = { seed, nodes: 5, durationMs: 6000, faults: "all" as const };
      const a = runSimulation(raftSimulation, options);
      const b = runSimulation(plain, options);
      expect(a.violations, `seed ${seed}`).toEqual([]);
      expect(a.history, `seed ${seed}`).toEqual(b.history);
      expect(a.metrics, `seed ${seed}`).toEqual(b.metrics);
      expect(a.history.filter((event) => event.type === "ok").length, `seed ${seed}`).toBeGreaterThan(5);
    }
  });
});
