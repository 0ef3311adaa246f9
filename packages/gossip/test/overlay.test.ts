import { ConfigError, createRng, FRESH_STATE, nodeIds } from "@synod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveOverlayConfig } from "../src/overlay/config.js";
import { overlayMessageCodec, type OverlayOutput } from "../src/overlay/messages.js";
import { OVERLAY_CORRUPTION_EPOCH_GAP, OverlayNode } from "../src/overlay/overlay-node.js";
import { Plumtree } from "../src/overlay/plumtree.js";
import { BasaltSampler, linkRank } from "../src/overlay/basalt.js";
import { OverlayCluster } from "./support/overlay-cluster.js";

/** One seed, no periodic shuffles or rewiring: every message in a transcript is one the scenario caused. */
const QUIET = { seeds: ["n1"], shuffleIntervalTicks: 0, rewireIntervalTicks: 0 };

const neighborChanges = (outputs: readonly OverlayOutput[]) => outputs.flatMap((o) => (o.type === "neighbor" ? [`${o.change} ${o.peer} (${o.reason})`] : []));

describe("HyParView joins and Plumtree's tree, as a transcript", () => {
  it("two members join through n1; the first broadcast goes to every neighbour and the duplicates prune the tree; the second costs n − 1 payloads", () => {
    const cluster = new OverlayCluster(3, QUIET);
    cluster.run(1);
    expect(cluster.transcript).toEqual([
      "n2 -> n1 join", // n2's views are empty: it joins through its seed
      "n1 -> n2 connect", // n1 took n2 into its active view and says so
      "n3 -> n1 join",
      "n1 -> n3 connect",
      "n1 -> n2 forwardJoin n3 ttl 6", // the join's random walk from each other neighbour of n1…
      "n2 -> n3 connect", // …ends at once at n2, which has a single neighbour: it takes n3
    ]);
    expect(cluster.overlayProblem()).toBeUndefined();
    expect(neighborChanges(cluster.outputsOf("n3"))).toEqual(["up n1 (connect)", "up n2 (connect)"]);

    cluster.transcript.length = 0;
    cluster.broadcast("n1", "a");
    expect(cluster.transcript).toEqual([
      "n1 -> n2 gossip n1/1/0 r1", // every neighbour starts eager
      "n1 -> n3 gossip n1/1/0 r1",
      "n2 -> n3 gossip n1/1/0 r2",
      "n3 -> n2 gossip n1/1/0 r2",
      "n3 -> n2 prune", // a duplicate: the link n2–n3 becomes lazy at both ends
      "n2 -> n3 prune",
    ]);
    cluster.transcript.length = 0;
    cluster.broadcast("n1", "b");
    expect(cluster.transcript).toEqual([
      "n1 -> n2 gossip n1/1/1 r1", // the tree: n1–n2, n1–n3
      "n1 -> n3 gossip n1/1/1 r1",
      "n2 -> n3 iHave n1/1/1 r2", // the lazy link carries only the id
      "n3 -> n2 iHave n1/1/1 r2",
    ]);
    for (const id of cluster.ids) expect(cluster.deliveredBy(id)).toEqual(["a", "b"]);
    expect([...cluster.node("n2").plumtree.lazy]).toEqual(["n3"]);
  });

  it("a tree link that drops a payload is repaired: the IHave from a lazy neighbour turns into a graft after graftTimeoutTicks, and that link joins the tree", () => {
    const cluster = new OverlayCluster(3, QUIET);
    cluster.run(1);
    cluster.broadcast("n1", "a"); // tree n1–n2, n1–n3
    cluster.cut.add("n1>n3"); // n1's payloads to n3 are lost
    cluster.transcript.length = 0;
    cluster.broadcast("n1", "c");
    expect(cluster.transcript).toEqual(["n1 -> n2 gossip n1/1/1 r1", "n2 -> n3 iHave n1/1/1 r2"]);
    expect(cluster.deliveredBy("n3")).toEqual(["a"]);
    const quiet = () => cluster.transcript.filter((line) => !line.endsWith("heartbeat"));
    cluster.transcript.length = 0;
    cluster.run(2); // graftTimeoutTicks = 3: not yet
    expect(quiet()).toEqual([]);
    cluster.run(1);
    expect(quiet()).toEqual([
      "n3 -> n2 graft n1/1/1 r2", // n3 asks the member that announced it…
      "n2 -> n3 gossip n1/1/1 r2", // …which answers with the payload
      "n3 -> n1 gossip n1/1/1 r3", // n3 forwards it on its tree links (n1 already has it: its prune is lost on the cut link)
    ]);
    expect(cluster.deliveredBy("n3")).toEqual(["a", "c"]);
    expect(cluster.node("n3").plumtree.eager.has("n2")).toBe(true);
    expect(cluster.node("n2").plumtree.eager.has("n3")).toBe(true);
  });

  it("a member cut off while a broadcast spreads gets it when it links again: a new neighbour is sent an IHave for each recent broadcast, and grafts the one it lacks", () => {
    const cluster = new OverlayCluster(3, QUIET);
    cluster.run(1);
    cluster.broadcast("n1", "a"); // every member has "a"
    cluster.partition("n1", "n3");
    cluster.partition("n2", "n3");
    cluster.transcript.length = 0;
    cluster.broadcast("n1", "b");
    const quiet = () => cluster.transcript.filter((line) => !line.endsWith("heartbeat"));
    expect(quiet()).toEqual(["n1 -> n2 gossip n1/1/1 r1"]); // the payload to n3 is lost
    cluster.run(20); // failTicks of silence: n3 drops both links, and they drop n3
    expect(cluster.node("n3").active).toEqual([]);
    cluster.cut.clear();
    cluster.transcript.length = 0;
    cluster.run(30);
    expect(quiet()).toEqual([
      "n3 -> n1 join", // n3's views are empty: it joins again through its seed
      "n1 -> n3 iHave n1/1/0 r1", // the new link: n1 announces what it delivered within announceTicks…
      "n1 -> n3 iHave n1/1/1 r1",
      "n1 -> n3 connect",
      "n1 -> n2 forwardJoin n3 ttl 6",
      "n2 -> n3 iHave n1/1/0 r2", // …and so does n2 on its own new link
      "n2 -> n3 iHave n1/1/1 r2",
      "n2 -> n3 connect",
      "n3 -> n2 iHave n1/1/0 r2", // n3 announces "a" to n2 (not to n1, its origin)
      "n3 -> n1 graft n1/1/1 r1", // graftTimeoutTicks later n3 asks the first announcer for "b"
      "n1 -> n3 gossip n1/1/1 r1",
      "n3 -> n2 gossip n1/1/1 r2",
      "n2 -> n3 prune",
    ]);
    expect(cluster.deliveredBy("n3")).toEqual(["a", "b"]); // before announce-on-link-up: only "a", for good
    for (const id of cluster.ids) expect(cluster.deliveredBy(id)).toEqual(["a", "b"]);
  });

  it("a crashed neighbour is dropped after failTicks of silence and replaced from the passive view; broadcasts then reach every live member once", () => {
    const cluster = new OverlayCluster(8, { seeds: ["n1"], activeSize: 3, passiveSize: 6, shuffleIntervalTicks: 10, rewireIntervalTicks: 0 });
    cluster.run(60);
    expect(cluster.overlayProblem()).toBeUndefined();
    const neighbours = [...cluster.node("n1").active];
    cluster.down.add("n1");
    const config = cluster.node("n2").config;
    cluster.run(config.failTicks + 1);
    for (const id of neighbours) expect(neighborChanges(cluster.outputsOf(id))).toContain("down n1 (failed)");
    cluster.run(40);
    expect(cluster.overlayProblem()).toBeUndefined();
    for (const id of cluster.live()) expect(cluster.node(id).active.length).toBeGreaterThan(0);
    cluster.broadcast("n2", "after");
    for (const id of cluster.live()) expect(cluster.deliveredBy(id).filter((p) => p === "after")).toEqual(["after"]);
  });

  it("a restarted member rejoins through its seed at a new epoch; a heartbeat over a link the receiver does not hold is answered with disconnect, which drops the link at the sender too", () => {
    const cluster = new OverlayCluster(3, QUIET);
    cluster.run(1);
    const restarted = cluster.start("n2"); // it forgot its links; n1 and n3 still hold it
    expect(restarted.epoch).toBe(2);
    cluster.transcript.length = 0;
    cluster.run(1);
    expect(cluster.transcript.slice(0, 4)).toEqual(["n2 -> n1 join", "n1 -> n2 connect", "n1 -> n3 forwardJoin n2 ttl 6", "n3 -> n2 connect"]);
    expect(cluster.overlayProblem()).toBeUndefined();
    // A one-sided link: n3 believes n1 is its neighbour, n1 does not.
    const n1 = cluster.node("n1");
    n1.receive("n3", { type: "disconnect" });
    expect(n1.active).not.toContain("n3");
    expect(n1.passive).toContain("n3");
    const answer = n1.receive("n3", { type: "heartbeat" });
    expect(answer.send.map((e) => `${e.to} ${e.message.type}`)).toEqual(["n3 disconnect"]);
    const n3 = cluster.node("n3");
    const dropped = n3.receive("n1", { type: "disconnect" });
    expect(neighborChanges(dropped.output)).toEqual(["down n1 (disconnect)"]);
    expect(n3.passive).toContain("n1");
  });
});

