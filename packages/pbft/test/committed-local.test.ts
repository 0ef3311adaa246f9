// The simulator's CommittedLocal check, fed by hand: a correct replica's commit needs q − 1 other
// replicas' commits of the same (view, sequence number, digest) delivered to it since it started.
import type { ClusterView, NodeId, Step } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { describe, expect, it } from "vitest";
import type { PbftOutput } from "../src/io.js";
import type { Commit, PbftMessage } from "../src/messages.js";
import type { PbftNode } from "../src/pbft-node.js";
import type { PbftRecord } from "../src/records.js";
import { committedLocal } from "../src/simulation/committed-local.js";

type Node = PbftNode<KvResult>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

const MEMBERS: readonly NodeId[] = ["n1", "n2", "n3", "n4"];
const D = new Uint8Array(32).fill(1);
const OTHER = new Uint8Array(32).fill(2);

/** A stand-in for a replica of 4 (q = 3): what the check reads of one. */
const replica = (): Node => ({ quorum: { quorumSize: 3 }, stableCheckpoint: 0 }) as unknown as Node;

const view = (nodes: Map<NodeId, Node | undefined>, faulty: NodeId[] = []): ClusterView<Node, KvOp, KvResult> => ({ nowMs: 0, members: MEMBERS, nodes, history: [], faulty: new Set(faulty) });

const commit = (from: NodeId, digest: Uint8Array, seq = 1, v = 0): Commit => ({ type: "commit", view: v, seq, digest, replica: from, sig: new Uint8Array(64) });

const quiet: PbftStep = { persist: [], send: [], output: [] };
const committed = (digest: Uint8Array, seq = 1, v = 0): PbftStep => ({ ...quiet, output: [{ type: "committed", view: v, seq, digest, requests: 1 }] });

describe("CommittedLocal", () => {
  it("holds when q − 1 other replicas' commits of the batch reached the replica before it commits", () => {
    const check = committedLocal();
    const n1 = replica();
    const cluster = view(new Map([["n1", n1]]));
    expect(check.afterStep?.("n1", quiet, cluster, n1, 0, commit("n2", D), "n2")).toBeUndefined();
    expect(check.afterStep?.("n1", committed(D), cluster, n1, 0, commit("n3", D), "n3")).toBeUndefined();
  });

  it("fails when a commit of another digest stands in for the last one (the faulty replica's)", () => {
    const check = committedLocal();
    const n1 = replica();
    const cluster = view(new Map([["n1", n1]]), ["n4"]);
    check.afterStep?.("n1", quiet, cluster, n1, 0, commit("n2", D), "n2");
    expect(check.afterStep?.("n1", committed(D), cluster, n1, 0, commit("n4", OTHER), "n4")).toMatch(
      /n1 committed batch 010101.* at sequence 1 in view 0 with 2 matching commits \(its own included\) of the 3 a commit needs/,
    );
  });

  it("counts a sender once, and only commits of that view and sequence number", () => {
    const check = committedLocal();
    const n1 = replica();
    const cluster = view(new Map([["n1", n1]]));
    check.afterStep?.("n1", quiet, cluster, n1, 0, commit("n2", D), "n2");
    check.afterStep?.("n1", quiet, cluster, n1, 0, commit("n2", D), "n2");
    check.afterStep?.("n1", quiet, cluster, n1, 0, commit("n3", D, 1, 1), "n3");
    expect(check.afterStep?.("n1", committed(D), cluster, n1, 0, commit("n3", D, 2), "n3")).toMatch(/with 2 matching commits/);
  });

  it("forgets what a replica heard before a restart (a new node object), and leaves faulty replicas out", () => {
    const check = committedLocal();
    const before = replica();
    check.afterStep?.("n1", quiet, view(new Map([["n1", before]])), before, 0, commit("n2", D), "n2");
    check.afterStep?.("n1", quiet, view(new Map([["n1", before]])), before, 0, commit("n3", D), "n3");
    const after = replica();
    expect(check.afterStep?.("n1", committed(D), view(new Map([["n1", after]])), after, 0)).toMatch(/with 1 matching commits/);
    const faulty = replica();
    expect(check.afterStep?.("n4", committed(D), view(new Map([["n4", faulty]]), ["n4"]), faulty, 3)).toBeUndefined();
  });
});
