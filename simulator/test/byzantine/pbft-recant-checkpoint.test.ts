import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/core";
import { pbftSimulation, sign, simulationKeys, type Checkpoint, type PbftMessage } from "@synod/pbft";
import type { Adversary, AdversaryContext } from "../../src/byzantine/adversary.js";
import { createPbftAdversary, PBFT_STRATEGIES, PBFT_TARGETED_STRATEGIES } from "../../src/byzantine/pbft-strategies.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import type { FaultEvent } from "../../src/faults/schedule.js";

const MEMBERS: readonly NodeId[] = ["n1", "n2", "n3", "n4"];

/** What the adversary emitted, by receiver, through a stand-in context for faulty n4. */
function context(): { ctx: AdversaryContext<PbftMessage>; emitted: [NodeId, PbftMessage][] } {
  const emitted: [NodeId, PbftMessage][] = [];
  const ctx = { nowMs: 0, self: "n4", members: MEMBERS, forge: undefined, emit: (to: NodeId, m: PbftMessage) => emitted.push([to, m]) };
  return { ctx: ctx as unknown as AdversaryContext<PbftMessage>, emitted };
}

const checkpoint = (seq: number, fill: number): Checkpoint =>
  sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf("n4"), { type: "checkpoint", seq, stateDigest: new Uint8Array(32).fill(fill), replica: "n4" });

describe("recant-checkpoint (aimed, never drawn)", () => {
  it("sends the second half a lie as each checkpoint's first copy, then the real one, and the first half the real ones", () => {
    const adversary = createPbftAdversary("recant-checkpoint", ["n4"]);
    expect(PBFT_TARGETED_STRATEGIES).toContain("recant-checkpoint");
    expect(PBFT_STRATEGIES as readonly string[]).not.toContain("recant-checkpoint");
    // Correct n1, n2, n3 at positions 0, 1, 2: n1 and n3 are the first half, n2 the second.
    const { ctx, emitted } = context();
    for (const to of ["n1", "n2", "n3"]) adversary.onSend({ from: "n4", to, message: checkpoint(8, 1) }, ctx);
    expect(emitted[0]).toEqual(["n1", checkpoint(8, 1)]);
    expect(emitted[2]).toEqual(["n3", checkpoint(8, 1)]);
    const lie = emitted[1]?.[1] as Checkpoint;
    expect(emitted[1]?.[0]).toBe("n2");
    expect([lie.seq, lie.replica]).toEqual([8, "n4"]);
    expect(lie.stateDigest).not.toEqual(checkpoint(8, 1).stateDigest);
    expect(lie.sig).not.toEqual(checkpoint(8, 1).sig); // signed again: a valid statement, contradicting the real one
    // The same checkpoint sent again: the real one.
    const again = context();
    adversary.onSend({ from: "n4", to: "n2", message: checkpoint(8, 1) }, again.ctx);
    expect(again.emitted).toEqual([["n2", checkpoint(8, 1)]]);
    // The next checkpoint: a lie, and the earlier real one taken back along with it.
    const next = context();
    adversary.onSend({ from: "n4", to: "n2", message: checkpoint(16, 2) }, next.ctx);
    expect(next.emitted.map(([to, m]) => [to, (m as Checkpoint).seq])).toEqual([
      ["n2", 16],
      ["n2", 8],
    ]);
    expect(next.emitted[1]?.[1]).toEqual(checkpoint(8, 1));
    expect((next.emitted[0]?.[1] as Checkpoint).stateDigest).not.toEqual(checkpoint(16, 2).stateDigest);
  });

  it("with buggify's checkpoint-dispute-forwarded point always on: the disputer dies with its dispute unsent, and its next life convicts the liar from its durable dispute", () => {
    // PBFT's point 5 (`checkpoint-dispute-forwarded`, drop-sends-then-crash) at probability 1 for the first 2 s.
    const schedule: FaultEvent[] = [{ kind: "buggify", atMs: 0, durMs: 2000, probability: 1, pointMask: 1 << 5, downMs: 50 }];
    const byzantine = { n4: createPbftAdversary("recant-checkpoint", ["n4"]) as Adversary<unknown> };
    const result = runSimulation(pbftSimulation, { seed: 2, nodes: 4, durationMs: 4000, healAtMs: 2000, schedule, byzantine });
    expect(result.violations).toEqual([]);
    expect(result.metrics["buggify:checkpoint-dispute-forwarded"]).toBeGreaterThan(0);
    expect(result.metrics.buggifyCrashes).toBe(result.metrics["buggify:checkpoint-dispute-forwarded"]);
    expect(result.metrics.provenFaulty).toBe(3); // every correct replica convicts n4
  });
});