describe("Plumtree's grafts", () => {
  it("a graft that gets no answer is followed, graftRetryTicks later, by one to the next member that announced the broadcast", () => {
    const config = resolveOverlayConfig();
    let now = 0;
    const sent: string[] = [];
    const tree = new Plumtree(config, {
      get now() {
        return now;
      },
      send: (to, m) => sent.push(`${to} ${m.type}`),
      deliver: () => undefined,
      isNeighbor: () => true,
    });
    tree.receive("n2", { type: "iHave", id: ["n9", 1, 0], round: 1 });
    tree.receive("n3", { type: "iHave", id: ["n9", 1, 0], round: 2 });
    const tickTo = (t: number) => {
      while (now < t) now++, tree.tick();
    };
    tickTo(config.graftTimeoutTicks);
    expect(sent).toEqual(["n2 graft"]); // the first announcer; its answer is lost
    tickTo(config.graftTimeoutTicks + config.graftRetryTicks - 1);
    expect(sent).toEqual(["n2 graft"]);
    tickTo(config.graftTimeoutTicks + config.graftRetryTicks);
    expect(sent).toEqual(["n2 graft", "n3 graft"]);
    expect(tree.eager.has("n2") && tree.eager.has("n3")).toBe(true);
  });
});

describe("the Basalt sampler (eclipse defence)", () => {
  it("holds the same ids however often each is offered: pushing one's id a thousand times gains no slot", () => {
    const ids = nodeIds(200);
    const once = new BasaltSampler(30, createRng(5));
    const flooded = new BasaltSampler(30, createRng(5));
    for (const id of ids) once.offer(id);
    for (const id of ids) flooded.offer(id);
    for (let i = 0; i < 1000; i++) for (const id of ids.slice(0, 20)) flooded.offer(id);
    expect(flooded.ids()).toEqual(once.ids());
    // Roughly its share of slots: the first 20 of 200 ids (10%) hold few of the 30 slots.
    expect(once.ids().filter((id) => ids.indexOf(id) < 20).length).toBeLessThanOrEqual(8);
  });

  it("a full active view with the defence takes a high-priority request only from a member the sampler holds", () => {
    const members = nodeIds(60);
    const node = new OverlayNode({ id: "n1", members, rng: createRng(3), recovered: FRESH_STATE }, { basalt: true, activeSize: 2, seeds: ["n2"] });
    node.receive("n2", { type: "connect" });
    node.receive("n3", { type: "neighbor", priority: "low" });
    expect(node.active).toEqual(["n2", "n3"]);
    for (const id of members.slice(3)) node.receive(id, { type: "shuffleReply", nodes: [id] });
    const outsider = members.slice(3).find((id) => !node.passive.includes(id)) as string;
    const answer = node.receive(outsider, { type: "neighbor", priority: "high" });
    expect(answer.send.map((e) => e.message)).toEqual([{ type: "neighborReply", accepted: false }]);
    const sampled = node.passive[0] as string;
    node.receive(sampled, { type: "neighbor", priority: "high" });
    expect(node.active).toContain(sampled);
  });

  it("a link's rank is the same at both ends and spreads over the 32-bit range", () => {
    const ids = nodeIds(100);
    for (const a of ids.slice(0, 10)) for (const b of ids) expect(linkRank(a, b)).toBe(linkRank(b, a));
    const ranks = ids.slice(1).map((b) => linkRank("n1", b));
    expect(new Set(ranks).size).toBe(ranks.length);
    expect(ranks.filter((r) => r < 2 ** 31).length).toBeGreaterThan(30);
    expect(ranks.filter((r) => r < 2 ** 31).length).toBeLessThan(70);
  });

  it("a full active view with the active view's defence evicts its worst link, and only for a member of better-ranked link, whatever the priority asked", () => {
    const members = nodeIds(60);
    const node = new OverlayNode({ id: "n1", members, rng: createRng(3), recovered: FRESH_STATE }, { basalt: true, activeDefence: true, activeSize: 2, seeds: ["n2"] });
    for (const id of members.slice(1)) node.receive(id, { type: "shuffleReply", nodes: [id] });
    const byRank = [...node.passive].sort((a, b) => linkRank("n1", a) - linkRank("n1", b));
    const [best, second, third, worse] = [0, 1, 2, byRank.length - 1].map((i) => byRank[i] as string) as [string, string, string, string];
    node.receive(third, { type: "neighbor", priority: "low" });
    node.receive(second, { type: "neighbor", priority: "low" });
    expect([...node.active].sort()).toEqual([second, third].sort());
    // A sampled member whose link ranks worse than both is refused even at high priority.
    const refused = node.receive(worse, { type: "neighbor", priority: "high" });
    expect(refused.send.map((e) => e.message)).toEqual([{ type: "neighborReply", accepted: false }]);
    // The best-ranked one is taken at low priority, evicting the worst link (not a random one).
    const taken = node.receive(best, { type: "neighbor", priority: "low" });
    expect(taken.send.map((e) => [e.to, e.message.type])).toEqual([
      [third, "disconnect"],
      [best, "neighborReply"],
    ]);
    expect([...node.active].sort()).toEqual([best, second].sort());
    // Sampled or not, a member whose link ranks worse than the view's worst is refused, whatever the priority.
    const worstKept = Math.max(linkRank("n1", best), linkRank("n1", second));
    const outsider = members.slice(1).find((id) => !node.passive.includes(id) && !node.active.includes(id) && linkRank("n1", id) > worstKept) as string;
    expect(outsider).toMatch(/^n/);
    expect(node.receive(outsider, { type: "neighbor", priority: "high" }).send.map((e) => e.message)).toEqual([{ type: "neighborReply", accepted: false }]);
  });
});

