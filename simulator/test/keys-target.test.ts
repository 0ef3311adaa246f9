import { describe, expect, it } from "vitest";
import { keyGossipSimulation } from "@synod/security";
import { runSimulation } from "../src/engine/run-simulation.js";

describe("key rotation and revocation gossip in the simulator (pnpm sim keys)", () => {
  it("under the swarm of faults every member converges on one keyring and refuses the thief's heartbeats", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const result = runSimulation(keyGossipSimulation, { seed, nodes: 7, durationMs: 10_000, faults: "all" });
      expect(result.violations, `seed ${seed}`).toEqual([]);
      expect(result.metrics.distinctKeyrings, `seed ${seed}`).toBe(1);
    }
  });

  it("with no faults, revocations reach everyone while the thief still sends: its heartbeats are rejected", () => {
    const result = runSimulation(keyGossipSimulation, { seed: 9, nodes: 5, durationMs: 10_000 });
    expect(result.violations).toEqual([]);
    expect(result.metrics.rejectedRevoked).toBeGreaterThan(0);
  });
});
