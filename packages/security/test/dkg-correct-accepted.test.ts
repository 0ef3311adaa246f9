import type { ClusterView, NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import { correctAgreementAccepted, type DkgMessage, type DkgNode } from "../src/index.js";

/** A participant as the invariant reads it: only its count of refused agreement messages. */
function participant(refusedVotes = 0): DkgNode {
  return { refusedVotes } as unknown as DkgNode;
}

const EMPTY = { persist: [], send: [], output: [] };
const prepare: DkgMessage = { type: "prepare", view: 1, digest: new Uint8Array(32), sig: new Uint8Array(64) };

describe("CorrectAgreementAccepted", () => {
  it("a refusal on a delivery from a correct member is reported; from a faulty one, on a tick, or by a restarted node counting afresh it is not", () => {
    const nodes = new Map<NodeId, DkgNode | undefined>([
      ["n1", participant()],
      ["n2", participant()],
      ["n3", participant()],
    ]);
    const view: ClusterView<DkgNode, never, never> = { nowMs: 0, members: ["n1", "n2", "n3"], nodes, history: [] };
    const check = correctAgreementAccepted();
    const deliver = (id: NodeId, refused: number, from: NodeId | undefined, faulty?: ReadonlySet<NodeId>) => {
      const node = nodes.get(id) as DkgNode;
      (node as { refusedVotes: number }).refusedVotes = refused;
      return check.afterStep?.(id, EMPTY, faulty === undefined ? view : { ...view, faulty }, node, undefined, from === undefined ? undefined : prepare, from);
    };
    expect(deliver("n1", 0, "n2")).toBeUndefined();
    expect(deliver("n1", 1, "n2")).toBe("n1 refused a prepare of view 1 from n2, though both are correct");
    expect(deliver("n1", 1, "n3")).toBeUndefined(); // the count did not rise
    expect(deliver("n1", 2, "n3", new Set(["n3"]))).toBeUndefined(); // a faulty member's message
    expect(deliver("n1", 3, undefined)).toBeUndefined(); // not a delivery
    nodes.set("n1", participant());
    expect(deliver("n1", 0, "n2")).toBeUndefined(); // a restarted node counts from zero
  });
});
