// EvidenceSpread (a part of the PBFT liveness condition after healing), fed by hand: it reports the
// correct replica that misses a conviction another holds, or that two correct replicas' halves of an
// equivocation never brought together, and stays quiet once every correct replica convicts.
import type { ClusterView, NodeId, Step } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { describe, expect, it } from "vitest";
import type { PbftOutput } from "../src/io.js";
import type { DisputeMessage, PbftMessage, ViewChange } from "../src/messages.js";
import type { PbftNode } from "../src/pbft-node.js";
import type { PbftRecord } from "../src/records.js";
import { sign } from "../src/signing.js";
import { evidenceSpreads, evidenceSpreadWatch } from "../src/simulation/evidence-spread.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

type Node = PbftNode<KvResult>;
const MEMBERS: readonly NodeId[] = ["n1", "n2", "n3", "n4"];
const EMPTY = { persist: [], send: [], output: [] } as unknown as Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

/** A stand-in for a running correct replica: its view and whom it holds proven faulty. */
const replica = (view: number, proven: NodeId[] = []): Node =>
  ({ view, halted: undefined, provenFaulty: new Map(proven.map((p) => [p, {}])) }) as unknown as Node;
const clusterView = (nodes: [NodeId, Node][], faulty: NodeId[]): ClusterView<Node, KvOp, KvResult> => ({
  nowMs: 0,
  members: MEMBERS,
  nodes: new Map(nodes),
  history: [],
  faulty: new Set(faulty),
});
const viewChange = (replica: NodeId, view: number, stableSeq: number): ViewChange =>
  sign<ViewChange>(simulationKeys.provider, simulationKeys.secretKeyOf(replica), {
    type: "viewChange",
    view,
    stableSeq,
    checkpointProof: [],
    prepared: [],
    preparedClaims: [],
    prePrepared: [],
    replica,
  });
const disputed = (forwarder: NodeId, vc: ViewChange): DisputeMessage =>
  sign<DisputeMessage>(simulationKeys.provider, simulationKeys.secretKeyOf(forwarder), { type: "dispute", statement: vc, replica: forwarder });

describe("EvidenceSpread", () => {
  it("fails while a correct replica misses a conviction another correct replica holds, and holds once all hold it", () => {
    const view = clusterView(
      [
        ["n2", replica(1, ["n1"])],
        ["n3", replica(1)],
        ["n4", replica(1, ["n1"])],
      ],
      ["n1"],
    );
    expect(evidenceSpreads(view)).toBe("n3 does not hold faulty n1 proven faulty, though n2 holds it proven faulty");
    const all = clusterView(
      [
        ["n2", replica(1, ["n1"])],
        ["n3", replica(1, ["n1"])],
        ["n4", replica(1, ["n1"])],
      ],
      ["n1"],
    );
    expect(evidenceSpreads(all)).toBeUndefined();
  });

  it("fails when two correct replicas were delivered different view-changes of a faulty replica for the view they are in and nobody convicts it", () => {
    const watch = evidenceSpreadWatch();
    const [n2, n3, n4] = [replica(1), replica(1), replica(1)];
    const view = clusterView(
      [
        ["n2", n2],
        ["n3", n3],
        ["n4", n4],
      ],
      ["n1"],
    );
    watch.afterStep?.("n2", EMPTY, view, n2, 1, viewChange("n1", 1, 8), "n1");
    expect(evidenceSpreads(view)).toBeUndefined(); // one view-change proves nothing
    watch.afterStep?.("n3", EMPTY, view, n3, 2, disputed("n4", viewChange("n1", 1, 0)), "n4");
    expect(evidenceSpreads(view)).toBe("n2 does not hold faulty n1 proven faulty, though n2 and n3 were delivered two different view-changes it signed for view 1");
  });

  it("demands nothing for the same view-change twice, a forged one, a correct signer, or once the replicas left the view", () => {
    const watch = evidenceSpreadWatch();
    const [n2, n3] = [replica(1), replica(1)];
    const view = clusterView(
      [
        ["n2", n2],
        ["n3", n3],
      ],
      ["n1"],
    );
    watch.afterStep?.("n2", EMPTY, view, n2, 1, viewChange("n1", 1, 8), "n1");
    watch.afterStep?.("n3", EMPTY, view, n3, 2, viewChange("n1", 1, 8), "n1");
    watch.afterStep?.("n3", EMPTY, view, n3, 2, { ...viewChange("n1", 1, 8), stableSeq: 16 }, "n1"); // the signature no longer fits
    watch.afterStep?.("n2", EMPTY, view, n2, 1, viewChange("n4", 1, 8), "n4");
    watch.afterStep?.("n3", EMPTY, view, n3, 2, viewChange("n4", 1, 0), "n4"); // n4 is correct
    expect(evidenceSpreads(view)).toBeUndefined();
    watch.afterStep?.("n3", EMPTY, view, n3, 2, viewChange("n1", 1, 0), "n1");
    expect(evidenceSpreads(view)).toMatch(/does not hold faulty n1 proven faulty/);
    Object.assign(n2, { view: 2 });
    Object.assign(n3, { view: 2 });
    expect(evidenceSpreads(view)).toBeUndefined(); // what they keep is at or above their view
  });
});
