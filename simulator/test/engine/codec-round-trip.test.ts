import { describe, expect, it } from "vitest";
import { broadcastSimulation, runSimulation } from "@synod/simulator";
import { createProbeTarget } from "../support/probe-target.js";

describe("codecRoundTrip", () => {
  it("sends every message through the codec without changing the run, and counts bytes", () => {
    const options = { seed: 6, nodes: 3, durationMs: 1500, faults: "all" } as const;
    const plain = runSimulation(broadcastSimulation, options);
    const coded = runSimulation(broadcastSimulation, { ...options, codecRoundTrip: true });
    expect(coded.traceHash).toBe(plain.traceHash);
    expect(coded.metrics.bytesSent).toBeGreaterThan(coded.metrics.messagesSent!);
    expect(plain.metrics.bytesSent).toBe(0);
  });

  it("a message that fails validation is counted and dropped, never delivered", () => {
    const { target } = createProbeTarget({ clients: false });
    // the forged marker is longer than the schema's 16 characters: the codec rejects it
    const badForge = { ...target, forge: (m: Parameters<NonNullable<typeof target.forge>>[0]) => (m.type === "ping" ? { ...m, marker: "x".repeat(40) } : m) };
    const result = runSimulation(badForge, {
      seed: 1,
      nodes: 3,
      durationMs: 500,
      healAtFraction: 1,
      codecRoundTrip: true,
      checkLiveness: false,
      workload: { clients: 0 },
      trace: true,
      schedule: [{ kind: "byzantine", atMs: 0, durMs: 500, node: 0, strategy: "forge" }],
    });
    expect(result.metrics.decodeErrors).toBeGreaterThan(50);
    const fromN1 = (result.trace ?? []).map((l) => JSON.parse(l) as { e?: string; from?: string }).filter((r) => r.e === "deliver" && r.from === "n1");
    expect(fromN1).toHaveLength(0);
  });
});
