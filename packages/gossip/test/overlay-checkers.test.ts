import { describe, expect, it } from "vitest";
import { createRng, FRESH_STATE, nodeIds, type ClusterView, type NodeId, type Step } from "@synod/core";
import { linkRank } from "../src/overlay/basalt.js";
import { resolveOverlayConfig } from "../src/overlay/config.js";
import { defendedEvictsWorst } from "../src/overlay/defended-evicts-worst.js";
import { disconnectDropsLink } from "../src/overlay/disconnect-drops-link.js";
import { ECLIPSE_MIN_HONEST, eclipseBounded } from "../src/overlay/eclipse-bounded.js";
import { graftRetried } from "../src/overlay/graft-retried.js";
import type { BroadcastId, OverlayMessage, OverlayOutput, OverlayRecord } from "../src/overlay/messages.js";
import { newLinkAnnounced } from "../src/overlay/new-link-announced.js";
import { OverlayNode } from "../src/overlay/overlay-node.js";
import { createPlumtreeSimulation } from "../src/overlay/simulation.js";

type OverlayStep = Step<OverlayMessage, OverlayOutput, OverlayRecord>;

const ids = nodeIds(5);
const config = resolveOverlayConfig({});
/** A member with no periodic work of its own (no shuffles, no rewiring), so that a transcript is only what the test feeds it. */
const member = (id: NodeId): OverlayNode =>
  new OverlayNode({ id, members: ids, rng: createRng(7).fork(id), recovered: FRESH_STATE }, { shuffleIntervalTicks: 0, rewireIntervalTicks: 0 });
const viewOf = (node: OverlayNode): ClusterView<OverlayNode, never, never> =>
  ({ members: ids, nodes: new Map([[node.id, node]]), nowMs: 0 }) as unknown as ClusterView<OverlayNode, never, never>;
const missed: BroadcastId = ["n5", 1, 0];

