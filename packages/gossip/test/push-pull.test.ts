import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeUnchecked, type NodeId } from "@synod/core";
import { MemberView, viewEntry } from "../src/member-view.js";
import { gossipMessageCodec, MAX_GOSSIP_MESSAGE_BYTES, MAX_PUSH_PULL_ENTRIES, type GossipMessage, type PushPullEntry } from "../src/messages.js";
import { pushPullEntryBytes, PushPullState, utf8Length } from "../src/push-pull.js";
import { TestCluster } from "./support/cluster.js";

const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2 };
/** Push-pull off, so that only what a test sends is exchanged. */
const QUIET = { ...FAST, pushPullIntervalTicks: 0 };

type PushPull = Extract<GossipMessage, { type: "pushPull" }>;
type Reply = Extract<GossipMessage, { type: "pushPullReply" }>;
const push = (entries: PushPullEntry[], inc = 0, first = "n1", span = 5): PushPull => ({ type: "pushPull", inc, first, span, entries });

describe("push-pull merge: the override rule decides, a stale entry never overrides a newer one", () => {
  it("a lower or equal incarnation changes nothing held alive at a higher one; a higher alive updates it", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    n1.receive("n3", { type: "ack", seq: 1, inc: 0, updates: [{ state: "alive", member: "n2", incarnation: 2, from: "n2" }] });
    const step = n1.receive("n3", push([["n2", 1, "alive"], ["n2", 1, "suspect"], ["n2", 1, "dead"], ["n2", 2, "alive"], ["n2", 0, "left"]]));
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 2 });
    expect(step.output).toEqual([]);
    n1.receive("n3", push([["n2", 3, "alive"]]));
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 3 });
    expect(n1.stats.pushPullChanges).toBe(1);
  });

  it("a suspicion in a push is taken at an equal incarnation, but not gossiped on under the sender's name", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    const step = n1.receive("n3", push([["n2", 0, "suspect"]]));
    expect(n1.viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    expect(step.output).toContainEqual({ type: "suspected", member: "n2", incarnation: 0, previous: "alive", previousIncarnation: 0, cause: "pushPull" });
    expect(n1.queuedUpdates).toBe(0);
  });

  it("a death in a push is only a suspicion, at the full timeout: the accused refutes it in time", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    n1.receive("n3", push([["n2", 0, "dead"]]));
    expect(n1.viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    expect(n1.counters.deathsAsSuspicions).toBe(1);
    cluster.run(300);
    for (const id of cluster.ids) expect(cluster.outputsOf(id).some((o) => o.type === "failed")).toBe(false);
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
  });

  it("a left entry held by another member ends as left once its suspicion times out unanswered, not at once", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    cluster.down.add("n2");
    n1.receive("n3", push([["n2", 0, "left"]]));
    expect(n1.viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    cluster.run(300);
    expect(n1.viewOf("n2")).toEqual({ state: "left", incarnation: 0 });
  });

  it("a suspicion held is neither confirmed nor hastened by a push that holds it too", () => {
    const expiry = (withPush: boolean): number => {
      const cluster = new TestCluster(40, QUIET);
      const n1 = cluster.node("n1");
      n1.receive("n3", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "suspect", member: "n2", incarnation: 0, from: "n3" }] });
      if (withPush) for (const sender of ["n4", "n5", "n6"]) n1.receive(sender, push([["n2", 0, "suspect"], ["n2", 0, "dead"]]));
      // n1 runs alone: the buddy ping at expiry goes unanswered.
      for (let tick = 1; tick <= 1000; tick++) if (n1.tick().output.some((o) => o.type === "failed" && o.member === "n2")) return tick;
      return -1;
    };
    expect(expiry(true)).toBe(expiry(false));
    expect(expiry(false)).toBeGreaterThan(0);
  });

  it("an accusation of the receiver in a push is refuted; the sender's entry of itself is ignored (its inc speaks for it)", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    const step = n1.receive("n3", push([["n1", 0, "suspect"], ["n3", 7, "dead"]]));
    expect(n1.incarnation).toBe(1);
    expect(step.output).toContainEqual({ type: "refuted", incarnation: 1, accusedIncarnation: 0 });
    expect(n1.viewOf("n3")).toEqual({ state: "alive", incarnation: 0 });
  });
});

