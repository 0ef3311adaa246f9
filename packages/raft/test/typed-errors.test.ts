import { createRng, FRESH_STATE, SynodError } from "@synod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KvStateMachine } from "../src/kv/kv-state-machine.js";
import { RaftNode } from "../src/raft-node.js";

describe("raft public API: bad arguments raise typed errors (fast-check, seed 15)", () => {
  it("RaftNode.request with any value: a SynodError or a step, never a TypeError", () => {
    const node = new RaftNode({ ctx: { id: "n1", members: ["n1", "n2", "n3"], rng: createRng(1), recovered: FRESH_STATE }, stateMachine: new KvStateMachine() });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.constantFrom(null, undefined, 7, "propose")), (input) => {
        try {
          node.request(input as never);
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(SynodError);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
    // Before: "Cannot read properties of null (reading 'type')".
    expect(() => node.request(null as never)).toThrow(/RaftNode\.request: an input is an object with a type, got null/);
  });
});
