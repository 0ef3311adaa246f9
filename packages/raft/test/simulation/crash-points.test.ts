import { createRng, FRESH_STATE, type Envelope } from "@synod/core";
import { describe, expect, it } from "vitest";
import { KvStateMachine } from "../../src/kv/kv-state-machine.js";
import { encodeKvCommand, encodeKvQuery, type KvReply } from "../../src/kv/kv-command.js";
import type { RaftMessage } from "../../src/messages.js";
import { RaftNode } from "../../src/raft-node.js";
import { RAFT_CRASH_POINTS, raftCrashPointOf } from "../../src/simulation/crash-points.js";

const MEMBERS = ["n1", "n2", "n3"];

/** Three nodes and a lossless in-order network; each step's crash point is recorded as "node: point". */
class Cluster {
  readonly nodes = new Map(MEMBERS.map((id, k) => [id, new RaftNode<KvReply>({ ctx: { id, members: MEMBERS, rng: createRng(k + 1), recovered: FRESH_STATE }, stateMachine: new KvStateMachine() })]));
  readonly points: string[] = [];
  private readonly wire: Envelope<RaftMessage>[] = [];

  act(id: string, run: (node: RaftNode<KvReply>) => ReturnType<RaftNode<KvReply>["tick"]>): void {
    const node = this.nodes.get(id)!;
    const step = run(node);
    const point = raftCrashPointOf(node, step);
    if (point >= 0) this.points.push(`${id}: ${RAFT_CRASH_POINTS[point]!.name}`);
    this.wire.push(...step.send);
  }

  settle(): void {
    while (this.wire.length > 0) {
      const e = this.wire.shift()!;
      this.act(e.to, (node) => node.receive(e.from, e.message));
    }
  }
}

describe("Raft's buggify crash points", () => {
  it("name the steps of an election, a replicated write and a read, in the order they happen", () => {
    const c = new Cluster();
    c.act("n1", (n) => n.request({ type: "campaign" }));
    c.settle();
    expect(c.nodes.get("n1")!.role).toBe("leader");
    // Pre-votes are not votes. The votes granted, the election won, the no-op acknowledged and
    // committed (at the first acknowledgement: 2 of 3). n2's answer to the append that carried the
    // commit index is no crash point: a commit index alone is not persisted (persistence.ts).
    expect(c.points).toEqual(["n2: vote-granted", "n3: vote-granted", "n1: elected", "n2: append-acked", "n3: append-acked", "n1: leader-committed"]);

    c.points.length = 0;
    c.act("n1", (n) => n.request({ type: "propose", data: encodeKvCommand({ client: 1, seq: 1, op: { type: "put", key: "a", value: "1" } }), tag: 1 }));
    c.settle();
    // both acknowledge the write (queued before the first answer arrives), the leader commits it;
    // the followers' answers to the commit index they were sent persist nothing
    expect(c.points).toEqual(["n2: append-acked", "n3: append-acked", "n1: leader-committed"]);

    c.points.length = 0;
    c.act("n1", (n) => n.request({ type: "read", query: encodeKvQuery("a"), tag: 2 }));
    c.settle();
    expect(c.points).toContain("n1: read-served");
  });

  it("say where each crash falls: the leader's points before its sends, the others after", () => {
    const timing = Object.fromEntries(RAFT_CRASH_POINTS.map((p) => [p.name, p.crash]));
    expect(timing).toEqual({ elected: "before-send", "leader-committed": "before-send", "vote-granted": "after-send", "append-acked": "after-send", "read-served": "after-send" });
  });
});
