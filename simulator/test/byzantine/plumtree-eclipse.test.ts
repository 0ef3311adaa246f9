import { describe, expect, it } from "vitest";
import { createRng, nodeIds, type NodeId } from "@synod/core";
import { createPlumtreeSimulation, plumtreeDefendedSimulation, type OverlayMessage, type OverlayNode } from "@synod/gossip";
import type { Adversary, AdversaryContext } from "../../src/byzantine/adversary.js";
import { chooseByzantine } from "../../src/byzantine/choose-byzantine.js";
import { eclipse, ECLIPSE_PUSH_EVERY_MS } from "../../src/byzantine/plumtree-eclipse.js";
import { byzantineStrategies } from "../../src/byzantine/strategy-names.js";
import { runSimulation } from "../../src/engine/run-simulation.js";

const members = nodeIds(10);
const colluders = ["n8", "n9", "n10"];

/** @returns a context for colluder n8 at `nowMs` that records what it emits */
function contextAt(nowMs: number, sent: Array<{ to: NodeId; message: OverlayMessage }>): AdversaryContext<OverlayMessage> {
  return { rng: createRng(1), nowMs, self: "n8", members, forge: undefined, emit: (to, message) => sent.push({ to, message }) };
}

describe("eclipse: colluding members pushing their own ids into the overlay", () => {
  it("rewrites shuffles, replies, join walks and neighbour requests, and pushes at most once per tick", () => {
    const adversary = eclipse(colluders);
    expect(adversary.permanent).toBe(true);
    const sent: Array<{ to: NodeId; message: OverlayMessage }> = [];
    const shuffle: OverlayMessage = { type: "shuffle", origin: "n8", ttl: 6, nodes: ["n8", "n1", "n2", "n3"] };
    adversary.onSend({ from: "n8", to: "n1", message: shuffle }, contextAt(0, sent));
    const [rewritten, ...pushes] = sent;
    expect(rewritten?.to).toBe("n1");
    expect(rewritten?.message).toMatchObject({ type: "shuffle", origin: "n8", ttl: 6 });
    const carried = rewritten?.message.type === "shuffle" ? rewritten.message.nodes : [];
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.every((id) => colluders.includes(id))).toBe(true);
    // The push of this tick: 2 high-priority requests and a shuffle of colluders ending at an honest member.
    expect(pushes.map((p) => p.message.type)).toEqual(["neighbor", "neighbor", "shuffle"]);
    expect(pushes.every((p) => !colluders.includes(p.to))).toBe(true);
    expect(pushes[0]?.message).toEqual({ type: "neighbor", priority: "high" });
    expect(pushes[2]?.message).toMatchObject({ type: "shuffle", origin: "n8", ttl: 0 });
    sent.length = 0;
    const ctx = contextAt(ECLIPSE_PUSH_EVERY_MS - 1, sent);
    adversary.onSend({ from: "n8", to: "n2", message: { type: "neighbor", priority: "low" } }, ctx);
    adversary.onSend({ from: "n8", to: "n3", message: { type: "forwardJoin", joiner: "n4", ttl: 3 } }, ctx);
    adversary.onSend({ from: "n8", to: "n3", message: { type: "shuffleReply", nodes: ["n1"] } }, ctx);
    adversary.onSend({ from: "n8", to: "n3", message: { type: "heartbeat" } }, ctx);
    expect(sent).toHaveLength(4);
    expect(sent[0]?.message).toEqual({ type: "neighbor", priority: "high" });
    expect(sent[1]?.message.type === "forwardJoin" && colluders.includes(sent[1].message.joiner)).toBe(true);
    expect(sent[2]?.message.type === "shuffleReply" && sent[2].message.nodes.every((id) => colluders.includes(id))).toBe(true);
    expect(sent[3]?.message).toEqual({ type: "heartbeat" });
    adversary.onSend({ from: "n8", to: "n3", message: { type: "heartbeat" } }, contextAt(ECLIPSE_PUSH_EVERY_MS, sent));
    expect(sent).toHaveLength(5 + 3);
  });

  it("is never drawn, only named, and only for the overlay: every faulty member gets it", () => {
    expect(byzantineStrategies("plumtree-defended").drawn).not.toContain("eclipse");
    expect(byzantineStrategies("plumtree").namedOnly).toContain("eclipse");
    const named = chooseByzantine("plumtree-defended", nodeIds(50), 10, 1000, "eclipse");
    expect(Object.values(named.strategies)).toEqual(Array(10).fill("eclipse"));
    expect(Object.keys(named.strategies)).toEqual(Object.keys(chooseByzantine("plumtree-defended", nodeIds(50), 10, 1000).strategies));
    expect(() => chooseByzantine("raft", nodeIds(5), 1, 1, "eclipse")).toThrow(/unknown Byzantine strategy "eclipse" for raft/);
  });

  it("the mutants' hunt, seed 1000: the defences hold 10 attackers of 50 within EclipseBounded; without them they hold far more", () => {
    const run = (defended: boolean) => {
      const choice = chooseByzantine("plumtree-defended", nodeIds(50), 10, 1000, "eclipse");
      const bad = new Set(Object.keys(choice.adversaries));
      const share = { slots: 0, held: 0 };
      const base = defended ? plumtreeDefendedSimulation : createPlumtreeSimulation();
      const target = {
        ...base,
        metrics: (view: Parameters<NonNullable<typeof base.metrics>>[0]) => {
          for (const [id, node] of view.nodes as ReadonlyMap<NodeId, OverlayNode | undefined>) {
            if (node === undefined || bad.has(id)) continue;
            share.slots += node.passive.length;
            share.held += node.passive.filter((p) => bad.has(p)).length;
          }
          return {};
        },
      };
      const result = runSimulation(target, { seed: 1000, nodes: 50, durationMs: 30_000, faults: "none", byzantine: choice.adversaries as Record<NodeId, Adversary<unknown>> });
      return { violations: result.violations.map((v) => v.invariant), passiveShare: share.held / share.slots };
    };
    const defended = run(true);
    expect(defended.violations).toEqual([]);
    expect(defended.passiveShare).toBeLessThan(1.5 * (10 / 49));
    // The attack bites: the undefended overlay's passive views are mostly attackers' (no EclipseBounded there).
    expect(run(false).passiveShare).toBeGreaterThan(2 * (10 / 49));
  });
});
