/**
 * A member forging huge terms (the simulator's `huge-term` adversary) must not end a Raft cluster's
 * liveness: issue 15 found that one heartbeat claiming term 2^53 − 1 stopped every election for good.
 * Each run has one Byzantine member for the whole faulty phase, then checks the invariants of
 * specs/raft/Raft.tla after every event and liveness after healing.
 */
import { raftSimulation } from "@synod/raft/simulation";
import { runSimulation } from "@synod/simulator";
import { describe, expect, it } from "vitest";

const SEEDS = 12;

describe("raft under a member forging huge terms", () => {
  it(`elects a leader and commits after healing, with every invariant held, over ${SEEDS} seeds of 3 and 5 nodes`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const nodes = seed % 2 === 0 ? 3 : 5;
      const result = runSimulation(raftSimulation, {
        seed,
        nodes,
        durationMs: 4_000,
        healAtFraction: 0.5,
        codecRoundTrip: true,
        schedule: [{ kind: "byzantine", atMs: 200, durMs: 1_800, node: seed % nodes, strategy: "huge-term" }],
      });
      const violation = result.violations[0];
      if (violation !== undefined) failures.push(`seed ${seed} (${nodes} nodes): ${violation.invariant}: ${violation.message}`);
    }
    expect(failures).toEqual([]);
  });
});
