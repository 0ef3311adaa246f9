import { createRng, encodeUnchecked, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import { snapshotRecords } from "../src/persistence.js";
import { KvStateMachine } from "../src/kv/kv-state-machine.js";
import { MAX_INDEX, MAX_PROPOSED_INDEX, MAX_TERM, MAX_TERM_LEAP } from "../src/limits.js";
import { raftMessageCodec, type RaftMessage } from "../src/messages.js";
import { RaftNode } from "../src/raft-node.js";
import { TestCluster } from "./support/cluster.js";

/** A 3-node cluster with a leader elected and settled. */
function settledCluster(): TestCluster {
  const cluster = new TestCluster(3, {}, 11);
  cluster.tickAll(40);
  expect(cluster.leader()).toBeDefined();
  return cluster;
}

/** Put a forged message from member `from` into `to`'s mailbox, as a driver that decoded it would. */
function forge(cluster: TestCluster, from: NodeId, to: NodeId, message: RaftMessage): void {
  cluster.mailbox.get(to)?.push({ from, to, message });
}

/** Crash the leader and let the others elect a successor. @returns the new leader */
function failOver(cluster: TestCluster): NodeId | undefined {
  const old = cluster.leader() as NodeId;
  cluster.crash(old);
  cluster.tickAll(100);
  return cluster.leader();
}

describe("term ceiling: one member's message cannot end the cluster's liveness", () => {
  it("a heartbeat claiming the largest safe term is dropped, and the cluster still fails over", () => {
    const cluster = settledCluster();
    const term = cluster.node("n1").term;
    const victim = cluster.ids.find((id) => id !== cluster.leader()) as NodeId;
    const liar = cluster.ids.find((id) => id !== victim) as NodeId;
    forge(cluster, liar, victim, { type: "heartbeat", term: Number.MAX_SAFE_INTEGER, commit: 0, context: 0 });
    cluster.stabilize();
    expect(cluster.node(victim).term).toBe(term);
    expect(cluster.node(victim).metrics.rejected.malformed).toBe(1);
    expect(failOver(cluster)).toBeDefined();
  });

  it("a term under the ceiling but beyond the leap is dropped too", () => {
    const cluster = settledCluster();
    const term = cluster.node("n2").term;
    forge(cluster, "n3", "n2", { type: "vote", term: term + MAX_TERM_LEAP + 1, lastIndex: 100, lastTerm: 1, transfer: true });
    cluster.stabilize();
    expect(cluster.node("n2").term).toBe(term);
    expect(cluster.node("n2").metrics.rejected["term-leap"]).toBe(1);
  });

  it("a term within the leap is adopted (it may be true) and elections continue above it", () => {
    const cluster = settledCluster();
    const leader = cluster.leader() as NodeId;
    const victim = cluster.ids.find((id) => id !== leader) as NodeId;
    const forged = cluster.node(victim).term + MAX_TERM_LEAP;
    forge(cluster, leader, victim, { type: "heartbeatResponse", term: forged, context: 0 });
    cluster.stabilize();
    expect(cluster.node(victim).term).toBe(forged);
    cluster.tickAll(60);
    const next = cluster.leader() as NodeId;
    expect(next).toBeDefined();
    expect(cluster.node(next).term).toBeGreaterThan(forged);
  });

  it("the message schema refuses terms above MAX_TERM and indexes above MAX_INDEX", () => {
    const hugeTerm = raftMessageCodec.decode(encodeUnchecked({ type: "timeoutNow", term: MAX_TERM + 1 }));
    expect(hugeTerm.ok).toBe(false);
    const hugeIndex = raftMessageCodec.decode(encodeUnchecked({ type: "heartbeat", term: 1, commit: MAX_INDEX + 1, context: 0 }));
    expect(hugeIndex.ok).toBe(false);
    expect(raftMessageCodec.decode(raftMessageCodec.encode({ type: "timeoutNow", term: MAX_TERM })).ok).toBe(true);
  });

  it("a node at MAX_TERM does not campaign beyond it: it raises one alarm and stays a follower", () => {
    const node = new RaftNode({
      ctx: { id: "n1", members: ["n1", "n2", "n3"], rng: createRng(5), recovered: { records: [{ type: "hardState", term: MAX_TERM, vote: null, commit: 0 }], corrupted: 0, tornTail: false } },
      stateMachine: new KvStateMachine(),
    });
    const outputs = [];
    const sent = [];
    for (let i = 0; i < 60; i++) {
      const step = node.tick();
      outputs.push(...step.output);
      sent.push(...step.send);
    }
    expect(node.term).toBe(MAX_TERM);
    expect(node.role).toBe("follower");
    expect(sent).toEqual([]);
    expect(outputs.filter((o) => o.type === "alarm")).toHaveLength(1);
  });

  it("a leader whose log reaches MAX_PROPOSED_INDEX refuses further proposals with reason log-full", () => {
    const node = new RaftNode({
      ctx: {
        id: "n1",
        members: ["n1"],
        rng: createRng(5),
        recovered: {
          records: [
            ...snapshotRecords({ index: MAX_PROPOSED_INDEX - 1, term: 1, conf: { voters: ["n1"], outgoing: [], learners: [] }, data: new KvStateMachine().snapshot() }),
            { type: "hardState", term: 1, vote: "n1", commit: MAX_PROPOSED_INDEX - 1 },
          ],
          corrupted: 0,
          tornTail: false,
        },
      },
      stateMachine: new KvStateMachine(),
    });
    node.request({ type: "campaign" });
    expect(node.role).toBe("leader");
    expect(node.lastIndex).toBe(MAX_PROPOSED_INDEX); // the new leader's no-op
    const step = node.request({ type: "propose", data: new Uint8Array([1]), tag: 7 });
    const refused = step.output.find((o) => o.type === "refused");
    expect(refused?.type === "refused" && "reason" in refused.error && refused.error.reason).toBe("log-full");
    expect(node.lastIndex).toBe(MAX_PROPOSED_INDEX);
  });
});
