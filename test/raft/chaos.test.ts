/**
 * Chaos properties of @synod/raft in the deterministic simulator: random fault schedules (fast-check,
 * shrinkable) and swarm-generated fault mixes, each run checked after every event against the
 * invariant twins of specs/raft/Raft.tla (createRaftInvariants), for liveness after healing, and at the end for
 * linearizability of the KV history (@synod/lincheck).
 *
 * CI budget: 400 schedules + 400 swarm seeds (~30 s on one core).
 * Larger local run (1,000 schedules + 2,000 swarm seeds took 2 min 12 s here):
 *   RAFT_CHAOS_RUNS=1000 RAFT_CHAOS_SEEDS=2000 pnpm exec vitest run test/raft/chaos.test.ts
 */
import { createKvModel } from "@synod/lincheck";
import { raftSimulation as raftProtocol } from "@synod/raft/simulation";
import { faultScheduleArbitrary, runSimulation, runWithSchedule, withLinearizability, workloadArbitrary, type SimulationResult } from "@synod/simulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const NODES = 5;
const DURATION_MS = 6_000;
const HEAL_AT_MS = Math.floor(DURATION_MS * 0.7);
/** Raft with the end-of-run `Linearizable` invariant over its KV history, as `pnpm sim raft` runs it. */
const raftSimulation = withLinearizability(raftProtocol, createKvModel());
const RUNS = Number(process.env.RAFT_CHAOS_RUNS ?? 400);
const SEEDS = Number(process.env.RAFT_CHAOS_SEEDS ?? 400);

/** @returns undefined when the run is clean, else a description (with what reproduces it) */
function problem(result: SimulationResult<unknown, unknown>): string | undefined {
  const violation = result.violations[0];
  if (violation !== undefined) {
    return `seed ${result.seed}: ${violation.invariant} at event ${violation.event} (${violation.message})\n${result.tail.join("\n")}`;
  }
  return undefined;
}

describe("raft chaos (simulator)", () => {
  it(`holds every invariant, liveness and linearizability over ${RUNS} random fault schedules (fast-check seed 4242)`, () => {
    fc.assert(
      fc.property(faultScheduleArbitrary({ nodes: NODES, healAtMs: HEAL_AT_MS }), workloadArbitrary(4), fc.integer({ min: 0, max: 1_000_000 }), (schedule, workload, seed) => {
        const result = runWithSchedule(raftSimulation, { seed, nodes: NODES, durationMs: DURATION_MS, healAtFraction: 0.7, schedule, workload });
        const found = problem(result);
        if (found !== undefined) throw new Error(found);
      }),
      { seed: 4242, numRuns: RUNS },
    );
  });

  it(`holds them over ${SEEDS} swarm seeds (every fault kind but Byzantine, rates drawn per seed)`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS && failures.length === 0; seed++) {
      const found = problem(runSimulation(raftSimulation, { seed, nodes: NODES, durationMs: DURATION_MS, faults: "all" }));
      if (found !== undefined) failures.push(found);
    }
    expect(failures).toEqual([]);
  });

  it("is deterministic: the same seed gives the same trace hash", () => {
    const a = runSimulation(raftSimulation, { seed: 7, nodes: NODES, durationMs: 3_000, faults: "all" });
    const b = runSimulation(raftSimulation, { seed: 7, nodes: NODES, durationMs: 3_000, faults: "all" });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.messagesDelivered).toBeGreaterThan(0);
  });
});
