import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng, FRESH_STATE, SynodError } from "@synod/core";
import { GossipNode } from "../src/index.js";

/** Runs `f`; whatever it throws must be a SynodError (never a TypeError or plain Error). */
function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(SynodError);
  }
}

const members = ["n1", "n2", "n3"];

describe("gossip public API: bad arguments raise typed errors (fast-check, seed 15)", () => {
  it("a node whose id is not a member is a ConfigError naming the members (it was a plain Error)", () => {
    expect(() => new GossipNode({ id: "n9", members, rng: createRng(1), recovered: FRESH_STATE })).toThrow(/n9 is not one of the members \(n1, n2, n3\)/);
    try {
      new GossipNode({ id: "n9", members, rng: createRng(1), recovered: FRESH_STATE });
    } catch (error) {
      expect(error).toBeInstanceOf(SynodError);
      expect((error as SynodError).code).toBe("config");
    }
  });

  it("any id and any config values: a node or a typed error; any bytes from a peer never throw", () => {
    const configValue = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.double(), fc.boolean(), fc.constant(undefined), fc.string({ maxLength: 3 }));
    const config = fc.dictionary(fc.constantFrom("probeIntervalTicks", "probeTimeoutTicks", "indirectChecks", "retransmitMult", "lifeguard", "maxPiggyback", "pushPullIntervalTicks"), configValue);
    fc.assert(
      fc.property(fc.constantFrom("n1", "n4", ""), config, fc.uint8Array({ maxLength: 48 }), (id, overrides, bytes) => {
        let node: GossipNode | undefined;
        onlyTypedErrors(() => (node = new GossipNode({ id, members, rng: createRng(2), recovered: FRESH_STATE }, overrides)));
        if (node !== undefined) expect(() => node!.receiveBytes("n2", bytes)).not.toThrow();
      }),
      { seed: 15, numRuns: 200 },
    );
  });
});
