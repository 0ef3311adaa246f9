import { describe, expect, it } from "vitest";
import type { GossipMessage, Update } from "../src/messages.js";
import { TestCluster } from "./support/cluster.js";

const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2 };

const pingsTo = (cluster: TestCluster, from: string, to: string) => cluster.sent.filter((e) => e.from === from && e.to === to && e.message.type === "ping").map((e) => e.message as Extract<GossipMessage, { type: "ping" }>);

describe("Lifeguard's buddy system: a suspicion heard from another member is pinged to the accused at once", () => {
  it("the accused hears the suspicion on that ping, refutes, and its ack ends the suspicion", () => {
    const cluster = new TestCluster(5, FAST);
    const accusation: Update = { state: "suspect", member: "n2", incarnation: 0, from: "n3" };
    cluster.inject("n3", "n1", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [accusation] });
    expect(cluster.outputsOf("n1")).toContainEqual(expect.objectContaining({ type: "suspected", member: "n2", incarnation: 0, cause: "gossip" }));
    // n1 did not wait for its round robin: the ping carries the suspicion first.
    expect(pingsTo(cluster, "n1", "n2").map((p) => p.updates[0])).toEqual([{ state: "suspect", member: "n2", incarnation: 0, from: "n1" }]);
    expect(cluster.node("n2").incarnation).toBe(1);
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
    expect(cluster.node("n1").suspicionCount).toBe(0);
    expect(cluster.node("n1").counters.stale).toBe(0); // the ack was expected
  });

  it("a death the accused refuted long ago, heard by a member that missed the refutation, is answered by the accused's ack, not by a death", () => {
    const cluster = new TestCluster(5, FAST);
    const n2 = cluster.node("n2");
    // n2 refuted a suspicion at incarnation 0; n1 never heard it (the refutation's rumour is over).
    n2.receive("n3", { type: "ping", seq: 1, target: "n2", inc: 0, updates: [{ state: "suspect", member: "n2", incarnation: 0, from: "n3" }] });
    expect(n2.incarnation).toBe(1);
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "alive", incarnation: 0 });
    // A member that timed the old suspicion out still spreads the death; n1 takes it as a suspicion.
    cluster.inject("n4", "n1", { type: "ack", seq: 1, inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n4" }] });
    expect(cluster.node("n1").counters.deathsAsSuspicions).toBe(1);
    // n1's ping to n2 is answered at incarnation 1, without a new refutation: the suspicion ends.
    expect(n2.incarnation).toBe(1);
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
    cluster.run(200);
    expect(cluster.outputsOf("n1").filter((o) => o.type === "failed")).toEqual([]);
  });

  it("plain SWIM (Lifeguard off) waits for its round robin: no ping goes out on hearing a suspicion", () => {
    const cluster = new TestCluster(5, { ...FAST, lifeguard: false });
    cluster.inject("n3", "n1", { type: "ack", seq: 1, inc: 0, updates: [{ state: "suspect", member: "n2", incarnation: 0, from: "n3" }] });
    expect(pingsTo(cluster, "n1", "n2")).toEqual([]);
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
  });
});
