import { describe, expect, it } from "vitest";
import { GossipNode } from "../src/gossip-node.js";
import { TestCluster } from "./support/cluster.js";

const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2 };

describe("a SWIM member", () => {
  it("probes every other member within one round robin pass and every probe is acked", () => {
    const cluster = new TestCluster(5, FAST);
    cluster.run(5 * 5);
    for (const id of cluster.ids) {
      const node = cluster.node(id);
      expect(node.stats.probes).toBeGreaterThanOrEqual(4);
      expect(node.notAliveCount).toBe(0);
    }
    const pinged = new Set(cluster.sent.filter((e) => e.from === "n1" && e.message.type === "ping").map((e) => e.to));
    expect([...pinged].sort()).toEqual(["n2", "n3", "n4", "n5"]);
  });

  it("suspects a crashed member, then declares it dead at every member (completeness)", () => {
    const cluster = new TestCluster(5, FAST);
    cluster.run(10);
    cluster.down.add("n3");
    cluster.run(200);
    for (const id of ["n1", "n2", "n4", "n5"]) {
      expect(cluster.node(id).viewOf("n3")?.state).toBe("dead");
      const events = cluster.outputsOf(id).filter((o) => o.type !== "health" && "member" in o && o.member === "n3").map((o) => o.type);
      expect(events).toEqual(["suspected", "failed"]);
    }
  });

  it("a member cut off from one observer is not declared dead: the indirect probes reach it", () => {
    const cluster = new TestCluster(5, FAST);
    cluster.partition("n1", "n2");
    cluster.run(200);
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "alive", incarnation: 0 });
    expect(cluster.node("n2").viewOf("n1")).toEqual({ state: "alive", incarnation: 0 });
  });

  it("refutes a suspicion of itself with a higher incarnation, persisted first, and everyone takes it", () => {
    const cluster = new TestCluster(4, FAST);
    cluster.inject("n2", "n1", { type: "ping", seq: 99, target: "n1", inc: 0, updates: [{ state: "suspect", member: "n1", incarnation: 0, from: "n2" }] });
    expect(cluster.node("n1").incarnation).toBe(1);
    expect(cluster.records.get("n1")).toEqual([{ incarnation: 0 }, { incarnation: 1 }]);
    expect(cluster.outputsOf("n1")).toContainEqual({ type: "refuted", incarnation: 1, accusedIncarnation: 0 });
    cluster.run(60);
    for (const id of ["n2", "n3", "n4"]) expect(cluster.node(id).viewOf("n1")).toEqual({ state: "alive", incarnation: 1 });
  });

  it("a stale suspicion never overrides a newer alive", () => {
    const cluster = new TestCluster(3, FAST);
    cluster.inject("n3", "n1", { type: "ack", seq: 1, inc: 0, updates: [{ state: "alive", member: "n2", incarnation: 2, from: "n2" }] });
    cluster.inject("n3", "n1", { type: "ack", seq: 1, inc: 0, updates: [{ state: "suspect", member: "n2", incarnation: 1, from: "n3" }] });
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "alive", incarnation: 2 });
  });

  it("a death claimed by one member is only a suspicion, which the accused refutes in time", () => {
    const cluster = new TestCluster(5, FAST);
    cluster.inject("n5", "n1", { type: "ack", seq: 1, inc: 0, updates: [{ state: "dead", member: "n2", incarnation: 0, from: "n5" }] });
    expect(cluster.node("n1").viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    expect(cluster.node("n1").counters.deathsAsSuspicions).toBe(1);
    cluster.run(200);
    for (const id of ["n1", "n3", "n4", "n5"]) expect(cluster.node(id).viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
    for (const id of cluster.ids) expect(cluster.outputsOf(id).some((o) => o.type === "failed")).toBe(false);
  });

  it("a member restarted after being declared dead rejoins under the same id at a higher incarnation", () => {
    const cluster = new TestCluster(4, FAST);
    cluster.run(10);
    cluster.down.add("n4");
    cluster.run(200);
    expect(cluster.node("n1").viewOf("n4")?.state).toBe("dead");
    const back = cluster.start("n4");
    expect(back.incarnation).toBe(1);
    cluster.run(100);
    for (const id of ["n1", "n2", "n3"]) {
      expect(cluster.node(id).viewOf("n4")).toEqual({ state: "alive", incarnation: 1 });
      expect(cluster.outputsOf(id).some((o) => o.type === "joined" && o.member === "n4")).toBe(true);
    }
  });

  it("a member that lost its incarnation to corrupted storage learns it from a peer's reply and refutes above it", () => {
    const cluster = new TestCluster(3, FAST);
    cluster.inject("n3", "n1", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "suspect", member: "n1", incarnation: 0, from: "n3" }] });
    cluster.inject("n3", "n1", { type: "ping", seq: 2, target: "n1", inc: 0, updates: [{ state: "suspect", member: "n1", incarnation: 1, from: "n3" }] });
    cluster.run(60);
    expect(cluster.node("n2").viewOf("n1")?.incarnation).toBe(2);
    const back = cluster.start("n1", { records: [], corrupted: 1, tornTail: false });
    expect(back.incarnation).toBe(0);
    cluster.run(60);
    expect(cluster.outputsOf("n1")).toContainEqual(expect.objectContaining({ type: "alarm" }));
    expect(back.incarnation).toBeGreaterThan(2);
    expect(cluster.node("n2").viewOf("n1")).toEqual({ state: "alive", incarnation: back.incarnation });
  });

  it("a graceful leave is final for its incarnation and the leaver stops probing", () => {
    const cluster = new TestCluster(4, FAST);
    cluster.apply("n4", cluster.node("n4").request({ type: "leave" }));
    const probes = cluster.node("n4").stats.probes;
    cluster.run(100);
    expect(cluster.node("n4").stats.probes).toBe(probes);
    for (const id of ["n1", "n2", "n3"]) expect(cluster.node(id).viewOf("n4")).toEqual({ state: "left", incarnation: 0 });
  });

  it("rejects and counts bad input, never throws", () => {
    const cluster = new TestCluster(3, FAST);
    const n1 = cluster.node("n1");
    n1.receive("stranger", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [] });
    n1.receive("n1", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [] });
    n1.receive("n2", { type: "ping", seq: 1, target: "n3", inc: 0, updates: [] });
    n1.receive("n2", { type: "pingReq", seq: 1, target: "n1", nack: true, inc: 0, updates: [] });
    n1.receive("n2", { type: "pingReq", seq: 1, target: "nobody", nack: true, inc: 0, updates: [] });
    n1.receive("n2", { type: "ack", seq: 12345, inc: 0, updates: [{ state: "dead", member: "ghost", incarnation: 9, from: "n2" }] });
    n1.receive("n2", { type: "nack", seq: 777, inc: 0 });
    expect(n1.counters).toEqual({ unknownSender: 2, unknownMember: 1, misdirected: 3, stale: 2, deathsAsSuspicions: 0, malformed: 0 });
    expect(n1.notAliveCount).toBe(0);
  });

  it("Lifeguard: a member whose probes all fail while its helpers send no nacks raises its health score and slows down", () => {
    const cluster = new TestCluster(5, FAST);
    for (const other of ["n2", "n3", "n4", "n5"]) cluster.cut.add(`${other}>n1`); // n1 hears nobody
    cluster.run(200);
    const n1 = cluster.node("n1");
    // Each failed probe with 3 helpers and no nack adds 3, up to the maximum multiplier (8) − 1.
    expect(cluster.outputsOf("n1").filter((o) => o.type === "health")).toEqual([{ type: "health", score: 3 }, { type: "health", score: 6 }, { type: "health", score: 7 }]);
    // At 8× the period, 200 ticks hold far fewer probes than the 40 of a healthy member.
    expect(n1.stats.probes).toBeLessThan(10);
    expect(cluster.node("n2").stats.probes).toBeGreaterThanOrEqual(39);
  });

  it("rejects a member list without itself", () => {
    expect(() => new GossipNode({ id: "x", members: ["n1"], rng: { fork: () => ({}) } as never, recovered: { records: [], corrupted: 0, tornTail: false } })).toThrow(/not one of the members/);
  });
});
