import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { broadcastSimulation, runSimulation, type BroadcastTarget } from "@synod/simulator";

type BroadcastInvariant = ReturnType<BroadcastTarget["createInvariants"]>[number];

/** The reference protocol with extra invariants appended after its own. */
function withInvariants(extra: () => BroadcastInvariant[]): BroadcastTarget {
  return { ...broadcastSimulation, createInvariants: () => [...broadcastSimulation.createInvariants(), ...extra()] };
}

const options = { seed: 3, nodes: 3, durationMs: 2000, checkLiveness: false };

describe("invariant hooks", () => {
  it("pass check the changed node and afterStep the node that stepped, each with its position among the members", () => {
    const seen: string[] = [];
    let calls = 0;
    const watcher: BroadcastInvariant = {
      name: "Watcher",
      afterStep(id, _step, view, node, member) {
        calls++;
        if (node !== view.nodes.get(id)) seen.push(`afterStep ${id}`);
        if (member === undefined || view.members[member] !== id) seen.push(`afterStep ${id} at member ${String(member)}`);
        return undefined;
      },
      check(view, changed, node, member) {
        if (changed === undefined) return undefined;
        calls++;
        if (node !== view.nodes.get(changed)) seen.push(`check ${changed}`);
        if (member === undefined || view.members[member] !== changed) seen.push(`check ${changed} at member ${String(member)}`);
        return undefined;
      },
    };
    const result = runSimulation(withInvariants(() => [watcher]), { ...options, nodes: 5, faults: "all" });
    expect(result.violations).toEqual([]);
    expect(seen).toEqual([]);
    expect(calls).toBeGreaterThan(100);
  });

  it("an invariant that throws in check is a violation under its name, and the run stops there", () => {
    let calls = 0;
    const thrower: BroadcastInvariant = {
      name: "Thrower",
      check() {
        if (++calls === 50) throw new Error("boom");
        return undefined;
      },
    };
    const result = runSimulation(withInvariants(() => [thrower]), options);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]?.invariant).toBe("Thrower");
    expect(result.violations[0]?.message).toBe("invariant threw: Error: boom");
    expect(calls).toBe(50);
  });

  it("an invariant that throws in afterStep is a violation under its name; the ones after it are not called for that step", () => {
    let stepsSeenAfter = 0;
    let throwing = false;
    const first: BroadcastInvariant = {
      name: "FirstThrows",
      afterStep(id: NodeId) {
        if (id === "n2" && !throwing) {
          throwing = true;
          throw new TypeError("bad state");
        }
        return undefined;
      },
    };
    const second: BroadcastInvariant = {
      name: "Second",
      afterStep() {
        if (throwing) stepsSeenAfter++;
        return undefined;
      },
    };
    const result = runSimulation(withInvariants(() => [first, second]), options);
    expect(result.violations[0]?.invariant).toBe("FirstThrows");
    expect(result.violations[0]?.message).toBe("invariant threw: TypeError: bad state");
    expect(result.violations[0]?.node).toBe("n2");
    expect(stepsSeenAfter).toBe(0);
  });
});

describe("protocol metrics", () => {
  it("never hide a simulator counter of the same name", () => {
    const target: BroadcastTarget = { ...broadcastSimulation, metrics: () => ({ messagesSent: -1, ownMetric: 7 }) };
    const result = runSimulation(target, options);
    expect(result.metrics.messagesSent).toBeGreaterThan(0);
    expect(result.metrics["broadcast.messagesSent"]).toBe(-1);
    expect(result.metrics.ownMetric).toBe(7);
  });
});

describe("afterStepOn", () => {
  it("persist-or-output hooks skip steps that only send; every-step hooks see them, in registration order", () => {
    const calls: string[] = [];
    const every: BroadcastInvariant = {
      name: "Every",
      afterStep(_id, step) {
        calls.push(step.persist.length === 0 && step.output.length === 0 ? "every:send-only" : "every:other");
        return undefined;
      },
    };
    const some: BroadcastInvariant = {
      name: "Some",
      afterStepOn: "persist-or-output",
      afterStep(_id, step) {
        calls.push(step.persist.length === 0 && step.output.length === 0 ? "some:send-only" : "some:other");
        return undefined;
      },
    };
    const result = runSimulation(withInvariants(() => [some, every]), options);
    expect(result.violations).toEqual([]);
    expect(calls).toContain("every:send-only");
    expect(calls).not.toContain("some:send-only");
    const others = calls.filter((c) => c.endsWith(":other"));
    expect(others.length).toBeGreaterThan(10);
    // On a step both see, "Some" (registered first) runs first.
    for (let k = 0; k < others.length; k += 2) expect(others.slice(k, k + 2)).toEqual(["some:other", "every:other"]);
  });

  it("every-delivery hooks also see deliveries answered with an empty step; a delivery comes with its sender, a tick or request without", () => {
    const seen = { emptyDeliveries: 0, deliveries: 0, everyEmpty: 0, bad: [] as string[] };
    const isEmpty = (step: { persist: readonly unknown[]; send: readonly unknown[]; output: readonly unknown[] }): boolean =>
      step.persist.length === 0 && step.send.length === 0 && step.output.length === 0;
    const heard: BroadcastInvariant = {
      name: "Heard",
      afterStepOn: "every-delivery",
      afterStep(id, step, view, _node, _member, delivered, from) {
        if (delivered === undefined) {
          if (from !== undefined) seen.bad.push(`sender ${from} without a delivery`);
          return undefined;
        }
        seen.deliveries++;
        if (isEmpty(step)) seen.emptyDeliveries++;
        if (from === undefined || from === id || !view.members.includes(from)) seen.bad.push(`delivery to ${id} from ${String(from)}`);
        return undefined;
      },
    };
    const every: BroadcastInvariant = {
      name: "Every",
      afterStep(_id, step) {
        if (isEmpty(step)) seen.everyEmpty++;
        return undefined;
      },
    };
    const result = runSimulation(withInvariants(() => [heard, every]), { ...options, faults: ["duplicate"] });
    expect(result.violations).toEqual([]);
    expect(seen.bad).toEqual([]);
    expect(seen.deliveries).toBeGreaterThan(10);
    expect(seen.emptyDeliveries).toBeGreaterThan(0);
    expect(seen.everyEmpty).toBe(0);
  });

  it("an invariant covering several properties reports a violation under the property it names, and lists them all", () => {
    let checks = 0;
    const fused = (named: string): BroadcastInvariant => ({
      name: "Fused",
      covers: ["PartA", "PartB"],
      check() {
        return ++checks === 40 ? { invariant: named, message: "broken" } : undefined;
      },
    });
    const covered = runSimulation(withInvariants(() => [fused("PartB")]), options);
    expect(covered.violations).toEqual([expect.objectContaining({ invariant: "PartB", message: "broken" })]);
    expect(covered.invariants.slice(-2)).toEqual(["PartA", "PartB"]);
    expect(covered.invariants).not.toContain("Fused");
    checks = 0;
    const stray = runSimulation(withInvariants(() => [fused("Elsewhere")]), options);
    expect(stray.violations).toEqual([expect.objectContaining({ invariant: "Fused", message: "reported a violation of Elsewhere, a property it does not cover: broken" })]);
  });
});