describe("push-pull reply: what the receiver holds newer, for the same window", () => {
  it("answers with the entries that supersede the push (and what it holds of the pusher first), none it holds older", () => {
    const cluster = new TestCluster(6, QUIET);
    const n1 = cluster.node("n1");
    n1.receive("n4", { type: "ack", seq: 1, inc: 0, updates: [{ state: "alive", member: "n2", incarnation: 3, from: "n2" }, { state: "alive", member: "n3", incarnation: 1, from: "n3" }] });
    n1.receive("n4", { type: "ack", seq: 1, inc: 0, updates: [{ state: "suspect", member: "n5", incarnation: 0, from: "n4" }, { state: "suspect", member: "n6", incarnation: 0, from: "n4" }] });
    // n6 pushes: it holds n2 at 1 (older), n3 at 2 (newer), nothing of n4 and n5 (alive at 0).
    const step = n1.receive("n6", push([["n2", 1, "alive"], ["n3", 2, "alive"]], 0, "n1", 6));
    const reply = step.send.find((e) => e.to === "n6")?.message as Reply;
    expect(reply.type).toBe("pushPullReply");
    expect(reply.entries).toEqual([
      ["n6", 0, "suspect"],
      ["n2", 3, "alive"],
      ["n5", 0, "suspect"],
    ]);
    // n1 merged what was newer.
    expect(n1.viewOf("n3")).toEqual({ state: "alive", incarnation: 2 });
  });

  it("covers only the window asked about (wrapping around the member order)", () => {
    const cluster = new TestCluster(6, QUIET);
    const n1 = cluster.node("n1");
    const updates = ["n2", "n3", "n4", "n5", "n6"].map((member) => ({ state: "alive" as const, member, incarnation: 1, from: member }));
    n1.receive("n2", { type: "ack", seq: 1, inc: 1, updates });
    const step = n1.receive("n2", push([], 1, "n5", 3)); // n5, n6, n1
    expect((step.send[0]?.message as Reply).entries).toEqual([
      ["n5", 1, "alive"],
      ["n6", 1, "alive"],
    ]);
  });

  it("every interval a member pushes to one member it does not hold dead, and merges its reply", () => {
    const cluster = new TestCluster(5, { ...FAST, pushPullIntervalTicks: 20 });
    cluster.run(100);
    const pushes = cluster.sent.filter((e) => e.message.type === "pushPull");
    const replies = cluster.sent.filter((e) => e.message.type === "pushPullReply");
    for (const id of cluster.ids) expect(pushes.filter((e) => e.from === id).length).toBe(5);
    expect(replies.length).toBe(pushes.length);
    for (const id of cluster.ids) expect(cluster.node(id).counters.stale).toBe(0);
  });
});

describe("push-pull bad input: counted and dropped, never thrown", () => {
  it("a push whose window is not one of the member order is malformed: no merge, no reply", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    for (const bad of [push([["n2", 9, "alive"]], 0, "stranger", 5), push([["n2", 9, "alive"]], 0, "n2", 0), push([["n2", 9, "alive"]], 0, "n2", 6)]) {
      expect(n1.receive("n3", bad).send).toEqual([]);
    }
    expect(n1.counters.malformed).toBe(3);
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 0 });
  });

  it("bytes that do not decode as a push are malformed: a bad entry, a state that is none, too many entries, too many bytes", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    const bad = [
      { type: "pushPull", inc: 0, first: "n1", span: 5, entries: [["n2", 1]] },
      { type: "pushPull", inc: 0, first: "n1", span: 5, entries: [["n2", 1, "zombie"]] },
      { type: "pushPull", inc: 0, first: "n1", span: 5, entries: [["n2", -1, "alive"]] },
      { type: "pushPullReply", inc: 0, entries: Array.from({ length: MAX_PUSH_PULL_ENTRIES + 1 }, () => ["n2", 1, "alive"]) },
      { type: "pushPullReply", inc: 0, entries: Array.from({ length: 700 }, () => ["n2".padEnd(20, "x"), 1, "alive"]) },
    ];
    for (const message of bad) expect(n1.receiveBytes("n3", encodeUnchecked(message)).send).toEqual([]);
    expect(n1.counters.malformed).toBe(bad.length);
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 0 });
  });

  it("entries about unknown members are counted and skipped; a reply nobody asked for is stale and not merged", () => {
    const cluster = new TestCluster(5, QUIET);
    const n1 = cluster.node("n1");
    n1.receive("n3", push([["ghost", 3, "dead"], ["n2", 1, "alive"]]));
    expect(n1.counters.unknownMember).toBe(1);
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
    n1.receive("n3", { type: "pushPullReply", inc: 0, entries: [["n2", 2, "alive"]] });
    expect(n1.counters.stale).toBe(1);
    expect(n1.viewOf("n2")).toEqual({ state: "alive", incarnation: 1 });
  });
});

