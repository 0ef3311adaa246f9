import { createRng, FRESH_STATE, type Envelope, type Step } from "@synod/core";
import { describe, expect, it } from "vitest";
import type { RaftOutput } from "../src/io.js";
import { KvStateMachine } from "../src/kv/kv-state-machine.js";
import { encodeKvCommand, type KvReply } from "../src/kv/kv-command.js";
import type { RaftMessage } from "../src/messages.js";
import { RaftNode } from "../src/raft-node.js";
import type { RaftRecord } from "../src/records.js";

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;
const MEMBERS = ["n1", "n2", "n3"];

/** Three nodes and a lossless in-order network; every step is kept with the node that took it. */
class Cluster {
  readonly nodes = new Map(MEMBERS.map((id, k) => [id, new RaftNode<KvReply>({ ctx: { id, members: MEMBERS, rng: createRng(k + 1), recovered: FRESH_STATE }, stateMachine: new KvStateMachine() })]));
  readonly steps: { id: string; step: RaftStep }[] = [];
  readonly disk = new Map<string, RaftRecord[]>(MEMBERS.map((id) => [id, []]));
  private readonly wire: Envelope<RaftMessage>[] = [];

  act(id: string, run: (node: RaftNode<KvReply>) => RaftStep): void {
    const step = run(this.nodes.get(id)!);
    this.steps.push({ id, step });
    this.disk.get(id)!.push(...step.persist);
    this.wire.push(...step.send);
  }

  settle(): void {
    while (this.wire.length > 0) {
      const e = this.wire.shift()!;
      this.act(e.to, (node) => node.receive(e.from, e.message));
    }
  }

  propose(seq: number): void {
    this.act("n1", (n) => n.request({ type: "propose", data: encodeKvCommand({ client: 1, seq, op: { type: "put", key: "a", value: String(seq) } }), tag: seq }));
  }

  /** @returns a cluster where n1 leads and committed one write (index 2) */
  static withOneWrite(): Cluster {
    const c = new Cluster();
    c.act("n1", (n) => n.request({ type: "campaign" }));
    c.settle();
    c.propose(1);
    c.settle();
    return c;
  }

  /** @returns the commit index `id` recovers from its records */
  recoveredCommit(id: string): number {
    const node = new RaftNode<KvReply>({ ctx: { id, members: MEMBERS, rng: createRng(9), recovered: { records: this.disk.get(id)!, corrupted: 0, tornTail: false } }, stateMachine: new KvStateMachine() });
    return node.commitIndex;
  }
}

describe("what a step persists: the commit index rides with other records", () => {
  it("a step that only advances the commit index persists nothing; the next records carry it", () => {
    const c = new Cluster();
    c.act("n1", (n) => n.request({ type: "campaign" }));
    c.settle();
    c.steps.length = 0;
    c.propose(1);
    c.settle();
    const leader = c.nodes.get("n1")!;
    expect(leader.commitIndex).toBe(2);
    // The leader's step that committed entry 2 (it applied it) wrote no record: no sync before the reply.
    const committing = c.steps.filter(({ id, step }) => id === "n1" && step.output.some((o) => o.type === "apply"));
    expect(committing.length).toBeGreaterThan(0);
    for (const { step } of committing) expect(step.persist).toEqual([]);
    // Nor did a follower's step that only learned the commit index.
    for (const { id, step } of c.steps) if (id !== "n1" && !step.persist.some((r) => r.type === "entries")) expect(step.persist).toEqual([]);
    // A crash now loses it: the leader recovers the older commit index, which its log still covers.
    expect(c.recoveredCommit("n1")).toBe(1);
    // The next proposal's records carry it, written before the entries' messages leave.
    c.steps.length = 0;
    c.propose(2);
    const [first] = c.steps;
    expect(first!.step.persist.map((r) => r.type)).toEqual(["entries", "hardState"]);
    expect(first!.step.persist[1]).toEqual({ type: "hardState", term: leader.term, vote: "n1", commit: 2 });
    expect(c.recoveredCommit("n1")).toBe(2);
  });

  it("a follower writes the commit index it learns with the entries that taught it", () => {
    const c = Cluster.withOneWrite();
    c.steps.length = 0;
    c.propose(2); // the append of entry 3 carries the leader's commit index 2, which n2 had learned without writing it
    c.settle();
    const follower = c.steps.find(({ id, step }) => id === "n2" && step.persist.some((r) => r.type === "entries"))!;
    const hard = follower.step.persist.find((r) => r.type === "hardState");
    expect(hard).toMatchObject({ type: "hardState", commit: 2 });
    expect(c.recoveredCommit("n2")).toBeGreaterThanOrEqual(2);
  });

  it("a change of term or vote is always written, with the commit index known then", () => {
    const c = Cluster.withOneWrite();
    const n2 = c.nodes.get("n2")!;
    expect(n2.commitIndex).toBe(2); // learned from an append of no entries: not written yet
    expect(c.recoveredCommit("n2")).toBe(1);
    c.steps.length = 0;
    c.act("n1", (n) => n.request({ type: "transfer-leadership", to: "n2", tag: 9 }));
    c.settle();
    expect(n2.role).toBe("leader");
    const vote = c.steps.find(({ id, step }) => id === "n2" && step.persist.some((r) => r.type === "hardState"))!;
    expect(vote.step.persist.find((r) => r.type === "hardState")).toEqual({ type: "hardState", term: 2, vote: "n2", commit: 2 });
  });
});
