import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { sign, simulationKeys, type Checkpoint, type PbftMessage, type ViewChange } from "@synod/pbft";
import type { AdversaryContext } from "../../src/byzantine/adversary.js";
import { createPbftAdversary, PBFT_STRATEGIES, PBFT_TARGETED_STRATEGIES } from "../../src/byzantine/pbft-strategies.js";

const MEMBERS: readonly NodeId[] = ["n1", "n2", "n3", "n4"];

/** What the adversary emitted, by receiver, through a stand-in context for faulty n4. */
function context(): { ctx: AdversaryContext<PbftMessage>; emitted: [NodeId, PbftMessage][] } {
  const emitted: [NodeId, PbftMessage][] = [];
  const ctx = { nowMs: 0, self: "n4", members: MEMBERS, forge: undefined, emit: (to: NodeId, m: PbftMessage) => emitted.push([to, m]) };
  return { ctx: ctx as unknown as AdversaryContext<PbftMessage>, emitted };
}

describe("split-view-change (aimed, never drawn)", () => {
  it("splits its view-changes between the halves of the correct replicas, keeps them from the new primary, and sends the rest as they are", () => {
    const adversary = createPbftAdversary("split-view-change", ["n4"]);
    expect(PBFT_TARGETED_STRATEGIES).toContain("split-view-change");
    expect(PBFT_STRATEGIES as readonly string[]).not.toContain("split-view-change");
    expect(adversary.permanent).toBe(true);
    const viewChange = (view: number): ViewChange =>
      sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), {
        type: "viewChange",
        view,
        stableSeq: 8,
        checkpointProof: [],
        prepared: [],
        preparedClaims: [],
        prePrepared: [],
        replica: "n4",
      });
    // Correct n1, n2, n3 at positions 0, 1, 2: n1 and n3 are the first half, n2 the second.
    const { ctx, emitted } = context();
    for (const to of ["n1", "n2", "n3"]) adversary.onSend({ from: "n4", to, message: viewChange(1) }, ctx);
    expect(emitted).toEqual([
      ["n1", viewChange(1)],
      ["n3", viewChange(1)],
    ]); // none to n2, the primary of view 1
    const second = context();
    adversary.onSend({ from: "n4", to: "n2", message: viewChange(2) }, second.ctx); // the primary of view 2 is n3
    const sent = second.emitted[0]?.[1] as ViewChange;
    expect([sent.view, sent.stableSeq, sent.replica]).toEqual([2, 0, "n4"]); // re-signed as saying nothing
    const cp = sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), { type: "checkpoint", seq: 8, stateDigest: new Uint8Array(32), replica: "n4" });
    const rest = context();
    adversary.onSend({ from: "n4", to: "n2", message: cp }, rest.ctx);
    expect(rest.emitted).toEqual([["n2", cp]]);
  });
});
