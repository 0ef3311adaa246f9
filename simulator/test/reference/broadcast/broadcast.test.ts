import { describe, expect, it } from "vitest";
import { FRESH_STATE, createRng, type NodeContext } from "@synod/core";
import { BROADCAST_DURABILITY_NAMES, BroadcastNode, broadcastMessageCodec, broadcastSimulation, createBroadcastSimulation, runSimulation, type BroadcastRecord } from "@synod/simulator";

const ctx = (id: string, records: BroadcastRecord[] = [], corrupted = 0): NodeContext<BroadcastRecord> => ({
  id,
  members: ["n1", "n2", "n3"],
  rng: createRng(1).fork(id),
  recovered: records.length === 0 && corrupted === 0 ? FRESH_STATE : { records, corrupted, tornTail: false },
});

describe("BroadcastNode", () => {
  it("request: delivers locally, persists, sends Msg to every other member", () => {
    const node = new BroadcastNode(ctx("n1"));
    const step = node.request({ value: "a", invocationId: 7 });
    expect(step.output).toEqual([{ type: "deliver", origin: "n1", seq: 0, value: "a", invocationId: 7 }]);
    expect(step.persist).toEqual([{ origin: "n1", seq: 0, value: "a" }]);
    expect(step.send.map((e) => e.to)).toEqual(["n2", "n3"]);
  });

  it("receive Msg: delivers, persists and relays once; always acks", () => {
    const node = new BroadcastNode(ctx("n2"));
    const first = node.receive("n1", { type: "msg", origin: "n1", seq: 0, value: "a" });
    expect(first.output).toHaveLength(1);
    expect(first.persist).toHaveLength(1);
    expect(first.send.filter((e) => e.message.type === "msg").map((e) => e.to)).toEqual(["n1", "n3"]);
    expect(first.send.filter((e) => e.message.type === "ack")).toEqual([{ from: "n2", to: "n1", message: { type: "ack", origin: "n1", seq: 0 } }]);
    const again = node.receive("n3", { type: "msg", origin: "n1", seq: 0, value: "a" });
    expect(again.output).toHaveLength(0);
    expect(again.persist).toHaveLength(0);
    expect(again.send).toEqual([{ from: "n2", to: "n3", message: { type: "ack", origin: "n1", seq: 0 } }]);
  });

  it("retransmits every retransmitTicks to the peers that have not acked", () => {
    const node = new BroadcastNode(ctx("n1"), { retransmitTicks: 5 });
    node.request({ value: "a", invocationId: 0 });
    node.receive("n2", { type: "ack", origin: "n1", seq: 0 });
    for (let i = 0; i < 4; i++) expect(node.tick().send).toHaveLength(0);
    expect(node.tick().send.map((e) => e.to)).toEqual(["n3"]);
    node.receive("n3", { type: "ack", origin: "n1", seq: 0 });
    for (let i = 0; i < 5; i++) expect(node.tick().send).toHaveLength(0);
  });

  it("recovery rebuilds the delivered set and the sequence, and re-spreads recovered messages", () => {
    const node = new BroadcastNode(ctx("n1", [{ origin: "n1", seq: 0, value: "a" }, { origin: "n2", seq: 3, value: "b" }]));
    expect(node.hasDelivered("n2", 3)).toBe(true);
    expect(node.receive("n2", { type: "msg", origin: "n2", seq: 3, value: "b" }).output).toHaveLength(0);
    expect(node.request({ value: "c", invocationId: 1 }).output[0]).toMatchObject({ seq: 1 });
    expect(node.pendingCount()).toBe(3);
  });

  it("halts with an alarm on corrupted storage and rejects requests", () => {
    const node = new BroadcastNode(ctx("n1", [], 2));
    expect(node.halted).toBe(true);
    expect(node.tick().output).toEqual([expect.objectContaining({ type: "alarm" })]);
    expect(node.request({ value: "x", invocationId: 3 }).output).toEqual([expect.objectContaining({ type: "rejected", invocationId: 3 })]);
    expect(node.receive("n2", { type: "msg", origin: "n2", seq: 0, value: "a" }).send).toHaveLength(0);
  });

  it("the codec rejects malformed messages", () => {
    expect(broadcastMessageCodec.decode(broadcastMessageCodec.encode({ type: "msg", origin: "n1", seq: 1, value: "v" })).ok).toBe(true);
    expect(broadcastMessageCodec.decode(new Uint8Array([0xc1])).ok).toBe(false);
  });
});

