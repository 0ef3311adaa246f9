import { pbftSimulation } from "@synod/pbft";
import { raftSimulation } from "@synod/raft/simulation";
import { describe, expect, it } from "vitest";
import { runSimulation } from "../../src/engine/run-simulation.js";
import type { FaultEvent } from "../../src/faults/schedule.js";

/** Raft's points: 0 elected, 1 leader-committed, 2 vote-granted, 3 append-acked, 4 read-served. */
const buggify = (pointMask: number, probability = 1, durMs = 3000): FaultEvent => ({ kind: "buggify", atMs: 0, durMs, probability, pointMask, downMs: 50 });

function run(schedule: FaultEvent[], seed = 1) {
  return runSimulation(raftSimulation, { seed, nodes: 3, durationMs: 6000, healAtMs: 3000, schedule });
}

describe("buggify: crash points of the target", () => {
  it("crashes every node that grants a vote, right after its grant left (after-send), and restarts it", () => {
    const result = run([buggify(1 << 2)]);
    expect(result.metrics.buggifyCrashes).toBeGreaterThan(0);
    expect(result.metrics["buggify:vote-granted"]).toBe(result.metrics.buggifyCrashes);
    expect(result.metrics.restarts).toBe(result.metrics.crashes);
    // the grants were sent: elections still succeed with voters dying after each vote
    expect(result.metrics.leaderChanges).toBeGreaterThan(0);
    expect(result.violations).toEqual([]);
  });

  it("crashes each new leader before its first appends leave (before-send): nothing commits until the episode ends", () => {
    const during = runSimulation(raftSimulation, { seed: 1, nodes: 3, durationMs: 2500, healAtMs: 2500, checkLiveness: false, schedule: [buggify(1 << 0, 1, 2500)] });
    expect(during.metrics["buggify:elected"]).toBeGreaterThan(1);
    expect(during.metrics.sendsLostInCrash).toBeGreaterThan(0);
    expect(during.metrics.committedEntries ?? 0).toBe(0);
    const healed = run([buggify(1 << 0)]);
    expect(healed.violations).toEqual([]); // after the episode a leader is elected and commits (liveness)
  });

  it("fires only the points in the mask, and never with probability 0", () => {
    const none = run([buggify(1 << 2, 0)]);
    expect(none.metrics.buggifyCrashes ?? 0).toBe(0);
    const committed = run([buggify(1 << 1, 0.5)]);
    const fired = Object.keys(committed.metrics).filter((k) => k.startsWith("buggify:"));
    expect(fired).toEqual(["buggify:leader-committed"]);
  });

  it("is deterministic: the same seed and schedule give the same trace hash", () => {
    const schedule = [buggify(0b11111, 0.05)];
    expect(run(schedule, 7).traceHash).toBe(run(schedule, 7).traceHash);
  });
});

describe("buggify: drop-sends points (no crash)", () => {
  /** PBFT's point 4, `dispute-forwarded`; the primary n1 crashed at 300 ms, so view-changes are forwarded as disputes. */
  const schedule = (dropProbability: number, pointMask = 1 << 4): FaultEvent[] => [
    { kind: "crash", atMs: 300, node: 0, downMs: 1000, mode: "clean", torn: false, corrupt: false },
    { kind: "buggify", atMs: 0, durMs: 2000, probability: 0, pointMask, downMs: 50, dropProbability },
  ];
  const runPbft = (events: FaultEvent[]) => runSimulation(pbftSimulation, { seed: 3, nodes: 4, durationMs: 4000, healAtMs: 2000, schedule: events });

  it("loses every send of a step forwarding a dispute, crashes nothing, and the disputes sent again arrive after healing", () => {
    const result = runPbft(schedule(1));
    expect(result.metrics["buggify:dispute-forwarded"]).toBeGreaterThan(0);
    expect(result.metrics.buggifyCrashes ?? 0).toBe(0);
    expect(result.metrics.crashes).toBe(1); // the scheduled one only
    expect(result.metrics.droppedLoss).toBeGreaterThanOrEqual(result.metrics["buggify:dispute-forwarded"] as number);
    expect(result.metrics.disputesResent).toBeGreaterThan(0);
    expect(result.violations).toEqual([]);
  });

  it("fires with its own probability (armed by it alone) and only when its point is in the mask", () => {
    expect(runPbft(schedule(0)).metrics["buggify:dispute-forwarded"] ?? 0).toBe(0);
    expect(runPbft(schedule(1, 1 << 3)).metrics["buggify:dispute-forwarded"] ?? 0).toBe(0);
    expect(runPbft(schedule(1, 1 << 3)).metrics.droppedLoss).toBe(0);
  });
});
