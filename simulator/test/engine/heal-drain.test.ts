/**
 * Healing ends the faults' delays too. Before, a slow episode's extra delay (a leader stall's, up to
 * 3 s) stayed on the messages already in flight at healing, and the link's FIFO order held every
 * later message behind them: the links of the stalled node stayed silent for up to 3 s after
 * "healing", the whole of Raft's liveness bound (`pnpm sim raft --nodes 3 --seed 6027 --faults all
 * --duration 20000`: no message crossed n1–n2 from 13.5 s to 16.3 s, healing at 14 s).
 */
import { describe, expect, it } from "vitest";
import { runSimulation, type FaultSchedule } from "@synod/simulator";
import { createProbeTarget, deliveries, type Delivery } from "../support/probe-target.js";

const HEAL_AT_MS = 1000;
/** The default network: 1–10 ms per link plus up to 2 ms of jitter. */
const CLEAN_LATENCY_MS = 12;
/** n1 stalled from 500 ms with 2.9 s of extra delay on its links, longer than the run has before healing. */
const stall: FaultSchedule = [{ kind: "slow", atMs: 500, durMs: 5000, node: 0, extraMs: 2900 }];

function run(schedule: FaultSchedule): { ds: Delivery[]; drained: number } {
  const { target } = createProbeTarget({ clients: false });
  const result = runSimulation(target, { seed: 5, nodes: 2, durationMs: 2000, healAtMs: HEAL_AT_MS, schedule, trace: true, workload: { clients: 0 }, checkLiveness: false });
  return { ds: deliveries(result.trace ?? []).filter((d) => d.msg.type === "ping"), drained: result.metrics.drainedAtHeal ?? -1 };
}

/** A ping's send time is within the tick before `seq × 10 ms` (10 ms ticks). */
const sentBy = (d: Delivery): number => (d.msg.type === "ping" ? d.msg.seq * 10 : 0);

describe("healing drains the messages the faults delayed", () => {
  it("a stalled node's backlog arrives within a clean latency of healing, in order, and later messages are not held behind it", () => {
    const { ds, drained } = run(stall);
    const stalled = ds.filter((d) => sentBy(d) > 520 && sentBy(d) < HEAL_AT_MS);
    // The scenario happened: messages sent during the stall were still in flight at healing.
    expect(stalled.length).toBeGreaterThan(50);
    expect(drained).toBeGreaterThanOrEqual(stalled.length);
    for (const d of stalled) expect(d.t).toBeGreaterThan(HEAL_AT_MS);
    for (const d of ds) expect(d.t, `ping ${d.from}>${d.to} #${sentBy(d) / 10}`).toBeLessThanOrEqual(Math.max(sentBy(d), HEAL_AT_MS) + CLEAN_LATENCY_MS);
    // FIFO per link survives the drain.
    for (const [from, to] of [["n1", "n2"], ["n2", "n1"]] as const) {
      const seqs = ds.filter((d) => d.from === from && d.to === to).map(sentBy);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it("moves nothing in a run whose faults delayed nothing past healing", () => {
    const { ds, drained } = run([]);
    expect(drained).toBe(0);
    for (const d of ds) expect(d.t - sentBy(d)).toBeLessThanOrEqual(CLEAN_LATENCY_MS);
  });
});