describe("broadcast under the simulator", () => {
  it("without faults every id reaches every node and every invocation completes ok", () => {
    const result = runSimulation(broadcastSimulation, { seed: 1, nodes: 5, durationMs: 3000 });
    expect(result.violations).toEqual([]);
    expect(result.metrics.historyInvoke).toBeGreaterThan(50);
    expect(result.metrics.historyUnknown).toBe(0);
    expect(result.metrics.historyOk).toBeGreaterThanOrEqual(result.metrics.historyInvoke! - 3);
    expect(result.metrics.livenessAfterHealMs).toBeGreaterThanOrEqual(0);
    expect(result.invariants).toEqual(["NoDuplication", "NoCreation", ...BROADCAST_DURABILITY_NAMES]);
  });

  it("holds its invariants and Agreement on swarm-faulted seeds", () => {
    for (let seed = 100; seed < 112; seed++) {
      const result = runSimulation(broadcastSimulation, { seed, nodes: 4, durationMs: 4000, faults: "all" });
      expect(result.violations, `seed ${seed}: ${JSON.stringify(result.violations)}`).toEqual([]);
    }
  });

  it("a forging Byzantine node is caught by NoCreation", () => {
    const result = runSimulation(broadcastSimulation, { seed: 2, nodes: 4, durationMs: 2000, schedule: [{ kind: "byzantine", atMs: 0, durMs: 2000, node: 0, strategy: "forge" }] });
    expect(result.violations[0]?.invariant).toBe("NoCreation");
    expect(result.violations[0]?.message).toMatch(/forged/);
  });

  it("the planted bug forget-delivered is found by the durability check at its first send, with no fault at all", () => {
    const buggy = createBroadcastSimulation({ plantedBug: "forget-delivered" });
    const result = runSimulation(buggy, { seed: 1, nodes: 3, durationMs: 5000, faults: [] });
    expect(result.violations[0]?.invariant).toBe("UnackedIsPersisted");
    expect(result.violations[0]?.message).toMatch(/which it has not persisted/);
    expect(result.violations[0]?.event).toBe(result.events - 1);
    expect(result.tail.length).toBeGreaterThan(0);
    expect(runSimulation(broadcastSimulation, { seed: 1, nodes: 3, durationMs: 5000, faults: [] }).violations).toEqual([]);
  });

  it("the planted bug recovery-drops-last is found as DeliveryLogDurable at the restart, with seed, event and tail", () => {
    const buggy = createBroadcastSimulation({ plantedBug: "recovery-drops-last" });
    const found = [];
    for (let seed = 1; seed <= 10; seed++) {
      const result = runSimulation(buggy, { seed, nodes: 3, durationMs: 5000, faults: ["crash"] });
      if (result.violations.length > 0) found.push(result);
    }
    expect(found.length).toBeGreaterThan(0);
    const first = found[0]!;
    expect(first.violations[0]?.invariant).toBe("DeliveryLogDurable");
    expect(first.violations[0]?.message).toMatch(/did not recover it/);
    expect(first.violations[0]?.event).toBe(first.events - 1);
    expect(first.tail.length).toBe(20);
    // without crashes the bug cannot show, and the same seed without the bug is clean
    expect(runSimulation(buggy, { seed: first.seed, nodes: 3, durationMs: 5000, faults: [] }).violations).toEqual([]);
    expect(runSimulation(broadcastSimulation, { seed: first.seed, nodes: 3, durationMs: 5000, faults: ["crash"] }).violations).toEqual([]);
  });

  it("Agreement fails when a node never recovers: liveness is really checked", () => {
    // a node isolated until the very end still converges: the run goes on past its duration while liveness is pending
    const result = runSimulation(broadcastSimulation, {
      seed: 4,
      nodes: 3,
      durationMs: 2000,
      healAtFraction: 1,
      schedule: [{ kind: "partition", atMs: 0, durMs: 2000, shape: "isolate", group: [0], bridge: 0 }],
    });
    expect(result.violations).toEqual([]);
    expect(result.simulatedMs).toBeGreaterThan(2000);
    // without retransmission, messages lost before healing are never recovered
    const neverHeals = createBroadcastSimulation({ retransmitTicks: 1_000_000 });
    const stuck = runSimulation(neverHeals, { seed: 4, nodes: 3, durationMs: 2000, healAtFraction: 0.5, schedule: [{ kind: "network", atMs: 0, durMs: 1000, loss: 0.5, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 }] });
    expect(stuck.violations[0]?.invariant).toBe("Liveness");
  });
});