describe("admission (isAdmitted)", () => {
  it("members not admitted are refused in joins, walks, neighbour requests and shuffles, counted by message type, and never enter a view", () => {
    const members = nodeIds(6);
    const admitted = (peer: string) => peer !== "n5" && peer !== "n6";
    const node = new OverlayNode({ id: "n1", members, rng: createRng(1), recovered: FRESH_STATE }, { ...QUIET, isAdmitted: admitted });
    expect(node.receive("n5", { type: "join" }).send).toEqual([]);
    expect(node.receive("n6", { type: "neighbor", priority: "high" }).send).toEqual([]);
    node.receive("n6", { type: "shuffle", origin: "n6", ttl: 0, nodes: ["n6", "n2"] });
    node.receive("n2", { type: "join" });
    node.receive("n2", { type: "forwardJoin", joiner: "n5", ttl: 0 });
    node.receive("n2", { type: "shuffle", origin: "n2", ttl: 0, nodes: ["n5", "n3", "n6"] });
    expect(node.active).toEqual(["n2"]);
    expect(node.passive).toEqual(["n3"]);
    const { join, neighbor, shuffle, forwardJoin } = node.hyparview.counters.notAdmitted;
    expect({ join, neighbor, shuffle, forwardJoin }).toEqual({ join: 1, neighbor: 1, shuffle: 3, forwardJoin: 1 });
  });

  it("Plumtree's messages from a member not admitted are dropped and counted: no delivery, no graft answered, no announcement kept, no epoch moved", () => {
    const members = nodeIds(6);
    const node = new OverlayNode({ id: "n1", members, rng: createRng(1), recovered: FRESH_STATE }, { ...QUIET, isAdmitted: (peer) => peer !== "n5" });
    node.receive("n2", { type: "join" });
    const mine = node.request({ type: "broadcast", payload: "a" });
    expect(mine.send.map((e) => [e.to, e.message.type])).toEqual([["n2", "gossip"]]);
    const epoch = node.epoch;
    // A payload from n5 is neither delivered nor pushed on.
    const payload = node.receive("n5", { type: "gossip", id: ["n5", 1, 0], round: 1, payload: "x" });
    expect([payload.output, payload.send]).toEqual([[], []]);
    expect(node.plumtree.has(["n5", 1, 0])).toBe(false);
    // Its graft of n1's broadcast gets no payload; its IHave is not remembered for a graft.
    expect(node.receive("n5", { type: "graft", id: ["n1", epoch, 0], round: 1 }).send).toEqual([]);
    node.receive("n5", { type: "iHave", id: ["n6", 1, 0], round: 1 });
    expect(node.plumtree.missingCount).toBe(0);
    // A forged broadcast id of n1's own at its epoch does not make n1 move to a new epoch.
    expect(node.receive("n5", { type: "gossip", id: ["n1", epoch, 7], round: 1, payload: "y" }).persist).toEqual([]);
    expect(node.epoch).toBe(epoch);
    node.receive("n5", { type: "prune" });
    const { gossip, iHave, graft, prune } = node.hyparview.counters.notAdmitted;
    expect({ gossip, iHave, graft, prune }).toEqual({ gossip: 2, iHave: 1, graft: 1, prune: 1 });
    // An admitted member's payload is still delivered.
    expect(node.receive("n3", { type: "gossip", id: ["n3", 1, 0], round: 1, payload: "z" }).output.map((o) => o.type)).toEqual(["deliver"]);
  });
});

