import { describe, expect, it } from "vitest";
import type { ClusterView, InvariantResult, Step } from "@synod/core";
import { addWins, counterSum, lwwCausal, ReplicaDocument, type CrdtMessage, type CrdtOutput, type CrdtRecord, type CrdtReplicaNode, type CrdtResult, type DocumentOp } from "../src/index.js";

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

describe("LwwCausal: a register write issued after its replica saw another must win over it", () => {
  /** n2 writes "old" late in its clock; n1 delivers it, then writes "new"; n3 delivers both. */
  function scenario(n1ObservesRemoteStamps: boolean): InvariantResult {
    const n1 = new ReplicaDocument("n1"), n2 = new ReplicaDocument("n2"), n3 = new ReplicaDocument("n3");
    for (let t = 0; t < 100; t++) n2.clock.tick();
    n1.clock.tick();
    n3.clock.tick();
    const old = n2.applyLocal({ type: "assign", value: "old" });
    if (old === undefined) throw new Error("an assign is never a no-op");
    // What a clock that ignores remote timestamps would do: n1 delivers n2's write, its clock stays behind.
    if (n1ObservesRemoteStamps) expect(n1.applyGroup(old.group).ok).toBe(true);
    else expect(n1.applyGroup({ ...old.group, register: undefined }).ok).toBe(true);
    const past = n1.updates.toWire();
    const newer = n1.applyLocal({ type: "assign", value: "new" });
    if (newer === undefined) throw new Error("an assign is never a no-op");
    expect(n3.applyGroup(old.group).ok).toBe(true);
    expect(n3.applyGroup(newer.group).ok).toBe(true);

    const invariant = lwwCausal();
    const nodes = new Map([["n3", { id: "n3", document: n3, recoveredLocalOps: [] } as unknown as CrdtReplicaNode]]);
    const at: ClusterView<CrdtReplicaNode, DocumentOp, CrdtResult> = { nowMs: 0, members: ["n1", "n2", "n3"], nodes, history: [] };
    const step = (output: CrdtOutput): Step<CrdtMessage, CrdtOutput, CrdtRecord> => ({ persist: [], send: [], output: [output] });
    expect(invariant.afterStep?.("n2", step({ type: "applied", invocation: 1, op: { type: "assign", value: "old" }, dot: old.dot, past: { vv: [], cloud: [] } }), at)).toBeUndefined();
    expect(invariant.afterStep?.("n1", step({ type: "applied", invocation: 2, op: { type: "assign", value: "new" }, dot: newer.dot, past }), at)).toBeUndefined();
    return invariant.check?.(at, "n3");
  }

  it("holds when the writer's clock moved past the write it had delivered", () => {
    expect(scenario(true)).toBeUndefined();
  });

  it("fails when the causally later write got the smaller timestamp and lost", () => {
    expect(scenario(false)).toBe(
      'n3: the register holds "old" from n2 at [100, 0], but the delivered writes no other delivered write follows are "new" from n1 (dot 1): a causally later write lost',
    );
  });
});
