import { createRng, encodeUnchecked, FRESH_STATE } from "@synod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Entry } from "../src/entry.js";
import { KvStateMachine } from "../src/kv/kv-state-machine.js";
import { raftMessageCodec, type RaftMessage } from "../src/messages.js";
import { RaftNode } from "../src/raft-node.js";
import { TestCluster } from "./support/cluster.js";

function freshNode(): RaftNode<unknown> {
  return new RaftNode({ ctx: { id: "n1", members: ["n1", "n2", "n3"], rng: createRng(3), recovered: FRESH_STATE }, stateMachine: new KvStateMachine() });
}

const small = fc.integer({ min: 0, max: 12 });
const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  fc.record({ type: fc.constant("normal" as const), term: small, index: fc.integer({ min: 1, max: 12 }), data: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ type: fc.constant("conf" as const), term: small, index: fc.integer({ min: 1, max: 12 }), change: fc.constant({ kind: "leave-joint" as const }) }),
);
const messageArb: fc.Arbitrary<RaftMessage> = fc.oneof(
  fc.record({ type: fc.constant("preVote" as const), term: small, lastIndex: small, lastTerm: small }),
  fc.record({ type: fc.constant("vote" as const), term: small, lastIndex: small, lastTerm: small, transfer: fc.boolean() }),
  fc.record({ type: fc.constantFrom("preVoteResponse" as const, "voteResponse" as const), term: small, granted: fc.boolean() }),
  fc.record({ type: fc.constant("append" as const), term: small, prevIndex: small, prevTerm: small, entries: fc.array(entryArb, { maxLength: 4 }), commit: small }),
  fc.record({ type: fc.constant("appendResponse" as const), term: small, index: small, reject: fc.boolean(), hintIndex: small, hintTerm: small }),
  fc.record({ type: fc.constant("heartbeat" as const), term: small, commit: small, context: small }),
  fc.record({ type: fc.constant("heartbeatResponse" as const), term: small, context: small }),
  fc.record({ type: fc.constant("timeoutNow" as const), term: small }),
  fc.record({
    type: fc.constant("snapshot" as const),
    term: small,
    snapshot: fc.record({ index: small, term: small, conf: fc.record({ voters: fc.constantFrom(["n1"], ["n2", "n2"], []), outgoing: fc.constant([]), learners: fc.constant([]) }), size: small }),
    offset: small,
    data: fc.uint8Array({ maxLength: 8 }),
  }),
  fc.record({ type: fc.constant("snapshotResponse" as const), term: small, index: small, received: small }),
);

describe("bad input from peers", () => {
  it("rejects and counts unknown senders, stale terms and malformed messages", () => {
    const node = freshNode();
    node.receive("intruder", { type: "heartbeat", term: 5, commit: 0, context: 0 });
    expect(node.metrics.rejected["unknown-sender"]).toBe(1);
    expect(node.term).toBe(0);
    node.receive("n2", { type: "heartbeat", term: 2, commit: 0, context: 0 });
    node.receive("n3", { type: "heartbeat", term: 1, commit: 0, context: 0 });
    expect(node.metrics.rejected["stale-term"]).toBe(1);
    // Entries that do not follow prevIndex, or have a term above the message's.
    node.receive("n2", { type: "append", term: 2, prevIndex: 0, prevTerm: 0, entries: [{ type: "normal", term: 3, index: 1, data: new Uint8Array() }], commit: 0 });
    node.receive("n2", { type: "append", term: 2, prevIndex: 0, prevTerm: 0, entries: [{ type: "normal", term: 1, index: 5, data: new Uint8Array() }], commit: 0 });
    expect(node.metrics.rejected.malformed).toBe(2);
    expect(node.lastIndex).toBe(0);
  });

  it("the codec refuses malformed bytes with a DecodeError", () => {
    expect(raftMessageCodec.decode(new Uint8Array([0x93, 1, 2, 3])).ok).toBe(false);
    const forged = encodeUnchecked({ type: "heartbeat", term: -1, commit: 0, context: 0 });
    const decoded = raftMessageCodec.decode(forged);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.path).toBe("term");
  });

  it("never throws on arbitrary well-typed messages from known peers (fast-check, seed 42)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("n2", "n3"), messageArb), { maxLength: 40 }), fc.array(fc.nat(3), { maxLength: 10 }), (messages, ticks) => {
        const node = freshNode();
        let t = 0;
        for (const [from, message] of messages) {
          node.receive(from, message);
          for (let i = 0; i < (ticks[t++ % Math.max(1, ticks.length)] ?? 0); i++) node.tick();
        }
        expect(node.commitIndex).toBeLessThanOrEqual(node.lastIndex);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("a node with corrupted storage refuses to run and raises an alarm once", () => {
    const node = new RaftNode({ ctx: { id: "n1", members: ["n1", "n2", "n3"], rng: createRng(1), recovered: { records: [], corrupted: 2, tornTail: false } }, stateMachine: new KvStateMachine() });
    expect(node.halted).toMatch(/corrupted/);
    const first = node.tick();
    expect(first.output).toEqual([{ type: "alarm", reason: expect.stringMatching(/refuses to run/) }]);
    expect(node.tick().output).toEqual([]);
    const step = node.receive("n2", { type: "vote", term: 9, lastIndex: 100, lastTerm: 9, transfer: false });
    expect(step.send).toEqual([]);
    expect(node.metrics.rejected.halted).toBe(1);
    expect(node.request({ type: "propose", data: new Uint8Array([1]), tag: 4 }).output[0]).toMatchObject({ type: "refused", tag: 4 });
  });

  it("recovers term, vote and log from its records after a crash", () => {
    const c = new TestCluster(3);
    c.request("n1", { type: "campaign" });
    c.stabilize();
    c.request("n1", { type: "propose", data: new Uint8Array([7]), tag: 1 });
    c.stabilize();
    const before = { term: c.node("n2").term, vote: c.node("n2").vote, last: c.node("n2").lastIndex };
    c.crash("n2");
    c.restart("n2");
    const n2 = c.node("n2");
    expect({ term: n2.term, vote: n2.vote, last: n2.lastIndex }).toEqual(before);
    // Committed entries are output again, in order, from the last snapshot on.
    const step = n2.tick();
    expect(step.output.filter((o) => o.type === "apply").map((o) => (o.type === "apply" ? o.entry.index : 0))).toEqual([1, 2].slice(0, n2.commitIndex));
  });
});

describe("configuration changes are validated when applied (etcd-io/raft#80)", () => {
  it("a follower applying an invalid committed change ignores it and says why", () => {
    const node = freshNode();
    const entries: Entry[] = [{ type: "conf", term: 1, index: 1, change: { kind: "leave-joint" } }];
    node.receive("n2", { type: "append", term: 1, prevIndex: 0, prevTerm: 0, entries, commit: 0 });
    const step = node.receive("n2", { type: "heartbeat", term: 1, commit: 1, context: 0 });
    const conf = step.output.find((o) => o.type === "conf");
    expect(conf).toMatchObject({ type: "conf", index: 1, rejected: expect.stringMatching(/not in a joint/) });
    expect(node.confState.voters).toEqual(["n1", "n2", "n3"]);
  });
});
