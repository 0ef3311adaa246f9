import { describe, expect, it } from "vitest";
import { Cluster } from "./cluster.js";

describe("chain replication: the normal case", () => {
  it("forms a chain of every node, one join at a time, each joiner appended at the tail", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    const chain = cluster.chainAt("n1");
    expect(chain).toHaveLength(3);
    for (const id of cluster.ids) expect(cluster.chainAt(id)).toEqual(chain);
    // Every join is its own epoch: 3 joins from the empty configuration.
    expect(cluster.node("n1").configuration.epoch).toBe(3);
  });

  it("a write at any node goes head → tail, the tail answers its origin, the commit point flows back", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    const [head, middle, tail] = cluster.chainAt("n1") as [string, string, string];
    cluster.write(middle, 1, 1, { type: "put", key: "x", value: "a" });
    cluster.deliverAll();
    expect(cluster.replyTo(middle, 1)).toEqual({ type: "reply", tag: 1, result: { ok: true } });
    for (const id of [head, middle, tail]) expect(cluster.node(id).store.committed).toBe(1);
    expect(cluster.outputsOf(middle, "accepted")).toEqual([expect.objectContaining({ from: head, last: 1 })]);
    expect(cluster.node(head).metrics.ordered).toBe(1);
    expect(cluster.node(tail).metrics.committedAsTail).toBe(1);
  });

  it("results are the Raft KV service's: cas, delete, and a session's retry answered from its record", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    const steps = [
      { at: "n2", client: 1, op: { type: "put", key: "x", value: "a" } },
      { at: "n3", client: 2, op: { type: "cas", key: "x", expected: "b", value: "c" } },
      { at: "n1", client: 2, op: { type: "cas", key: "x", expected: "a", value: "c" } },
      { at: "n1", client: 3, op: { type: "delete", key: "nope" } },
    ] as const;
    steps.forEach((s, i) => {
      cluster.write(s.at, s.client, i + 1, s.op);
      cluster.deliverAll();
    });
    // A failed cas says why, with the value it found (the Raft KV's result shape).
    const results = [{ ok: true }, { ok: false, value: "a", reason: "cas-mismatch" }, { ok: true }, { ok: false }];
    const expected = results.map((result, i) => ({ type: "reply", tag: i + 1, result }));
    expect(steps.map((s, i) => cluster.replyTo(s.at, i + 1))).toEqual(expected);
    // The same command again (a client's retry): answered from the session's record, not applied twice.
    cluster.write("n1", 2, 3, { type: "cas", key: "x", expected: "a", value: "c" });
    cluster.deliverAll();
    expect(cluster.outputsOf("n1", "reply").filter((r) => r.tag === 3).map((r) => r.result)).toEqual([{ ok: true }, { ok: true }]);
    cluster.request("n2", { type: "read", key: "x", tag: 9 });
    cluster.tickUntil(() => cluster.replyTo("n2", 9) !== undefined);
    expect(cluster.replyTo("n2", 9)).toEqual({ type: "reply", tag: 9, result: { ok: true, value: "c" } });
  });

  it("plain chain replication serves every strong read at the tail", () => {
    const cluster = new Cluster(3, { mode: "chain" });
    cluster.formChain();
    const [head, , tail] = cluster.chainAt("n1") as [string, string, string];
    cluster.write(head, 1, 1, { type: "put", key: "k", value: "v" });
    cluster.deliverAll();
    cluster.request(head, { type: "read", key: "k", tag: 2 });
    cluster.tickUntil(() => cluster.replyTo(head, 2) !== undefined);
    expect(cluster.replyTo(head, 2)).toEqual({ type: "reply", tag: 2, result: { ok: true, value: "v" } });
    expect(cluster.node(tail).metrics.tailReads).toBe(1);
    expect(cluster.node(head).metrics.cleanReads).toBe(0);
  });
});

describe("chain replication: messages the network reorders", () => {
  it("a write that arrives past a gap waits for the gap to fill instead of being dropped", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    const [head, middle] = cluster.chainAt("n1") as [string, string, string];
    const held: typeof cluster.queue = [];
    cluster.filter = (e) => {
      const first = e.message.type === "append" && e.from === head && e.message.writes[0]?.seq === 1;
      if (first) held.push(e);
      return !first;
    };
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "1" });
    cluster.write(head, 1, 2, { type: "put", key: "x", value: "2" });
    cluster.deliverAll();
    expect(cluster.node(middle).store.received).toBe(0); // write 2 waits for write 1
    cluster.filter = () => true;
    cluster.queue.push(...held);
    cluster.deliverAll();
    expect(cluster.node(middle).store.received).toBe(2);
    expect(cluster.replyTo(head, 2)).toEqual({ type: "reply", tag: 2, result: { ok: true } });
  });
});
