// The simulator's StateAgreement, ViewChangesPaced and EvidenceFound checks, fed by hand: each reports the run it
// must (the property broken) and stays quiet on the runs correct replicas make.
import type { ClusterView, NodeId, Step } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { describe, expect, it } from "vitest";
import type { PbftOutput } from "../src/io.js";
import type { Checkpoint, PbftMessage } from "../src/messages.js";
import type { PbftNode } from "../src/pbft-node.js";
import type { PbftRecord } from "../src/records.js";
import { KvService } from "../src/service.js";
import { evidenceFound, shortestOwnViewChange, stateAgreement, viewChangesPaced } from "../src/simulation/invariants.js";
import { sign } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";
import type { DisputeMessage } from "../src/messages.js";
import { resolvePbftConfig } from "../src/config.js";
import { encodeKvCommand } from "@synod/raft";

type Node = PbftNode<KvResult>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

const MEMBERS: readonly NodeId[] = ["n1", "n2", "n3", "n4"];
const TIMEOUT = 40;

/** A stand-in for a replica: what the checks read of one (its view, its ticks, its timeout). */
function replica(view = 0, ticks = 0): Node & { view: number; ticks: number } {
  return { view, ticks, halted: undefined, provenFaulty: new Map(), config: { viewChangeTimeoutTicks: TIMEOUT } } as unknown as Node & { view: number; ticks: number };
}

function clusterView(nodes: Map<NodeId, Node | undefined>, faulty: NodeId[] = []): ClusterView<Node, KvOp, KvResult> {
  return { nowMs: 0, members: MEMBERS, nodes, history: [], faulty: new Set(faulty) };
}

function step(partial: Partial<PbftStep>): PbftStep {
  return { persist: [], send: [], output: [], ...partial } as PbftStep;
}

function checkpointStep(from: NodeId, seq: number, digestByte: number): PbftStep {
  const cp: Checkpoint = { type: "checkpoint", seq, stateDigest: new Uint8Array(32).fill(digestByte), replica: from, sig: new Uint8Array(64) };
  return step({ send: MEMBERS.filter((m) => m !== from).map((to) => ({ from, to, message: cp })), output: [{ type: "committed", view: 0, seq, digest: new Uint8Array(32), requests: 1 }] });
}

describe("StateAgreement", () => {
  it("holds while correct replicas checkpoint (or install) the same state at a sequence number", () => {
    const check = stateAgreement();
    const view = clusterView(new Map());
    expect(check.afterStep?.("n1", checkpointStep("n1", 8, 1), view)).toBeUndefined();
    expect(check.afterStep?.("n2", checkpointStep("n2", 8, 1), view)).toBeUndefined();
    const installed = step({ output: [{ type: "stateTransferred", seq: 8, stateDigest: new Uint8Array(32).fill(1) }] });
    expect(check.afterStep?.("n3", installed, view)).toBeUndefined();
  });

  it("fails when a correct replica checkpoints, or installs, another state there", () => {
    const check = stateAgreement();
    const view = clusterView(new Map());
    check.afterStep?.("n1", checkpointStep("n1", 8, 1), view);
    expect(check.afterStep?.("n2", checkpointStep("n2", 8, 2), view)).toMatch(/sequence 8: n1 checkpointed state 0101.*, n2 checkpointed state 0202/);
    const other = stateAgreement();
    other.afterStep?.("n1", checkpointStep("n1", 16, 1), view);
    const installed = step({ output: [{ type: "stateTransferred", seq: 16, stateDigest: new Uint8Array(32).fill(3) }] });
    expect(other.afterStep?.("n3", installed, view)).toMatch(/n3 installed state 0303/);
  });

  it("leaves a faulty replica's checkpoints out", () => {
    const check = stateAgreement();
    const view = clusterView(new Map(), ["n4"]);
    check.afterStep?.("n4", checkpointStep("n4", 8, 9), view);
    expect(check.afterStep?.("n1", checkpointStep("n1", 8, 1), view)).toBeUndefined();
  });
});