describe("the overlay simulation's link and repair checkers", () => {
  it("DisconnectDropsLink: a neighbour's disconnect drops it from the active view; a member still holding it is reported", () => {
    const n1 = member("n1");
    const view = viewOf(n1);
    const check = disconnectDropsLink();
    n1.receive("n2", { type: "connect" });
    expect(n1.active).toContain("n2");
    const disconnect: OverlayMessage = { type: "disconnect" };
    const dropped = n1.receive("n2", disconnect);
    expect(check.afterStep?.("n1", dropped, view, n1, 0, disconnect, "n2")).toBeUndefined();
    // The broken case: the same disconnect taken by a member that kept the link.
    const kept = member("n1");
    kept.receive("n2", { type: "connect" });
    expect(check.afterStep?.("n1", dropped, viewOf(kept), kept, 0, disconnect, "n2")).toMatch(/n1 took a disconnect from n2 and still holds it/);
  });

  it("GraftRetried: a missing broadcast is grafted from each announcer in turn; a member that stops after the first graft is reported", () => {
    const run = (dropRetries: boolean): Array<string | undefined> => {
      const n1 = member("n1");
      const view = viewOf(n1);
      const check = graftRetried(config);
      const results: Array<string | undefined> = [];
      const feed = (step: OverlayStep, delivered?: OverlayMessage, from?: NodeId): void => {
        const result = check.afterStep?.("n1", step, view, n1, 0, delivered, from);
        results.push(typeof result === "string" ? result : result?.message);
      };
      for (const peer of ["n2", "n3"] as const) feed(n1.receive(peer, { type: "connect" }), { type: "connect" }, peer);
      for (const peer of ["n2", "n3"] as const) {
        const iHave: OverlayMessage = { type: "iHave", id: missed, round: 1 };
        feed(n1.receive(peer, iHave), iHave, peer);
      }
      let grafts = 0;
      for (let t = 0; t < 10; t++) {
        const step = n1.tick();
        const isGraft = (e: OverlayStep["send"][number]): boolean => e.message.type === "graft";
        grafts += step.send.filter(isGraft).length;
        // The broken member: what n1 would send if it never grafted again after the first.
        feed(dropRetries && grafts > 1 ? { ...step, send: step.send.filter((e) => !isGraft(e)) } : step);
      }
      expect(grafts).toBe(2); // one per announcer, then nothing left to ask
      return results;
    };
    expect(run(false).every((r) => r === undefined)).toBe(true);
    const broken = run(true).filter((r) => r !== undefined);
    expect(broken[0]).toMatch(/n1 lacks n5\/1\/0, announced by n3 not asked yet .* grafted it last at tick 3 and is at tick 7/);
  });

  it("NewLinkAnnounced: a new neighbour is told of the recent broadcasts but its own; one told nothing is reported, and older broadcasts are not owed", () => {
    const n1 = member("n1");
    const view = viewOf(n1);
    const check = newLinkAnnounced(config);
    const feed = (step: OverlayStep) => check.afterStep?.("n1", step, view, n1, 0);
    expect(feed(n1.receive("n2", { type: "connect" }))).toBeUndefined();
    expect(feed(n1.receive("n5", { type: "gossip", id: missed, round: 1, payload: "x" }))).toBeUndefined();
    const up = n1.receive("n3", { type: "connect" });
    expect(up.send.map((e) => `${e.to} ${e.message.type}`)).toContain("n3 iHave");
    expect(feed(up)).toBeUndefined();
    // The broken case: the link comes up and nothing is announced over it.
    expect(feed({ ...n1.receive("n4", { type: "connect" }), send: [] })).toMatch(/n4 entered n1's active view \(connect\) at tick 0 and was not told of n5\/1\/0/);
    // The broadcast's origin is owed nothing, and after announceTicks nobody is.
    const quiet = newLinkAnnounced(config);
    quiet.afterStep?.("n1", { persist: [], send: [], output: [{ type: "deliver", id: missed, payload: "x", round: 1 }] }, view, n1, 0);
    const upOf = (peer: NodeId): OverlayStep => ({ persist: [], send: [], output: [{ type: "neighbor", peer, change: "up", reason: "connect" }] });
    expect(quiet.afterStep?.("n1", upOf("n5"), view, n1, 0)).toBeUndefined();
    for (let t = 0; t <= config.announceTicks; t++) n1.tick();
    expect(quiet.afterStep?.("n1", upOf("n4"), view, n1, 0)).toBeUndefined();
  });

  it("DefendedEvictsWorst: a defended full view that takes a better-ranked member evicts its worst link; evicting another is reported", () => {
    const members = nodeIds(60);
    const node = new OverlayNode({ id: "n1", members, rng: createRng(3), recovered: FRESH_STATE }, { basalt: true, activeDefence: true, activeSize: 2, seeds: ["n2"] });
    const view = { members, nodes: new Map([["n1" as NodeId, node]]), nowMs: 0 } as unknown as ClusterView<OverlayNode, never, never>;
    const check = defendedEvictsWorst();
    // Every event of n1 goes through both hooks, as the simulator calls them: afterStep, then check.
    const feed = (step: OverlayStep, delivered: OverlayMessage) => {
      const result = check.afterStep?.("n1", step, view, node, 0, delivered, "n2");
      check.check?.(view, "n1", node, 0);
      return result;
    };
    for (const id of members.slice(1)) feed(node.receive(id, { type: "shuffleReply", nodes: [id] }), { type: "shuffleReply", nodes: [id] });
    const byRank = [...node.passive].sort((a, b) => linkRank("n1", a) - linkRank("n1", b));
    const [best, second, third] = [0, 1, 2].map((i) => byRank[i] as string) as [string, string, string];
    const ask: OverlayMessage = { type: "neighbor", priority: "low" };
    feed(node.receive(third, ask), ask);
    feed(node.receive(second, ask), ask);
    const taken = node.receive(best, ask);
    expect(taken.output).toContainEqual({ type: "neighbor", peer: third, change: "down", reason: "evicted" });
    // The broken case first (the checker has not moved on yet): the same step evicting the better link.
    const wrong: OverlayStep = { ...taken, output: taken.output.map((o) => (o.type === "neighbor" && o.change === "down" ? { ...o, peer: second } : o)) };
    expect(check.afterStep?.("n1", wrong, view, node, 0, ask, best)).toMatch(new RegExp(`n1 evicted ${second} from its full view .*not its worst link ${third}`));
    expect(feed(taken, ask)).toBeUndefined();
  });

  it("EclipseBounded: attackers holding their share of honest view slots pass; an active or passive view they fill is reported; small or attack-free runs are not judged", () => {
    // 40 members, the last 8 faulty: 8 of the others' 39 ids (20.5%), bound 1.5 × that (30.8%).
    const members = nodeIds(40);
    const faulty = new Set(members.slice(32));
    const make = (honestLive: number): Map<NodeId, OverlayNode | undefined> =>
      new Map(
        members.map((id, i) => [
          id,
          i < honestLive || faulty.has(id)
            ? new OverlayNode({ id, members, rng: createRng(5).fork(id), recovered: FRESH_STATE }, { basalt: true, activeDefence: true, shuffleIntervalTicks: 0, rewireIntervalTicks: 0 })
            : undefined,
        ]),
      );
    const check = eclipseBounded();
    const judge = (nodes: Map<NodeId, OverlayNode | undefined>, withFaulty = true) =>
      check.atEnd?.({ members, nodes, nowMs: 0, ...(withFaulty ? { faulty } : {}) } as unknown as ClusterView<OverlayNode, never, never>);
    const fill = (node: OverlayNode, peers: readonly NodeId[]): void => {
      for (const peer of peers) node.receive(peer, { type: "connect" });
    };
    // n1 holds 4 honest neighbours and one attacker (20% of its active slots), the others nothing yet.
    const fair = make(32);
    fill(fair.get("n1") as OverlayNode, ["n2", "n3", "n4", "n5", "n33"]);
    expect(fair.get("n1")?.active).toHaveLength(5);
    expect(judge(fair)).toBeUndefined();
    // n1's active view filled with attackers: 5 of 5 slots.
    const eclipsed = make(32);
    fill(eclipsed.get("n1") as OverlayNode, ["n33", "n34", "n35", "n36", "n37"]);
    expect(judge(eclipsed)).toMatch(/attackers \(8 of 40 members, 20\.5% of the others' ids\) hold 5 of the 5 active-view slots of 32 live honest members \(100\.0% > 1\.5 × 20\.5% = 30\.8%\)/);
    // n2's sampler offered only attacker ids: its passive view holds nothing else (its active view is fair).
    const sampled = make(32);
    fill(sampled.get("n2") as OverlayNode, ["n1", "n3"]);
    sampled.get("n2")?.receive("n33", { type: "shuffleReply", nodes: members.slice(32) });
    expect(sampled.get("n2")?.passive.length).toBeGreaterThan(0);
    expect(judge(sampled)).toMatch(/passive-view slots of 32 live honest members \(100\.0% >/);
    // Not judged: no faulty member, or fewer live honest members than the sampling argument needs.
    expect(judge(eclipsed, false)).toBeUndefined();
    const few = make(ECLIPSE_MIN_HONEST - 1);
    fill(few.get("n1") as OverlayNode, ["n33", "n34", "n35", "n36", "n37"]);
    expect(judge(few)).toBeUndefined();
    // Only the defended target checks it: the undefended overlay makes no such promise.
    const names = (defended: boolean) => createPlumtreeSimulation(defended ? { basalt: true, activeDefence: true } : {}).createInvariants().map((i) => i.name);
    expect(names(true)).toContain("EclipseBounded");
    expect(names(false)).not.toContain("EclipseBounded");
  });
});
