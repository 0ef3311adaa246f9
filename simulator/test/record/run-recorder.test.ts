import { createKvModel } from "@synod/lincheck";
import { raftSimulation } from "@synod/raft/simulation";
import { describe, expect, it } from "vitest";
import { withLinearizability } from "../../src/checks/linearizable.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { MessageFate } from "../../src/record/run-recording.js";
import { RunRecorder } from "../../src/record/run-recorder.js";

const raft = withLinearizability(raftSimulation, createKvModel());
const count = (fates: readonly number[], fate: number): number => fates.filter((f) => f === fate).length;

describe("RunRecorder: what a space-time diagram needs, without changing the run", () => {
  // Seeds 1..6 with every fault: the recorded run is the same run, and every message is accounted for.
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`raft seed ${seed}: same trace hash recorded or not; fates add up to the simulator's counters`, () => {
      const options = { seed, faults: "all" as const, durationMs: 6000 };
      const plain = runSimulation(raft, options);
      const recorder = new RunRecorder();
      const recorded = runSimulation(raft, { ...options, record: recorder });
      expect(recorded.traceHash).toBe(plain.traceHash);
      const r = recorder.recording();
      const m = recorded.metrics;
      const fate = r.messages.fate;
      expect(fate.length).toBe((m.messagesSent ?? 0) + (m.duplicated ?? 0));
      expect(r.messages.dupOf.filter((d) => d >= 0).length).toBe(m.duplicated);
      expect(count(fate, MessageFate.Delivered)).toBe(recorded.messagesDelivered);
      expect(count(fate, MessageFate.Lost)).toBe(m.droppedLoss);
      expect(count(fate, MessageFate.Cut)).toBe(m.droppedPartition);
      expect(count(fate, MessageFate.Overflow)).toBe(m.droppedPauseOverflow);
      expect(count(fate, MessageFate.Crashed)).toBeGreaterThanOrEqual(m.droppedCrashed ?? 0);
      expect(r.eventTimesMs.length).toBe(recorded.events);
      for (let id = 0; id < fate.length; id++) {
        if (fate[id] === MessageFate.Delivered) expect(r.messages.endMs[id]).toBeGreaterThanOrEqual(r.messages.sentMs[id] as number);
      }
      expect(r.nodeEpisodes.filter((e) => e.kind === "down").length).toBe(m.crashes);
      expect(r.networkEpisodes.filter((e) => e.kind === "partition").length).toBe(m.partitions);
      expect(r.nodeEpisodes.filter((e) => e.kind === "paused").length).toBeLessThanOrEqual(m.pauses ?? 0);
      expect(r.roles.some((role) => role.label.startsWith("leader"))).toBe(true);
    });
  }

  it("keeps each node's state at a violation", () => {
    const recorder = new RunRecorder();
    const result = runSimulation({ ...raft, createInvariants: () => [{ name: "NeverALeader", check: (view) => ([...view.nodes.values()].some((n) => n?.role === "leader") ? "a leader" : undefined) }] }, { seed: 1, record: recorder });
    expect(result.violations[0]?.invariant).toBe("NeverALeader");
    const states = recorder.recording().states ?? {};
    expect(Object.keys(states)).toEqual(["n1", "n2", "n3", "n4", "n5"]);
  });
});
