import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { batchTargetFor } from "../../src/rules/adaptive-batching.js";
import { TestCluster } from "../support/cluster.js";

/**
 * Adaptive batching (config `adaptiveBatching`): a leader under load holds proposals back from a
 * follower with a message in flight until half the measured queue depth is unsent; light load and
 * the option off send every proposal at once.
 */

// Heartbeats far apart, so that only appends, their answers and ticks move entries.
const QUIET = { heartbeatTicks: 50, electionTimeoutTicks: 100 };

function elected(adaptiveBatching: boolean): { c: TestCluster; leader: NodeId } {
  const c = new TestCluster(3, { ...QUIET, adaptiveBatching }, 7);
  for (let i = 0; i < 250 && c.leader() === undefined; i++) c.tickAll(1);
  const leader = c.leader() as NodeId;
  c.stabilize();
  c.takeOutputs(leader);
  return { c, leader };
}

let tag = 0;
function propose(c: TestCluster, leader: NodeId, count: number): void {
  for (let i = 0; i < count; i++) c.request(leader, { type: "propose", data: new Uint8Array([i % 251]), tag: ++tag });
}

/** @returns the appends waiting in `to`'s mailbox, and the entries they carry */
function appendsTo(c: TestCluster, to: NodeId): { messages: number; entries: number } {
  let messages = 0;
  let entries = 0;
  for (const env of c.mailbox.get(to) ?? []) {
    if (env.message.type !== "append") continue;
    messages++;
    entries += env.message.entries.length;
  }
  return { messages, entries };
}

function follower(c: TestCluster, leader: NodeId): NodeId {
  return (["n1", "n2", "n3"] as NodeId[]).find((id) => id !== leader) as NodeId;
}

function batchTargets(c: TestCluster, leader: NodeId): number[] {
  return c.takeOutputs(leader).flatMap((o) => (o.type === "batch-target" ? [o.entries] : []));
}

describe("adaptive batching (config adaptiveBatching)", () => {
  it("the batch target is the largest power of two at most half the queue depth, within [1, maxEntriesPerMessage]", () => {
    expect(batchTargetFor(0, 256)).toBe(1);
    expect(batchTargetFor(3.9, 256)).toBe(1);
    expect(batchTargetFor(4, 256)).toBe(2);
    expect(batchTargetFor(17, 256)).toBe(8);
    expect(batchTargetFor(10_000, 256)).toBe(256);
  });

  it("off (the default): 32 proposals in a burst leave as 32 appends to each follower", () => {
    const { c, leader } = elected(false);
    propose(c, leader, 32);
    expect(appendsTo(c, follower(c, leader))).toEqual({ messages: 32, entries: 32 });
    c.stabilize();
    expect(batchTargets(c, leader)).toEqual([]);
  });

  it("on: bursts raise the target; the next burst of 32 leaves in a few appends, and what is held goes at the next tick", () => {
    const { c, leader } = elected(true);
    const to = follower(c, leader);
    // Light load first: one proposal at a time, answered before the next — nothing held.
    for (let i = 0; i < 5; i++) {
      propose(c, leader, 1);
      expect(appendsTo(c, to)).toEqual({ messages: 1, entries: 1 });
      c.stabilize();
    }
    expect(batchTargets(c, leader)).toEqual([]);
    // Bursts of 32 answered together: the acknowledgements see deep queues.
    for (let i = 0; i < 6; i++) {
      propose(c, leader, 32);
      c.stabilize();
    }
    const targets = batchTargets(c, leader);
    expect(targets.length).toBeGreaterThan(0);
    const target = targets[targets.length - 1] as number;
    expect(target).toBeGreaterThanOrEqual(4);
    // The first proposal of the burst goes at once (nothing in flight), then one append per `target` entries.
    propose(c, leader, 32);
    const burst = appendsTo(c, to);
    expect(burst.messages).toBeLessThanOrEqual(1 + Math.ceil(31 / target));
    expect(burst.entries).toBeLessThanOrEqual(32);
    // Entries short of a batch are not stranded: the leader's next tick sends them.
    c.tick(leader);
    expect(appendsTo(c, to).entries).toBe(32);
    c.stabilize();
    const node = c.node(leader);
    expect(node.progressOf(to)?.match).toBe(node.lastIndex);
  });

  it("on: when the load falls back to one proposal at a time, the target returns to 1 and every proposal leaves at once", () => {
    const { c, leader } = elected(true);
    const to = follower(c, leader);
    for (let i = 0; i < 6; i++) {
      propose(c, leader, 32);
      c.stabilize();
    }
    expect(batchTargets(c, leader).length).toBeGreaterThan(0);
    for (let i = 0; i < 60; i++) {
      propose(c, leader, 1);
      c.stabilize();
    }
    expect(batchTargets(c, leader).at(-1)).toBe(1);
    propose(c, leader, 1);
    propose(c, leader, 1);
    expect(appendsTo(c, to)).toEqual({ messages: 2, entries: 2 });
  });
});
