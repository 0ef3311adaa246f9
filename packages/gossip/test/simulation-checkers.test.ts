import { describe, expect, it } from "vitest";
import type { NodeId, Step } from "@synod/core";
import type { GossipNode } from "../src/gossip-node.js";
import type { GossipMessage, GossipOutput, GossipRecord } from "../src/messages.js";
import { ackAnswersRequest } from "../src/simulation/ack-answers-request.js";
import { buddyCheckBeforeDeath } from "../src/simulation/buddy-check-before-death.js";
import { lossFromAnsweredProbes } from "../src/simulation/loss-from-answered-probes.js";
import { oneWayLoss, tune } from "../src/adaptive.js";
import { incarnationRules } from "../src/simulation/invariants.js";
import type { GossipView } from "../src/simulation/monitor.js";
import { TestCluster } from "./support/cluster.js";

type GossipStep = Step<GossipMessage, GossipOutput, GossipRecord>;

const step = (send: GossipStep["send"] = [], output: GossipOutput[] = []): GossipStep => ({ persist: [], send, output });
const ping = (from: NodeId, to: NodeId, seq: number) => ({ from, to, message: { type: "ping", seq, target: to, inc: 0, updates: [] } as GossipMessage });
const ack = (from: NodeId, to: NodeId, seq: number) => ({ from, to, message: { type: "ack", seq, inc: 0, updates: [] } as GossipMessage });
const viewOf = (nodes: Map<NodeId, GossipNode>): GossipView => ({ members: ["n1", "n2", "n3"], nodes, nowMs: 0 }) as unknown as GossipView;

describe("the gossip simulation's message and refutation checkers", () => {
  it("RefutationSupersedes: a real refutation of a claim above the member's incarnation goes above it; one at the claim's incarnation is reported", () => {
    const cluster = new TestCluster(3, {});
    const n1 = cluster.node("n1");
    const view = viewOf(new Map([["n1" as NodeId, n1]]));
    const rules = incarnationRules();
    const refuting = n1.receive("n2", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "suspect", member: "n1", incarnation: 5, from: "n2" }] });
    expect(refuting.output).toContainEqual({ type: "refuted", incarnation: 6, accusedIncarnation: 5 });
    expect(rules.afterStep?.("n1", refuting, view, n1, 0)).toBeUndefined();
    const atTheClaim = step([], [{ type: "refuted", incarnation: 7, accusedIncarnation: 7 }]);
    expect(rules.afterStep?.("n1", atTheClaim, view, n1, 0)).toMatchObject({ invariant: "RefutationSupersedes" });
  });

  it("AckAnswersRequest: an ack under a sequence number the receiver sent the sender in a ping or ping request holds; another (a relay's own) is reported", () => {
    const check = ackAnswersRequest();
    const view = viewOf(new Map());
    expect(check.afterStep?.("n1", step([ping("n1", "n2", 4)]), view)).toBeUndefined();
    expect(check.afterStep?.("n1", step([{ from: "n1", to: "n3", message: { type: "pingReq", seq: 9, target: "n2", nack: true, inc: 0, updates: [] } }]), view)).toBeUndefined();
    expect(check.afterStep?.("n2", step([ack("n2", "n1", 4)]), view)).toBeUndefined();
    // The relay n3 pinged n2 under its own number 1 and forwards n2's ack to n1: under 9 it answers, under 1 nothing.
    expect(check.afterStep?.("n3", step([ping("n3", "n2", 1)]), view)).toBeUndefined();
    expect(check.afterStep?.("n3", step([ack("n3", "n1", 9)]), view)).toBeUndefined();
    expect(check.afterStep?.("n3", step([ack("n3", "n1", 1)]), view)).toMatch(/n3 sent n1 an ack with sequence number 1/);
  });

  it("BuddyCheckBeforeDeath: a death on others' word after buddyChecks pings to the accused holds; after fewer it is reported, and a death by the member's own probe needs none", () => {
    const node = { config: { lifeguard: true, buddyChecks: 2 }, state: "alive" } as unknown as GossipNode;
    const view = viewOf(new Map());
    const suspected = (cause: "gossip" | "probe"): GossipOutput => ({ type: "suspected", member: "n2", incarnation: 0, previous: "alive", previousIncarnation: 0, cause });
    const death: GossipOutput = { type: "failed", member: "n2", incarnation: 0, previous: "suspect", previousIncarnation: 0, cause: "timeout" };
    const checked = buddyCheckBeforeDeath();
    expect(checked.afterStep?.("n1", step([], [suspected("gossip")]), view, node)).toBeUndefined();
    expect(checked.afterStep?.("n1", step([ping("n1", "n2", 1)]), view, node)).toBeUndefined();
    expect(checked.afterStep?.("n1", step([ping("n1", "n2", 2)]), view, node)).toBeUndefined();
    expect(checked.afterStep?.("n1", step([], [death]), view, node)).toBeUndefined();
    const once = buddyCheckBeforeDeath();
    once.afterStep?.("n1", step([], [suspected("gossip")]), view, node);
    once.afterStep?.("n1", step([ping("n1", "n2", 1), ping("n1", "n3", 2)]), view, node);
    expect(once.afterStep?.("n1", step([], [death]), view, node)).toMatch(/after 1 ping\(s\) to it since \(buddyChecks 2\)/);
    const own = buddyCheckBeforeDeath();
    own.afterStep?.("n1", step([], [suspected("probe")]), view, node);
    expect(own.afterStep?.("n1", step([], [death]), view, node)).toBeUndefined();
  });

  it("LossFromAnsweredProbes: a window's loss from its answered probes holds; one that counts the failed probes as loss is reported", () => {
    const view = viewOf(new Map());
    const base = { indirectChecks: 3, retransmitMult: 4, probeIntervalTicks: 10 };
    const window = { probes: 10, direct: 7, indirect: 1, failed: 2 };
    const tuned = (windowLoss: number | undefined, counts = window): GossipStep => {
      const reason = { ...counts, ...(windowLoss === undefined ? {} : { windowLoss }), loss: windowLoss ?? 0, members: 5 };
      return step([], [{ type: "tuned", parameter: "indirectChecks", from: 3, to: 4, reason }]);
    };
    const check = lossFromAnsweredProbes();
    expect(check.afterStep?.("n1", tuned(tune(base, undefined, { ...window, members: 5 }).windowLoss), view)).toBeUndefined();
    expect(check.afterStep?.("n1", tuned(undefined, { probes: 10, direct: 0, indirect: 0, failed: 10 }), view)).toBeUndefined();
    // Two probes of a crashed member counted as loss: (1 + 2) / 10 late instead of 1 / 8.
    expect(check.afterStep?.("n1", tuned(oneWayLoss(3 / 10)), view)).toMatch(/n1's window of 7 direct, 1 indirect and 2 failed probes measured a one-way loss of 0\.1633/);
    expect(check.afterStep?.("n1", tuned(0.1, { probes: 10, direct: 0, indirect: 0, failed: 10 }), view)).toMatch(/with no probe answered/);
  });
});
