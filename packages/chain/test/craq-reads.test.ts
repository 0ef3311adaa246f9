import { describe, expect, it } from "vitest";
import { Cluster } from "./cluster.js";

function formed(): { cluster: Cluster; head: string; middle: string; tail: string } {
  const cluster = new Cluster(3);
  cluster.formChain();
  const [head, middle, tail] = cluster.chainAt("n1") as [string, string, string];
  return { cluster, head, middle, tail };
}

/** x = "1" written and committed; then the middle crashes, is removed, restarts and rejoins as the tail, but its snapshot never arrives. */
function rejoinedWithoutSnapshot(): { cluster: Cluster; head: string; middle: string } {
  const { cluster, head, middle } = formed();
  cluster.write(head, 1, 1, { type: "put", key: "x", value: "1" });
  cluster.deliverAll();
  cluster.crash(middle);
  cluster.tickUntil(() => cluster.chainAt(head).length === 2);
  cluster.filter = (e) => e.message.type !== "snapshot";
  cluster.restart(middle);
  return { cluster, head, middle };
}

describe("CRAQ reads", () => {
  it("a clean key is answered by the node itself (no question to the tail)", () => {
    const { cluster, head, tail } = formed();
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "1" });
    cluster.deliverAll();
    cluster.request(head, { type: "read", key: "x", tag: 2 });
    cluster.tickUntil(() => cluster.replyTo(head, 2) !== undefined);
    expect(cluster.replyTo(head, 2)).toEqual({ type: "reply", tag: 2, result: { ok: true, value: "1" } });
    expect(cluster.node(head).metrics.cleanReads).toBe(1);
    expect(cluster.node(tail).metrics.versionQueriesAnswered).toBe(0);
    expect(cluster.outputsOf(head, "served")).toEqual([{ type: "served", key: "x", version: 1, consistency: "strong", committed: true }]);
  });

  it("a dirty key: the node asks the tail for the committed version and answers that version, not its newest", () => {
    const { cluster, head, middle, tail } = formed();
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "old" });
    cluster.deliverAll();
    cluster.filter = (e) => !(e.from === middle && e.to === tail && e.message.type === "append");
    cluster.write(head, 1, 2, { type: "put", key: "x", value: "new" });
    cluster.deliverAll();
    expect(cluster.node(middle).store.isDirty("x")).toBe(true);
    cluster.request(middle, { type: "read", key: "x", tag: 3 });
    cluster.tickUntil(() => cluster.replyTo(middle, 3) !== undefined, 5);
    expect(cluster.replyTo(middle, 3)).toEqual({ type: "reply", tag: 3, result: { ok: true, value: "old" } });
    expect(cluster.node(middle).metrics.dirtyReads).toBe(1);
    expect(cluster.node(tail).metrics.versionQueriesAnswered).toBe(1);
  });

  it("a dirty key whose newest version the tail already committed is answered with it", () => {
    const { cluster, head, middle, tail } = formed();
    // The tail's acks are lost: the middle and head still see the write dirty.
    cluster.filter = (e) => !(e.from === tail && e.message.type === "ack");
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "committed at the tail" });
    cluster.deliverAll();
    expect(cluster.node(middle).store.isDirty("x")).toBe(true);
    cluster.request(middle, { type: "read", key: "x", tag: 2 });
    cluster.tickUntil(() => cluster.replyTo(middle, 2) !== undefined, 5);
    expect(cluster.replyTo(middle, 2)).toEqual({ type: "reply", tag: 2, result: { ok: true, value: "committed at the tail" } });
  });

  it("eventual consistency answers the newest version at once; bounded staleness at most N versions past the committed one", () => {
    const { cluster, head, middle } = formed();
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "v1" });
    cluster.deliverAll();
    cluster.filter = (e) => !(e.from === head && e.message.type === "append");
    cluster.write(head, 1, 2, { type: "put", key: "x", value: "v2" });
    cluster.write(head, 1, 3, { type: "put", key: "x", value: "v3" });
    cluster.deliverAll();
    cluster.request(head, { type: "read", key: "x", tag: 4, consistency: "eventual" });
    cluster.request(head, { type: "read", key: "x", tag: 5, consistency: "bounded", maxVersionsAhead: 1 });
    cluster.request(head, { type: "read", key: "x", tag: 6, consistency: "bounded", maxVersionsAhead: 0 });
    cluster.request(middle, { type: "read", key: "x", tag: 7, consistency: "eventual" });
    const expected = ["v3", "v2", "v1"].map((value, i) => ({ type: "reply", tag: 4 + i, result: { ok: true, value } }));
    expect([4, 5, 6].map((tag) => cluster.replyTo(head, tag))).toEqual(expected);
    expect(cluster.replyTo(middle, 7)).toEqual({ type: "reply", tag: 7, result: { ok: true, value: "v1" } });
    expect(cluster.outputsOf(head, "served").map((s) => s.committed)).toEqual([false, false, true]);
  });

  it("a node that has not caught up refuses strong reads instead of answering from missing data", () => {
    const { cluster, head, middle } = rejoinedWithoutSnapshot();
    cluster.tickUntil(() => cluster.chainAt(middle).at(-1) === middle);
    cluster.request(middle, { type: "read", key: "x", tag: 2 });
    cluster.tickUntil(() => cluster.replyTo(middle, 2) !== undefined);
    expect(cluster.replyTo(middle, 2)).toMatchObject({ type: "refused" });
  });

  it("a tail that has not caught up names no committed version: a dirty read waits rather than read its empty copy", () => {
    const { cluster, head, middle } = rejoinedWithoutSnapshot();
    cluster.tickUntil(() => cluster.chainAt(head).at(-1) === middle && cluster.node(middle).isTail);
    expect(cluster.node(middle).synced).toBe(false);
    // Asked for x's committed version, it would say 0 (it holds nothing): a reader would answer x as absent.
    const { epoch } = cluster.node(middle).configuration;
    const rejectedBefore = cluster.node(middle).metrics.rejected["not-member"];
    const step = cluster.node(middle).receive(head, { type: "versionQuery", epoch, id: 1, key: "x" });
    expect(step.send.filter((e) => e.message.type === "versionReply")).toEqual([]);
    expect(cluster.node(middle).metrics.versionQueriesAnswered).toBe(0);
    expect(cluster.node(middle).metrics.rejected["not-member"]).toBe(rejectedBefore + 1);
  });
});
