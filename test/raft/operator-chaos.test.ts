/**
 * The swarm over Raft configurations (issue 14): a simulated operator changes membership and moves
 * leadership during chaos, and per-seed options and cluster sizes (even ones included) are drawn
 * from the seed. These runs must hold every invariant, and the scenarios must really happen.
 */
import { createRng } from "@synod/core";
import { createKvModel } from "@synod/lincheck";
import { createRaftSimulation, drawRaftOperator, drawRaftSimConfig, RAFT_SIM_CONFIG } from "@synod/raft/simulation";
import { drawClusterSize, runSimulation, SWARM_CLUSTER_SIZES, withLinearizability } from "@synod/simulator";
import { describe, expect, it } from "vitest";

describe("Raft with a simulated operator", () => {
  it("changes membership (joint consensus) and transfers leadership under faults, holding every invariant", () => {
    const target = withLinearizability(createRaftSimulation(RAFT_SIM_CONFIG, { changeMembership: 0.02, transferLeadership: 0.005 }), createKvModel());
    let joint = 0;
    let transfers = 0;
    for (const seed of [1, 2, 3]) {
      const lines: string[] = [];
      const result = runSimulation(target, { seed, nodes: 5, durationMs: 6_000, faults: "all", trace: (line) => lines.push(line) });
      expect(result.violations, `seed ${seed}`).toEqual([]);
      joint += lines.filter((l) => l.includes('"type":"conf"') && l.includes('"outgoing":["')).length;
      transfers += lines.filter((l) => l.includes('"type":"timeoutNow"')).length;
    }
    expect(joint).toBeGreaterThan(0);
    expect(transfers).toBeGreaterThan(0);
  });

  it("with disableConfChangeValidation proposes overlapping changes, the one applied while joint ignored, holding every invariant", () => {
    const config = { ...RAFT_SIM_CONFIG, disableConfChangeValidation: true };
    const target = withLinearizability(createRaftSimulation(config, { changeMembership: 0.02, transferLeadership: 0 }), createKvModel());
    let ignored = 0;
    for (const seed of [1, 2, 3]) {
      const lines: string[] = [];
      const result = runSimulation(target, { seed, nodes: 5, durationMs: 6_000, faults: "all", trace: (line) => lines.push(line) });
      expect(result.violations, `seed ${seed}`).toEqual([]);
      ignored += lines.filter((l) => l.includes('"rejected":"enter-joint while already in a joint configuration"')).length;
    }
    expect(ignored).toBeGreaterThan(0);
  });
});

describe("the configuration swarm", () => {
  it("draws every cluster size from 1 to 9, and options as a function of the seed", () => {
    const sizes = new Set<number>();
    for (let seed = 0; seed < 300; seed++) sizes.add(drawClusterSize(createRng(seed)));
    expect([...sizes].sort((a, b) => a - b)).toEqual([...new Set(SWARM_CLUSTER_SIZES)].sort((a, b) => a - b));
    expect(drawRaftSimConfig(createRng(7))).toEqual(drawRaftSimConfig(createRng(7)));
    const configs = Array.from({ length: 50 }, (_, seed) => drawRaftSimConfig(createRng(seed)));
    expect(configs.some((c) => c.readMode === "lease")).toBe(true);
    expect(configs.some((c) => c.maxInflightMessages === 1)).toBe(true);
    expect(configs.some((c) => c.adaptiveBatching === true) && configs.some((c) => c.adaptiveBatching === false)).toBe(true);
    expect(configs.every((c) => c.readMode !== "lease" || c.checkQuorum === true)).toBe(true);
    expect(configs.some((c) => c.disableConfChangeValidation === true) && configs.some((c) => c.disableConfChangeValidation === false)).toBe(true);
    expect(Array.from({ length: 50 }, (_, seed) => drawRaftOperator(createRng(seed))).some((o) => o === undefined)).toBe(true);
  });
});
