import { createRng, FRESH_STATE, nodeIds, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import { DkgNode, dkgSimulationKeys, type DkgMessage } from "../src/index.js";

/** n = 7, t = 4 (5 shares sign), f = 2: n ≥ 3f+1, 2f ≤ t, t+1 ≤ n−f; a correct dealer reveals at most t−f = 2 shares. */
const members = nodeIds(7);
const t = 4;
const faults = 2;

function participant(id: NodeId, degree = t): DkgNode {
  return new DkgNode({ id, members, rng: createRng(5).fork(id), recovered: FRESH_STATE }, { t: degree, faults, keys: dkgSimulationKeys.keysFor(id, members) });
}

type Envelope = { readonly from: NodeId; readonly to: NodeId; readonly message: DkgMessage };

/**
 * The dealer n1 and its receivers: n2 and n3 are the f colluders (they support, so they hold their
 * shares), n4 supports too, and the deals to the correct n5, n6, n7 are delayed until `deliverTo` says.
 */
function harness(degree = t) {
  const dealer = participant("n1", degree);
  const receivers = new Map(members.filter((id) => id !== "n1").map((id) => [id, participant(id, degree)]));
  const reveals = new Map<NodeId, Uint8Array>();
  const deliverTo = new Set<NodeId>(["n2", "n3", "n4"]);
  const route = (sent: readonly Envelope[]) => {
    for (const e of sent) {
      if (e.message.type === "reveal") for (const { receiver, share } of e.message.shares) reveals.set(receiver, share);
      const receiver = receivers.get(e.to);
      if (receiver === undefined || !deliverTo.has(e.to) || e.message.type !== "deal") continue;
      // The receiver's supports go back to the dealer at once.
      for (const back of receiver.receive("n1", e.message).send) if (back.to === "n1") dealer.receive(back.from, back.message);
    }
  };
  const run = (ticks: number) => {
    for (let k = 0; k < ticks; k++) route(dealer.tick().send);
  };
  return { dealer, reveals, deliverTo, run };
}

describe("DKG reveals under asynchrony (secrecy against f colluders)", () => {
  it("a correct dealer does not reveal the shares of t−f+1 slow correct receivers: the colluders' f shares plus those would be t+1 points", () => {
    const { dealer, reveals, run } = harness();
    run(60); // well past revealAfterTicks (10): n5, n6, n7 have not supported
    const colluders: NodeId[] = ["n2", "n3"];
    const known = new Set([...colluders, ...reveals.keys()]);
    expect(known.size).toBeLessThanOrEqual(t); // the old dealer revealed n5, n6, n7: 5 points of a degree-4 polynomial
    expect(reveals.size).toBe(0);
    expect(dealer.revealedShares).toBe(0);
  });

  it("once only t−f are still missing it reveals them, its dealing completes, and it never reveals more", () => {
    const { dealer, reveals, deliverTo, run } = harness();
    run(60);
    deliverTo.add("n5"); // one of the slow ones gets its deal now; n6 and n7 stay cut off
    run(60);
    expect([...reveals.keys()].sort()).toEqual(["n6", "n7"]);
    expect(dealer.revealedShares).toBe(dealer.revealBudget);
    expect(dealer.revealBudget).toBe(t - faults);
    deliverTo.add("n6").add("n7");
    run(60);
    expect(dealer.revealedShares).toBe(2);
  });

  it("with t = 2f (PBFT's 2f+1 of 3f+1, the least t that f allows) it still completes when f receivers never support: it reveals exactly those f", () => {
    const { dealer, reveals, deliverTo, run } = harness(2 * faults);
    deliverTo.add("n5"); // n6 and n7 stay silent for good
    run(120);
    expect(dealer.revealBudget).toBe(faults);
    expect([...reveals.keys()].sort()).toEqual(["n6", "n7"]);
  });
});
