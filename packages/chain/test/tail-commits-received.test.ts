import { describe, expect, it } from "vitest";
import type { ClusterView } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import type { ChainNode } from "../src/chain-node.js";
import { tailCommitsReceived } from "../src/simulation/invariants.js";

/** A node as the invariant sees it: its place in the chain and its store's two counters. */
function viewOf(node: { isTail: boolean; committed: number; received: number }): ClusterView<ChainNode, KvOp, KvResult> {
  const fake = { isTail: node.isTail, configuration: { epoch: 3, members: [] }, store: { committed: node.committed, received: node.received } };
  return { nowMs: 0, members: ["n1"], nodes: new Map([["n1", fake as unknown as ChainNode]]), history: [] };
}

describe("TailCommitsReceived", () => {
  const invariant = tailCommitsReceived();

  it("holds at a tail that committed every write it holds, and at a non-tail with writes in flight", () => {
    expect(invariant.check?.(viewOf({ isTail: true, committed: 4, received: 4 }), "n1")).toBeUndefined();
    expect(invariant.check?.(viewOf({ isTail: false, committed: 1, received: 4 }), "n1")).toBeUndefined();
  });

  it("fails at a tail holding writes it has not committed (a new tail that kept its predecessor role's pending writes)", () => {
    expect(invariant.check?.(viewOf({ isTail: true, committed: 1, received: 4 }), "n1")).toBe(
      "n1 is the tail of epoch 3 but has committed 1 of the 4 writes it holds",
    );
  });
});