describe("bad input and configuration", () => {
  it("bytes that do not decode are counted as malformed and dropped; messages from non-members or from itself are counted", () => {
    const node = new OverlayNode({ id: "n1", members: nodeIds(3), rng: createRng(1), recovered: FRESH_STATE });
    expect(node.receiveBytes("n2", new Uint8Array([0xc1, 0x00])).send).toEqual([]);
    const tooLong = overlayMessageCodec.decode(new Uint8Array(5000));
    expect(tooLong.ok).toBe(false);
    node.receiveBytes("n2", new Uint8Array(5000));
    expect(node.counters.malformed).toBe(2);
    node.receive("x9", { type: "join" });
    node.receive("n1", { type: "join" });
    expect(node.counters.unknownSender).toBe(2);
    expect(node.active).toEqual([]);
    // A walk naming a non-member is dropped and counted.
    node.receive("n2", { type: "forwardJoin", joiner: "x9", ttl: 0 });
    expect(node.hyparview.counters.unknownMember).toBe(1);
    expect(node.active).toEqual([]);
    // A payload too long is refused with an output, not an exception.
    const step = node.request({ type: "broadcast", payload: "x".repeat(2000) });
    expect(step.output[step.output.length - 1]?.type).toBe("broadcastRejected");
  });

  it("invalid settings are a ConfigError naming the field", () => {
    expect(() => resolveOverlayConfig({ activeSize: 0 })).toThrow(ConfigError);
    expect(() => resolveOverlayConfig({ passiveWalk: 7, activeWalk: 6 })).toThrow(/passiveWalk/);
    expect(() => resolveOverlayConfig({ failTicks: 5, heartbeatTicks: 5 })).toThrow(/failTicks/);
    expect(() => resolveOverlayConfig({ activeDefence: true })).toThrow(/activeDefence.*basalt/);
    expect(() => resolveOverlayConfig({ announceTicks: -1 })).toThrow(/announceTicks/);
    expect(() => resolveOverlayConfig({ isAdmitted: "yes" as unknown as () => boolean })).toThrow(/isAdmitted/);
  });

  it("the epoch is persisted in the first step; after corrupted storage a member skips ahead, and moves past an epoch of its own it hears of", () => {
    const members = nodeIds(3);
    const first = new OverlayNode({ id: "n1", members, rng: createRng(1), recovered: FRESH_STATE });
    expect(first.tick().persist).toEqual([{ epoch: 1 }]);
    const damaged = new OverlayNode({ id: "n1", members, rng: createRng(1), recovered: { records: [], corrupted: 1, tornTail: false } });
    expect(damaged.epoch).toBeGreaterThan(1 << 20);
    const before = damaged.epoch;
    const step = damaged.receive("n2", { type: "iHave", id: ["n1", before, 4], round: 1 });
    expect(step.persist).toEqual([{ epoch: before }, { epoch: before + 1 }]); // its first step: the epoch it started with, then the new one
    expect(damaged.epoch).toBe(before + 1);
    expect(step.output.some((o) => o.type === "alarm")).toBe(true);
  });

  it("a broadcast of its own above its epoch (a start whose records were lost, which may have moved on to the next epochs too) moves it a random multiple of the gap past it", () => {
    const node = new OverlayNode({ id: "n1", members: nodeIds(3), rng: createRng(1), recovered: FRESH_STATE });
    node.tick();
    node.receive("n2", { type: "iHave", id: ["n1", 7, 0], round: 1 });
    expect(node.epoch).toBeGreaterThan(8); // not 8: the lost start may have used it
    expect((node.epoch - 8) % OVERLAY_CORRUPTION_EPOCH_GAP).toBe(0);
    const skipped = node.epoch;
    node.receive("n2", { type: "iHave", id: ["n1", skipped, 0], round: 1 }); // at its epoch (its own echoed back): the next one
    expect(node.epoch).toBe(skipped + 1);
  });
});

describe("properties", () => {
  it("any size, seed, loss and crashes of up to 20% during the first rounds: once the network is clean the live members' views become symmetric and connected, and a broadcast reaches each of them exactly once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), (n, seed, loss, crashShare) => {
        const cluster = new OverlayCluster(n, { rewireIntervalTicks: 50 }, seed);
        cluster.loss = loss;
        const rng = createRng(seed).fork("crashes");
        cluster.run(20);
        const crashes = Math.floor(n * crashShare);
        for (const id of rng.shuffle([...cluster.ids]).slice(0, crashes)) cluster.down.add(id);
        cluster.run(20);
        cluster.loss = 0;
        let ticks = 0;
        while (cluster.overlayProblem() !== undefined && ticks < 400) cluster.run(1), ticks++;
        expect(cluster.overlayProblem()).toBeUndefined();
        const origin = rng.pick(cluster.live());
        cluster.broadcast(origin, "p");
        cluster.run(10);
        for (const id of cluster.live()) expect(cluster.deliveredBy(id).filter((p) => p === "p")).toEqual(["p"]);
      }),
      { seed: 19, numRuns: 60 },
    );
  });
});
