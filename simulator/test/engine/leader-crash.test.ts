import { raftSimulation } from "@synod/raft/simulation";
import { describe, expect, it } from "vitest";
import { runSimulation } from "../../src/engine/run-simulation.js";
import type { FaultEvent } from "../../src/faults/schedule.js";

type TraceLine = { e: string; t: number; node?: string; changed?: string; out?: { type: string; role?: string }[] };

/** A crash aimed at the leader of the moment; `node: 0` is only a placeholder the aim overrides. */
const leaderCrash = (atMs: number): FaultEvent => ({ kind: "crash", atMs, node: 0, downMs: 200, mode: "clean", torn: false, corrupt: false, aim: "leader" });

function run(schedule: FaultEvent[]) {
  const result = runSimulation(raftSimulation, { seed: 1, nodes: 3, durationMs: 6000, trace: true, schedule });
  const lines = (result.trace ?? []).slice(1).map((l) => JSON.parse(l) as TraceLine);
  return { result, lines };
}

/** The node that most recently reported becoming leader before time `t`. */
function leaderBefore(lines: readonly TraceLine[], t: number): string | undefined {
  let leader: string | undefined;
  for (const line of lines) {
    if (line.t >= t) break;
    if (line.out?.some((o) => o.type === "role" && o.role === "leader")) leader = line.changed;
  }
  return leader;
}

describe("leader-crash: a crash aimed at whoever leads", () => {
  it("crashes the node leading at that moment, not the placeholder node, and counts it", () => {
    const { result, lines } = run([leaderCrash(2000), leaderCrash(4000)]);
    const crashes = lines.filter((l) => l.e === "fault");
    expect(crashes).toHaveLength(2);
    for (const crash of crashes) {
      const leader = leaderBefore(lines, crash.t);
      expect(leader).toBeDefined();
      expect(crash.changed).toBe(leader);
    }
    // seed 1 elects n2 first: the first aimed crash must not hit n1, the placeholder index 0
    expect(crashes[0]?.changed).toBe("n2");
    expect(result.metrics.crashes).toBe(2);
    expect(result.metrics.leaderCrashes).toBe(2);
    expect(result.violations).toEqual([]);
  });

  it("is skipped when nobody leads yet (before the first election)", () => {
    const { result } = run([leaderCrash(1)]);
    expect(result.metrics.crashes ?? 0).toBe(0);
    expect(result.metrics.leaderCrashes ?? 0).toBe(0);
  });
});
