import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "@synod/core";
import { broadcastClient, broadcastSimulation, runSimulation, type BroadcastTarget } from "@synod/simulator";
import { createProbeTarget } from "../support/probe-target.js";

function checkWellFormed(history: readonly HistoryEvent[]): void {
  const open = new Map<number, HistoryEvent>();
  const done = new Set<number>();
  let lastTime = -Infinity;
  for (const e of history) {
    expect(e.timeMs).toBeGreaterThanOrEqual(lastTime);
    lastTime = e.timeMs;
    if (e.type === "invoke") {
      expect(open.has(e.id) || done.has(e.id)).toBe(false);
      open.set(e.id, e);
    } else {
      const invoke = open.get(e.id);
      expect(invoke, `completion of ${e.id} without a pending invoke`).toBeDefined();
      expect(invoke?.client).toBe(e.client);
      open.delete(e.id);
      done.add(e.id);
    }
  }
}

describe("workload and history", () => {
  it("closed loop: each client has at most one pending invocation; history is well formed", () => {
    const result = runSimulation(broadcastSimulation, { seed: 3, nodes: 3, durationMs: 3000, faults: "all", workload: { clients: 4, thinkMaxMs: 20 } });
    checkWellFormed(result.history);
    const pending = new Map<number, number>();
    for (const e of result.history) {
      const c = pending.get(e.client) ?? 0;
      pending.set(e.client, e.type === "invoke" ? c + 1 : c - 1);
      expect(pending.get(e.client)).toBeLessThanOrEqual(1);
    }
    expect(new Set(result.history.map((e) => e.client))).toEqual(new Set([0, 1, 2, 3]));
  });

  it("invocations to a crashed node time out as unknown at invoke + timeoutMs", () => {
    const { target } = createProbeTarget({ ping: false });
    const result = runSimulation(target, {
      seed: 2,
      nodes: 1,
      durationMs: 3000,
      healAtFraction: 1,
      checkLiveness: false,
      workload: { clients: 1, thinkMaxMs: 0 },
      schedule: [{ kind: "crash", atMs: 1000, node: 0, downMs: 1500, mode: "clean", torn: false, corrupt: false }],
    });
    checkWellFormed(result.history);
    const unknown = result.history.filter((e) => e.type === "unknown");
    expect(unknown.length).toBeGreaterThan(0);
    for (const u of unknown) {
      const invoke = result.history.find((e) => e.type === "invoke" && e.id === u.id);
      expect(u.timeMs - (invoke?.timeMs ?? 0)).toBe(1000);
    }
  });

  it("open loop: arrivals at the requested rate regardless of outcomes", () => {
    const { target } = createProbeTarget({ ping: false });
    const result = runSimulation(target, { seed: 8, nodes: 2, durationMs: 5000, checkLiveness: false, workload: { mode: "open", ratePerSec: 400 } });
    const invokes = result.history.filter((e) => e.type === "invoke").length;
    expect(invokes).toBeGreaterThan(400 * 5 * 0.9);
    expect(invokes).toBeLessThan(400 * 5 * 1.1);
    checkWellFormed(result.history);
  });

  it("a completion is accepted only from the node the invocation was sent to", () => {
    const { target } = createProbeTarget({ ping: false });
    const wrongNode = {
      ...target,
      client: {
        ...target.client!,
        // every node claims to complete invocation 0
        completion: () => ({ id: 0, outcome: "ok" as const, result: null }),
      },
    };
    const result = runSimulation(wrongNode, { seed: 1, nodes: 3, durationMs: 2000, checkLiveness: false, workload: { clients: 3 } });
    const oks = result.history.filter((e) => e.type === "ok");
    expect(oks).toHaveLength(1);
    expect(result.metrics.ignoredCompletions).toBeGreaterThan(0);
  });
});

describe("option validation", () => {
  it("rejects bad options with usage errors naming them", () => {
    expect(() => runSimulation(broadcastSimulation, { seed: 1, nodes: 0 })).toThrow(/nodes must be an integer/);
    expect(() => runSimulation(broadcastSimulation, { seed: 1, durationMs: -5 })).toThrow(/durationMs/);
    expect(() => runSimulation(broadcastSimulation, { seed: 1, healAtFraction: 2 })).toThrow(/healAtFraction/);
    expect(() => runSimulation(broadcastSimulation, { seed: 1, network: { minLatencyMs: 5, maxLatencyMs: 1 } })).toThrow(/minLatencyMs <= maxLatencyMs/);
    expect(() => runSimulation(broadcastSimulation, { seed: 1, workload: { clients: -1 } })).toThrow(/invalid workload/);
    expect(() => runSimulation(broadcastSimulation, { seed: -1 })).toThrow(/seed/);
    expect(() => runSimulation(broadcastSimulation, { seed: 1, byzantine: { n9: { name: "x", onSend() {} } } })).toThrow(/not a member/);
  });
});

describe("ClientModel.completionId", () => {
  it("is only a shortcut: the same history and counts with and without it", () => {
    const { completionId: _shortcut, ...withoutShortcut } = broadcastClient;
    const plain: BroadcastTarget = { ...broadcastSimulation, client: withoutShortcut };
    for (const seed of [1, 2, 3]) {
      const options = { seed, nodes: 4, durationMs: 3000, faults: "all" as const };
      const a = runSimulation(broadcastSimulation, options);
      const b = runSimulation(plain, options);
      expect(a.history, `seed ${seed}`).toEqual(b.history);
      expect(a.metrics, `seed ${seed}`).toEqual(b.metrics);
      expect(a.traceHash, `seed ${seed}`).toBe(b.traceHash);
      expect(a.history.length, `seed ${seed}`).toBeGreaterThan(10);
    }
  });

  it("must name the invocation completion names: a model where they differ is a usage error", () => {
    const inconsistent: BroadcastTarget = {
      ...broadcastSimulation,
      client: { ...broadcastClient, completion: (output) => { const c = broadcastClient.completion(output); return c === undefined ? undefined : { ...c, id: c.id + 1 }; } },
    };
    expect(() => runSimulation(inconsistent, { seed: 1, nodes: 4, durationMs: 3000 })).toThrow(/completionId .* and completion .* name different invocations/);
  });
});
