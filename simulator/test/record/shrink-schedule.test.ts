import { describe, expect, it } from "vitest";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { createBroadcastSimulation } from "../../src/reference/broadcast/target.js";
import { shrinkSchedule } from "../../src/report/shrink-schedule.js";

// The report's shrinker on the reference broadcast's planted bug: a failing seed's schedule shrinks to
// fewer episodes that still fail the same invariant, deterministically.
describe("shrinkSchedule", () => {
  const buggy = createBroadcastSimulation({ plantedBug: "recovery-drops-last" });
  const seed = [...Array(40).keys()].map((s) => s + 1).find((s) => runSimulation(buggy, { seed: s, nodes: 3, durationMs: 3000, faults: "all" }).violations.length > 0);

  it("keeps only episodes the failure needs, and names where the shrunk run fails", () => {
    expect(seed).toBeDefined();
    const failing = runSimulation(buggy, { seed: seed as number, nodes: 3, durationMs: 3000, faults: "all" });
    const invariant = failing.violations[0]?.invariant as string;
    const options = { seed: seed as number, nodes: 3, durationMs: 3000, healAtMs: failing.healAtMs };
    const shrunk = shrinkSchedule(buggy, options, failing.schedule, invariant, 60);
    console.log(`broadcast recovery-drops-last seed ${seed}: ${failing.schedule.length} episodes → ${shrunk.schedule.length} in ${shrunk.runs} runs`);
    expect(shrunk.schedule.length).toBeLessThan(failing.schedule.length);
    const again = runSimulation(buggy, { ...options, schedule: shrunk.schedule });
    expect(again.violations[0]?.invariant).toBe(invariant);
    if (shrunk.violation !== undefined) expect(again.violations[0]?.event).toBe(shrunk.violation.event);
    expect(shrinkSchedule(buggy, options, failing.schedule, invariant, 60)).toEqual(shrunk);
  });
});