describe("ViewChangesPaced", () => {
  /** Feed node `id` of `nodes` to the check after an event. */
  const run = (check: ReturnType<typeof viewChangesPaced>, nodes: Map<NodeId, Node | undefined>, id: NodeId, faulty: NodeId[] = []) =>
    check.check?.(clusterView(nodes, faulty), id, nodes.get(id));

  it("holds when a correct replica moves on after a full timeout in its view, and others join it at once", () => {
    const check = viewChangesPaced();
    const a = replica();
    const b = replica();
    const nodes = new Map<NodeId, Node | undefined>([["n1", a], ["n2", b]]);
    expect(run(check, nodes, "n1")).toBeUndefined();
    expect(run(check, nodes, "n2")).toBeUndefined();
    a.ticks = TIMEOUT;
    expect(run(check, nodes, "n1")).toBeUndefined();
    a.view = 1; // its timer ran out in view 0
    expect(run(check, nodes, "n1")).toBeUndefined();
    b.ticks = 3;
    b.view = 1; // joined on f + 1 view-changes, one of them n1's
    expect(run(check, nodes, "n2")).toBeUndefined();
  });

  it("fails when correct replicas change views before any correct one spent the timeout in the view left (one faulty replica's doing)", () => {
    const check = viewChangesPaced();
    const a = replica();
    const nodes = new Map<NodeId, Node | undefined>([["n1", a]]);
    run(check, nodes, "n1");
    a.ticks = 3;
    a.view = 1;
    expect(run(check, nodes, "n1")).toMatch(/n1 moved from view 0 \(after 3 ticks there\) to view 1, but no correct replica has spent 40 ticks \(the least after which it leaves a view on its own\) in view 0 or later/);
  });

  it("fails on a jump past the views correct replicas timed out in, and ignores faulty replicas' time", () => {
    const check = viewChangesPaced();
    const a = replica();
    const bad = replica();
    const nodes = new Map<NodeId, Node | undefined>([["n1", a], ["n4", bad]]);
    run(check, nodes, "n1");
    run(check, nodes, "n4", ["n4"]);
    bad.ticks = 500;
    bad.view = 5;
    expect(run(check, nodes, "n4", ["n4"])).toBeUndefined();
    a.ticks = TIMEOUT;
    run(check, nodes, "n1", ["n4"]);
    a.view = 3; // view 0 was timed out in, views 1 and 2 never were
    expect(run(check, nodes, "n1", ["n4"])).toMatch(/to view 3, but no correct replica has spent 40 ticks \(the least after which it leaves a view on its own\) in view 2 or later \(the highest such view is 0\)/);
  });

  it("a view whose primary is faulty and proven so to a correct replica may be skipped at once; a correct replica's conviction does not count", () => {
    const check = viewChangesPaced();
    const a = replica();
    const nodes = new Map<NodeId, Node | undefined>([["n1", a]]);
    run(check, nodes, "n1", ["n2"]);
    a.ticks = TIMEOUT;
    run(check, nodes, "n1", ["n2"]); // view 0 timed out: view 1 is reachable, and view 2 past n2 (view 1's primary) once n2 is proven
    (a as unknown as { provenFaulty: Map<NodeId, unknown> }).provenFaulty = new Map([["n2", {}], ["n3", {}]]);
    a.view = 2;
    expect(run(check, nodes, "n1", ["n2"])).toBeUndefined();
    // n3 (view 2's primary) is held proven but is correct: it opens no view.
    a.ticks = TIMEOUT + 1;
    a.view = 3;
    expect(run(check, nodes, "n1", ["n2"])).toMatch(/to view 3, but no correct replica has spent 40 ticks/);
  });

  it("with the slow-primary check, a view left after twice its least expectation is paced (and one left sooner is not)", () => {
    expect(shortestOwnViewChange(resolvePbftConfig({ viewChangeTimeoutTicks: 40 }))).toBe(20);
    expect(shortestOwnViewChange(resolvePbftConfig({ viewChangeTimeoutTicks: 40, replaceSlowPrimary: false }))).toBe(40);
    expect(shortestOwnViewChange(resolvePbftConfig({ viewChangeTimeoutTicks: 15 }))).toBe(15);
    const check = viewChangesPaced();
    const config = resolvePbftConfig({ viewChangeTimeoutTicks: TIMEOUT });
    const a = { ...replica(), config } as Node & { view: number; ticks: number };
    const nodes = new Map<NodeId, Node | undefined>([["n1", a]]);
    run(check, nodes, "n1");
    a.ticks = 20;
    a.view = 1;
    expect(run(check, nodes, "n1")).toBeUndefined();
    a.ticks = 39;
    a.view = 2;
    expect(run(check, nodes, "n1")).toMatch(/to view 2, but no correct replica has spent 20 ticks/);
  });

  it("takes a restarted replica at its recovered view, crediting a timeout its crash may have hidden", () => {
    const check = viewChangesPaced();
    const before = replica(0, 0);
    const nodes = new Map<NodeId, Node | undefined>([["n1", before]]);
    run(check, nodes, "n1");
    before.ticks = TIMEOUT - 1;
    run(check, nodes, "n1");
    const after = replica(1, 0); // persisted its view-change in the step that crashed it
    nodes.set("n1", after);
    expect(run(check, nodes, "n1")).toBeUndefined();
    const other = replica(0, 0);
    nodes.set("n2", other);
    run(check, nodes, "n2");
    other.view = 1;
    expect(run(check, nodes, "n2")).toBeUndefined();
  });
});

