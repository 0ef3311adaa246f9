import { describe, expect, it } from "vitest";
import type { GossipMessage, GossipOutput } from "../src/messages.js";
import { TestCluster } from "./support/cluster.js";

const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2 };

type Ping = Extract<GossipMessage, { type: "ping" }>;
const deathOf = (member: string) => (o: GossipOutput) => o.type === "failed" && o.member === member;

describe("Lifeguard's buddy system as a last check: a suspicion heard only by gossip pings the accused before it expires", () => {
  it("at expiry the member pings the accused with the suspicion instead of declaring it dead, and declares it one probe timeout later when no answer comes", () => {
    const cluster = new TestCluster(40, FAST);
    const n1 = cluster.node("n1");
    n1.receive("n3", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n3" }] });
    expect(n1.viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    // A death heard hastens the suspicion to the minimum timeout. n1 runs alone: nothing it sends is answered.
    const expiry = n1.suspicionTimeoutTicks.min;
    const steps = Array.from({ length: 100 }, () => n1.tick());
    const at = steps[expiry - 1];
    const check = at?.send.find((e) => e.to === "n2" && e.message.type === "ping");
    expect((check?.message as Ping | undefined)?.updates[0]).toEqual({ state: "suspect", member: "n2", incarnation: 0, from: "n1" });
    expect(at?.output.some(deathOf("n2"))).toBe(false);
    const deathTick = steps.findIndex((step) => step.output.some(deathOf("n2"))) + 1;
    expect(deathTick).toBeGreaterThanOrEqual(expiry + FAST.probeTimeoutTicks);
  });

  it("a death the accused refuted long ago, heard by a member that missed the refutation, is answered by the accused's ack, not by a death", () => {
    const cluster = new TestCluster(40, FAST);
    const n2 = cluster.node("n2");
    // n2 refuted a suspicion at incarnation 0; nobody else heard it (the refutation's rumour is over).
    n2.receive("n3", { type: "ping", seq: 1, target: "n2", inc: 0, updates: [{ state: "suspect", member: "n2", incarnation: 0, from: "n3" }] });
    expect(n2.incarnation).toBe(1);
    // A member that timed the old suspicion out still spreads the death; n1 only takes it as a suspicion.
    cluster.inject("n4", "n1", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n4" }] });
    expect(cluster.node("n1").counters.deathsAsSuspicions).toBe(1);
    // n1 cannot hear n2 through the others: only its own ping to n2 can answer the suspicion.
    for (const other of cluster.ids) if (other !== "n1" && other !== "n2") cluster.partition("n1", other);
    cluster.run(200);
    expect(cluster.outputsOf("n1").filter(deathOf("n2"))).toEqual([]);
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
    expect(n2.incarnation).toBe(1); // answered at the incarnation it had: no new refutation
    expect(cluster.node("n1").counters.stale).toBe(0);
  });

  it("plain SWIM (Lifeguard off) declares the death at expiry without asking", () => {
    const cluster = new TestCluster(5, { ...FAST, lifeguard: false });
    const n1 = cluster.node("n1");
    n1.receive("n3", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n3" }] });
    let deathAt = 0;
    for (let tick = 1; tick <= 200 && deathAt === 0; tick++) {
      const step = n1.tick();
      if (step.output.some(deathOf("n2"))) deathAt = tick;
    }
    expect(deathAt).toBe(n1.suspicionTimeoutTicks.min);
  });
});
