import { describe, expect, it } from "vitest";
import type { ChainMessage } from "../src/messages.js";
import { Cluster } from "./cluster.js";

/** A formed 3-chain, its order, and the messages of one kind from `from` to `to` dropped while `drop` is on. */
type Drop = (from: string, to: string, type: ChainMessage["type"]) => () => void;

function chainOf3(): { cluster: Cluster; head: string; middle: string; tail: string; drop: Drop } {
  const cluster = new Cluster(3);
  cluster.formChain();
  const [head, middle, tail] = cluster.chainAt("n1") as [string, string, string];
  const drop = (from: string, to: string, type: ChainMessage["type"]): (() => void) => {
    cluster.filter = (e) => !(e.from === from && e.to === to && e.message.type === type);
    return () => {
      cluster.filter = () => true;
    };
  };
  return { cluster, head, middle, tail, drop };
}

describe("reconfiguration after a failure", () => {
  it("middle failure: the predecessor re-sends to its new successor what that successor missed", () => {
    const { cluster, head, middle, tail, drop } = chainOf3();
    const restore = drop(middle, tail, "append");
    cluster.write(tail, 1, 1, { type: "put", key: "x", value: "1" });
    cluster.deliverAll();
    expect(cluster.node(middle).store.received).toBe(1);
    expect(cluster.node(tail).store.received).toBe(0); // the middle's append was lost
    restore();
    cluster.crash(middle);
    expect(cluster.tickUntil(() => cluster.chainAt(head).length === 2 && cluster.replyTo(tail, 1) !== undefined)).toBe(true);
    expect(cluster.chainAt(head)).toEqual([head, tail]);
    expect(cluster.replyTo(tail, 1)).toEqual({ type: "reply", tag: 1, result: { ok: true } });
    expect(cluster.node(head).metrics.resent).toBeGreaterThan(0);
  });

  it("head failure: the second node becomes head; a write it held commits, one only the old head held is lost (never answered)", () => {
    const { cluster, head, middle, tail, drop } = chainOf3();
    let restore = drop(middle, tail, "append");
    cluster.write(tail, 1, 1, { type: "put", key: "x", value: "reached the middle" });
    cluster.deliverAll();
    restore();
    restore = drop(head, middle, "append");
    cluster.write(tail, 2, 2, { type: "put", key: "y", value: "only at the head" });
    cluster.deliverAll();
    restore();
    cluster.crash(head);
    expect(cluster.tickUntil(() => cluster.chainAt(middle)[0] === middle && cluster.replyTo(tail, 1) !== undefined)).toBe(true);
    expect(cluster.chainAt(middle)).toEqual([middle, tail]);
    expect(cluster.replyTo(tail, 1)).toMatchObject({ type: "reply" });
    // The origin re-submits write 2 to the new head: it commits there exactly once, with a new sequence number.
    expect(cluster.tickUntil(() => cluster.replyTo(tail, 2) !== undefined)).toBe(true);
    expect(cluster.node(tail).store.committed).toBe(2);
    cluster.request(tail, { type: "read", key: "y", tag: 3 });
    cluster.tickUntil(() => cluster.replyTo(tail, 3) !== undefined);
    expect(cluster.replyTo(tail, 3)).toEqual({ type: "reply", tag: 3, result: { ok: true, value: "only at the head" } });
  });

  it("tail failure: the predecessor becomes the tail, commits what it holds and answers", () => {
    const { cluster, head, middle, tail, drop } = chainOf3();
    const restore = drop(middle, tail, "append");
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "1" });
    cluster.deliverAll();
    restore();
    cluster.crash(tail);
    expect(cluster.tickUntil(() => cluster.replyTo(head, 1) !== undefined)).toBe(true);
    expect(cluster.chainAt(head)).toEqual([head, middle]);
    expect(cluster.node(middle).metrics.committedAsTail).toBe(1);
  });

  it("a restarted node is a new incarnation: it rejoins at the tail from a snapshot and then serves reads", () => {
    const { cluster, head, middle } = chainOf3();
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "kept" });
    cluster.deliverAll();
    cluster.crash(middle);
    cluster.tickUntil(() => cluster.chainAt(head).length === 2);
    cluster.restart(middle);
    expect(cluster.tickUntil(() => cluster.chainAt(head).at(-1) === middle && cluster.node(middle).synced)).toBe(true);
    expect(cluster.node(middle).store.committed).toBe(1);
    expect(cluster.node(middle).metrics.snapshotsInstalled).toBe(1);
    cluster.request(middle, { type: "read", key: "x", tag: 2 });
    cluster.tickUntil(() => cluster.replyTo(middle, 2) !== undefined);
    expect(cluster.replyTo(middle, 2)).toEqual({ type: "reply", tag: 2, result: { ok: true, value: "kept" } });
  });

  it("epoch fencing: a removed node's messages from the old epoch are dropped and counted", () => {
    const { cluster, head, middle, tail } = chainOf3();
    cluster.isolate(middle);
    cluster.tickUntil(() => cluster.chainAt(head).length === 2);
    const oldEpoch = cluster.node(middle).configuration.epoch;
    expect(cluster.node(tail).configuration.epoch).toBeGreaterThan(oldEpoch);
    const before = cluster.node(tail).metrics.rejected["stale-epoch"];
    cluster.heal(middle);
    const writes = [{ seq: 1, command: new Uint8Array([1]), origin: middle, tag: 1 }];
    cluster.queue.push({ from: middle, to: tail, message: { type: "append", epoch: oldEpoch, floor: 0, writes } });
    cluster.deliverAll();
    expect(cluster.node(tail).metrics.rejected["stale-epoch"]).toBe(before + 1);
    expect(cluster.node(tail).store.received).toBe(0);
  });
});