describe("KvService snapshots", () => {
  it("are canonical: a restored copy snapshots the same bytes (checkpoint digests agree after a state transfer)", () => {
    const live = new KvService();
    // A cas on a missing key fails with `value: null` in the session's result.
    live.execute(1, encodeKvCommand({ client: 1, seq: 1, op: { type: "cas", key: "a", expected: "1", value: "2" } }));
    live.execute(2, encodeKvCommand({ client: 2, seq: 1, op: { type: "put", key: "b", value: "3" } }));
    const restored = new KvService();
    restored.restore(live.snapshot());
    expect(restored.snapshot()).toEqual(live.snapshot());
  });
});

describe("EvidenceFound", () => {
  const signed = (replica: NodeId, seq: number, byte: number): Checkpoint =>
    sign<Checkpoint>(simulationKeys.provider, simulationKeys.secretKeyOf(replica), { type: "checkpoint", seq, stateDigest: new Uint8Array(32).fill(byte), replica });
  const disputed = (forwarder: NodeId, cp: Checkpoint): DisputeMessage =>
    sign<DisputeMessage>(simulationKeys.provider, simulationKeys.secretKeyOf(forwarder), { type: "dispute", statement: cp, replica: forwarder });
  /** A replica at stable checkpoint `low` that holds `proven` proven faulty. */
  const holder = (low: number, proven: NodeId[] = []): Node =>
    ({ view: 0, stableCheckpoint: low, halted: undefined, provenFaulty: new Map(proven.map((p) => [p, {}])), config: { checkpointInterval: 8 } }) as unknown as Node;

  it("fails when a correct replica handed two state digests a faulty replica signed for one checkpoint does not convict it", () => {
    const check = evidenceFound();
    const n2 = holder(0);
    const view = clusterView(new Map([["n2", n2]]), ["n1"]);
    expect(check.afterStep?.("n2", step({}), view, n2, 1, signed("n1", 8, 1), "n1")).toBeUndefined();
    expect(check.afterStep?.("n2", step({}), view, n2, 1, disputed("n3", signed("n1", 8, 2)), "n3")).toMatch(/n2 was delivered checkpoint seq 8 .* faulty n1, and does not hold it proven faulty/);
  });

  it("holds once it convicts, and demands nothing for a correct signer, a forged signature, the same digest or a checkpoint below the stable one", () => {
    const check = evidenceFound();
    const n2 = holder(0);
    const view = clusterView(new Map([["n2", n2]]), ["n1"]);
    check.afterStep?.("n2", step({}), view, n2, 1, signed("n1", 8, 1), "n1");
    expect(check.afterStep?.("n2", step({}), view, n2, 1, signed("n1", 8, 1), "n1")).toBeUndefined();
    expect(check.afterStep?.("n2", step({}), view, n2, 1, { ...signed("n1", 8, 1), stateDigest: new Uint8Array(32).fill(5) }, "n1")).toBeUndefined();
    check.afterStep?.("n2", step({}), view, n2, 1, signed("n4", 8, 1), "n4");
    expect(check.afterStep?.("n2", step({}), view, n2, 1, signed("n4", 8, 2), "n4")).toBeUndefined(); // n4 is correct: EvidenceSound's business
    const past = holder(16);
    check.afterStep?.("n2", step({}), view, past, 1, signed("n1", 8, 1), "n1");
    expect(check.afterStep?.("n2", step({}), view, past, 1, signed("n1", 8, 2), "n1")).toBeUndefined();
    const convicted = holder(0, ["n1"]);
    check.afterStep?.("n2", step({}), view, convicted, 1, signed("n1", 8, 1), "n1");
    expect(check.afterStep?.("n2", step({}), view, convicted, 1, signed("n1", 8, 2), "n1")).toBeUndefined();
  });
});
