import { describe, expect, it } from "vitest";
import type { ClusterView, Step } from "@synod/core";
import { addWins, counterSum, type CrdtMessage, type CrdtOutput, type CrdtRecord, type CrdtReplicaNode, type CrdtResult, type DocumentOp } from "../src/index.js";

const view: ClusterView<CrdtReplicaNode, DocumentOp, CrdtResult> = { nowMs: 0, members: ["n1"], nodes: new Map(), history: [] };

function applied(op: DocumentOp, counter: number): Step<CrdtMessage, CrdtOutput, CrdtRecord> {
  return { persist: [], send: [], output: [{ type: "applied", invocation: counter, op, dot: ["n1", counter], past: { vv: [["n1", counter]], cloud: [] } }] };
}

describe("the CRDT simulation's checkers", () => {
  it("AddWins and CounterSum report one dot issued for two different updates (sim seed 1127 before the fix)", () => {
    for (const invariant of [addWins(), counterSum()]) {
      expect(invariant.afterStep?.("n1", applied({ type: "assign", value: "v21" }, 30), view)).toBeUndefined();
      // The same update seen again (e.g. learnt from a restarted node's records) is fine, whatever its key order.
      expect(invariant.afterStep?.("n1", applied({ value: "v21", type: "assign" } as DocumentOp, 30), view)).toBeUndefined();
      expect(invariant.afterStep?.("n1", applied({ type: "add", element: "a" }, 30), view)).toBe(
        'dot [n1, 30] issued twice: first for assign("v21"), again for add("a")',
      );
    }
  });
});
