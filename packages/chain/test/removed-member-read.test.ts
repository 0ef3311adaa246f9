import { describe, expect, it } from "vitest";
import { Cluster } from "./cluster.js";

/**
 * The window of `chain/confirm-ignores-epoch`: a member removed while it was cut off asks the Raft
 * leader to confirm its epoch, and the answer (naming the new epoch) reaches it before the Raft
 * entries that tell it of its removal. Its copy misses every write the new chain committed, so a
 * read it served then would be stale: it must refuse.
 */
describe("a removed member's strong read", () => {
  it("is refused when the confirmation names a newer epoch than the member knows, even before it learns its removal", () => {
    const cluster = new Cluster(3);
    cluster.formChain();
    const leader = cluster.ids.find((id) => cluster.node(id).raft.role === "leader") as string;
    const [head] = cluster.chainAt(leader) as [string];
    const removed = cluster.ids.find((id) => id !== leader && id !== head) ?? (cluster.ids.find((id) => id !== leader) as string);
    cluster.write(head, 1, 1, { type: "put", key: "x", value: "old" });
    expect(cluster.tickUntil(() => cluster.replyTo(head, 1) !== undefined && cluster.node(removed).store.committed >= 1)).toBe(true);
    const oldEpoch = cluster.node(removed).configuration.epoch;

    cluster.isolate(removed);
    expect(cluster.tickUntil(() => !cluster.chainAt(leader).includes(removed))).toBe(true);
    const newHead = cluster.chainAt(leader)[0] as string;
    cluster.write(newHead, 1, 2, { type: "put", key: "x", value: "new" });
    expect(cluster.tickUntil(() => cluster.replyTo(newHead, 2)?.type === "reply")).toBe(true);
    expect(cluster.node(removed).configuration.epoch).toBe(oldEpoch); // it has not heard of its removal

    // The Raft entries bound for the removed member are held back (lost: the leader re-sends them
    // later); it hears the leader's empty heartbeats (so it learns who leads) and chain messages flow.
    cluster.filter = (e) => !(e.to === removed && e.message.type === "raft" && (e.message.m.type !== "append" || e.message.m.entries.length > 0));
    cluster.heal(removed);
    cluster.request(removed, { type: "read", key: "x", consistency: "strong", tag: 3 });
    expect(cluster.tickUntil(() => cluster.replyTo(removed, 3) !== undefined, 200)).toBe(true);
    expect(cluster.node(removed).configuration.epoch).toBe(oldEpoch); // still answered before it learned its removal
    const answer = cluster.replyTo(removed, 3);
    expect(answer).not.toEqual({ type: "reply", tag: 3, result: { ok: true, value: "old" } });
    expect(answer?.type).toBe("refused");

    cluster.filter = () => true;
    expect(cluster.tickUntil(() => cluster.node(removed).configuration.epoch > oldEpoch)).toBe(true);
  });
});
