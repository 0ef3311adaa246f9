import { describe, expect, it } from "vitest";
import type { GossipMessage, GossipOutput } from "../src/messages.js";
import { BuddyPings } from "../src/buddy-pings.js";
import { TestCluster } from "./support/cluster.js";

const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2 };

type Ping = Extract<GossipMessage, { type: "ping" }>;
const deathOf = (member: string) => (o: GossipOutput) => o.type === "failed" && o.member === member;

describe("Lifeguard's buddy system as a last check: a suspicion heard only by gossip pings the accused before it expires", () => {
  it("at expiry the member pings the accused with the suspicion instead of declaring it dead, again after each probe timeout without an answer, and declares it only when buddyChecks pings went unanswered", () => {
    const cluster = new TestCluster(40, FAST);
    const n1 = cluster.node("n1");
    n1.receive("n3", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n3" }] });
    expect(n1.viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    // A death heard hastens the suspicion to the minimum timeout. n1 runs alone: nothing it sends is answered.
    const expiry = n1.suspicionTimeoutTicks.min;
    const steps = Array.from({ length: 200 }, () => n1.tick());
    const at = steps[expiry - 1];
    const check = at?.send.find((e) => e.to === "n2" && e.message.type === "ping");
    expect((check?.message as Ping | undefined)?.updates[0]).toEqual({ state: "suspect", member: "n2", incarnation: 0, from: "n1" });
    expect(at?.output.some(deathOf("n2"))).toBe(false);
    const deathTick = steps.findIndex((step) => step.output.some(deathOf("n2"))) + 1;
    expect(deathTick).toBeGreaterThanOrEqual(expiry + 3 * FAST.probeTimeoutTicks);
    // Exactly buddyChecks (3) pings from expiry on, besides n1's own round-robin probes (which start no check).
    const checks = steps.slice(expiry - 1, deathTick).filter((step) => step.send.some((e) => e.to === "n2" && e.message.type === "ping"));
    expect(checks.length).toBeGreaterThanOrEqual(3);
    expect(n1.viewOf("n2")).toEqual({ state: "dead", incarnation: 0 });
  });

  it("one lost buddy ping does not kill a live member: the check is retried, and the accused's ack to the retry ends the suspicion", () => {
    const cluster = new TestCluster(40, FAST);
    const n1 = cluster.node("n1");
    const n2 = cluster.node("n2");
    n1.receive("n3", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n3" }] });
    const expiry = n1.suspicionTimeoutTicks.min;
    // n1 hears nothing from anyone (1% loss, here the unlucky packets): tick it alone, and keep its buddy pings.
    const buddyPings: Ping[] = [];
    let dead = false;
    for (let tick = 1; tick <= expiry + 200 && buddyPings.length < 2 && !dead; tick++) {
      const step = n1.tick();
      dead = step.output.some(deathOf("n2"));
      for (const e of step.send) {
        const m = e.message;
        if (e.to === "n2" && m.type === "ping" && tick >= expiry && m.updates[0]?.state === "suspect") buddyPings.push(m);
      }
    }
    // The first buddy ping (or its ack) was lost; a second one goes out before any death.
    expect(dead).toBe(false);
    expect(buddyPings).toHaveLength(2);
    const retry = buddyPings[1] as Ping;
    expect(retry.seq).not.toBe(buddyPings[0]?.seq);
    // n2 gets the retry: it refutes the suspicion it carries, and its ack brings n1 the new incarnation.
    const answer = n2.receive("n1", retry);
    expect(n2.incarnation).toBe(1);
    const ack = answer.send.find((e) => e.to === "n1" && e.message.type === "ack");
    expect(ack).toBeDefined();
    const after = n1.receive("n2", ack?.message as GossipMessage);
    expect(after.output.some((o) => o.type === "updated" && o.member === "n2" && o.incarnation === 1)).toBe(true);
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
    expect(n1.counters.stale).toBe(0);
    const later = Array.from({ length: 200 }, () => n1.tick());
    expect(later.some((step) => step.output.some(deathOf("n2")))).toBe(false);
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

describe("BuddyPings: expiry pops from the front, so the front must hold the earliest deadline", () => {
  it("a key awaited again (Scuttlebutt awaits a sender per reply) moves behind the others, and an earlier deadline behind it still expires on time", () => {
    const pings = new BuddyPings(10);
    pings.add(5, 0); // deadline 10
    pings.add(7, 5); // deadline 15
    pings.add(5, 8); // awaited again: deadline 18
    pings.expire(15);
    expect(pings.answered(7)).toBe(false); // expired at 15, not held back by 5's later deadline
    expect(pings.answered(5)).toBe(true);
    expect(pings.size).toBe(0);
  });
});