describe("push-pull size: bounded by the message size limit, split into windows of the member order", () => {
  it("the entry size bound is never below the codec's encoding (any id, incarnation and state)", () => {
    const id = fc.string({ minLength: 1, maxLength: 64, unit: "grapheme" }).filter((s) => s.length <= 64);
    const entry = fc.tuple(id, fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom("alive", "suspect", "dead", "left") as fc.Arbitrary<"alive" | "suspect" | "dead" | "left">);
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 20 }), (entries) => {
        const bound = entries.reduce((sum, [member, incarnation, state]) => sum + pushPullEntryBytes(utf8Length(member), incarnation, state), 0);
        const empty = gossipMessageCodec.encode({ type: "pushPullReply", inc: 0, entries: [] }).length;
        const full = gossipMessageCodec.encode({ type: "pushPullReply", inc: 0, entries }).length;
        expect(full - empty).toBeLessThanOrEqual(bound + 4); // + the array header growing past 15 items
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it("a view too large for one message is pushed in windows that each encode within the limit and together cover every entry", () => {
    // 3,000 members with the longest ids (64 UTF-16 units, mostly "€": 3 UTF-8 bytes each), every one at a large incarnation.
    const members: NodeId[] = Array.from({ length: 3000 }, (_, i) => `${i}`.padStart(64, "€"));
    const view = new MemberView();
    for (let i = 1; i < members.length; i++) view.set(i, viewEntry(i % 3 === 0 ? "suspect" : "alive", 0xffff_0000 + i));
    const state = new PushPullState(members, 0);
    const covered = new Set<string>();
    let first = 1;
    let windows = 0;
    while (covered.size < members.length - 1 && windows < 1000) {
      const { span, entries } = state.push(view, first, 1);
      const bytes = gossipMessageCodec.encode({ type: "pushPull", inc: 0xffff_ffff, first: members[first] as NodeId, span, entries }).length;
      expect(bytes).toBeLessThanOrEqual(MAX_GOSSIP_MESSAGE_BYTES);
      expect(span).toBeGreaterThan(0);
      expect(span).toBeLessThan(members.length);
      for (const [member] of entries) covered.add(member);
      first = (first + span) % members.length;
      windows++;
    }
    expect(covered.size).toBe(members.length - 1);
    // About 37 entries of 211 bytes fit 7,936 bytes: 2,999 entries take some 80 windows.
    expect(windows).toBeGreaterThan(70);
    expect(windows).toBeLessThan(90);
  });

  it("a view that fits is pushed whole, whatever the start", () => {
    const members: NodeId[] = Array.from({ length: 300 }, (_, i) => `n${i + 1}`);
    const view = new MemberView();
    for (let i = 1; i < members.length; i++) view.set(i, viewEntry("alive", 3));
    const { span, entries } = new PushPullState(members, 0).push(view, 123, 5);
    expect(span).toBe(300);
    expect(entries.length).toBe(299);
    expect(entries[0]).toEqual(["n6", 3, "alive"]); // the receiver's entry first
  });
});

describe("push-pull scenario: a member the rumours missed catches up within an interval, not a round robin pass", () => {
  /** n1 is down while ten members refute; the rumours die out; n1 restarts holding them all alive at 0. */
  function missedRumours(pushPullIntervalTicks: number): { cluster: TestCluster; stale: () => string[] } {
    const cluster = new TestCluster(40, { ...FAST, pushPullIntervalTicks });
    cluster.run(10);
    cluster.down.add("n1");
    const refuting = ["n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11"];
    for (const id of refuting) cluster.inject("n12", id, { type: "ping", seq: 1, target: id, inc: 0, updates: [{ state: "suspect", member: id, incarnation: 0, from: "n12" }] });
    cluster.run(400);
    for (const id of cluster.ids) if (id !== "n1") expect(cluster.node(id).queuedUpdates).toBe(0);
    cluster.start("n1");
    return { cluster, stale: () => refuting.filter((id) => cluster.node("n1").viewOf(id)?.incarnation !== cluster.node(id).incarnation) };
  }

  it("with push-pull every 20 ticks, n1 holds every refutation within 25 ticks of its restart", () => {
    const { cluster, stale } = missedRumours(20);
    expect(stale().length).toBe(10);
    cluster.run(25);
    expect(stale()).toEqual([]);
  });

  it("without push-pull, 25 ticks later n1 still holds some of them at the old incarnation (the round robin takes 40 probe periods)", () => {
    const { cluster, stale } = missedRumours(0);
    cluster.run(25);
    expect(stale().length).toBeGreaterThan(0);
  });
});
