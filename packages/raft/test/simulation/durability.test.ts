import { createRng, FRESH_STATE, type RecoveredState, type Step } from "@synod/core";
import { describe, expect, it } from "vitest";
import { KvStateMachine } from "../../src/kv/kv-state-machine.js";
import type { KvReply } from "../../src/kv/kv-command.js";
import type { RaftOutput } from "../../src/io.js";
import type { RaftMessage } from "../../src/messages.js";
import { RaftNode } from "../../src/raft-node.js";
import type { RaftRecord } from "../../src/records.js";
import { DurabilityCheck } from "../../src/simulation/durability.js";
import { NodeSlot } from "../../src/simulation/node-slots.js";
import { ShadowLog } from "../../src/simulation/shadow-log.js";

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;
const MEMBERS = ["n1", "n2", "n3"];

function node(recovered: RecoveredState<RaftRecord> = FRESH_STATE): RaftNode<KvReply> {
  return new RaftNode({ ctx: { id: "n2", members: MEMBERS, rng: createRng(7), recovered }, stateMachine: new KvStateMachine() });
}

/** The step without its records: what a node that sends before it persists would hand the driver. */
function withoutRecords(step: RaftStep): RaftStep {
  return { ...step, persist: [] };
}

/** n2 with the invariant's bookkeeping, as the simulator drives them: each step's hook, then the event check. */
class Driven {
  readonly slot = new NodeSlot("n2");
  readonly check = new DurabilityCheck();
  constructor(public node: RaftNode<KvReply>) {
    // The durable log's shadow, as CommittedEntriesDurable keeps it (a fresh node's is empty).
    this.slot.shadowNode = node;
    this.slot.shadow = new ShadowLog();
  }

  /** @returns the first problem of this step and event */
  event(step: RaftStep): string | undefined {
    this.slot.shadow?.replay(step);
    return this.check.afterStep(this.slot, "n2", step, this.node) ?? this.check.check(this.slot, this.node);
  }
}

describe("MessagesDurable and HardStateDurable", () => {
  it("a vote granted with its hard state record is durable; the same vote without it is reported at the send", () => {
    const good = new Driven(node());
    expect(good.event(good.node.receive("n1", { type: "vote", term: 1, lastIndex: 0, lastTerm: 0, transfer: false }))).toBeUndefined();
    expect(good.node.vote).toBe("n1");

    const bad = new Driven(node());
    const step = bad.node.receive("n1", { type: "vote", term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    expect(bad.event(withoutRecords(step))).toMatch(/n2 sent voteResponse to n1 in term 1 while its durable term is 0/);
  });

  it("an append acknowledged with its entries persisted is durable; acknowledged without them it is reported", () => {
    const append: RaftMessage = { type: "append", term: 1, prevIndex: 0, prevTerm: 0, entries: [{ type: "normal", term: 1, index: 1, data: new Uint8Array([1]) }], commit: 0 };
    const good = new Driven(node());
    expect(good.event(good.node.receive("n1", append))).toBeUndefined();

    const bad = new Driven(node());
    const step = bad.node.receive("n1", append);
    // Keep the hard state (term 1) and drop the entries: only the acknowledgement is unjustified.
    const hardStateOnly = { ...step, persist: step.persist.filter((r) => r.type === "hardState") };
    expect(bad.event(hardStateOnly)).toMatch(/acknowledging entry 1:1, but its durable log ends at 0/);
  });

  it("a running node whose term and vote moved without a record is reported after the event", () => {
    const d = new Driven(node());
    expect(d.event(d.node.receive("n1", { type: "vote", term: 2, lastIndex: 0, lastTerm: 0, transfer: false }))).toBeUndefined();
    d.node.receive("n3", { type: "vote", term: 3, lastIndex: 0, lastTerm: 0, transfer: false }); // its step is never honoured
    expect(d.check.check(d.slot, d.node)).toMatch(/n2 runs in term 3 with vote n3, but its durable term is 2 with vote n1/);
  });

  it("a restart that recovers the last synced vote holds; one that lost it is reported", () => {
    const d = new Driven(node());
    const step = d.node.receive("n1", { type: "vote", term: 4, lastIndex: 0, lastTerm: 0, transfer: false });
    expect(d.event(step)).toBeUndefined();
    // Recovery from exactly the synced records.
    d.node = node({ records: step.persist, corrupted: 0, tornTail: false });
    expect(d.check.check(d.slot, d.node)).toBeUndefined();
    expect(d.node.vote).toBe("n1");
    // Recovery from storage missing the vote (as if the record were never synced).
    d.node = node({ records: [{ type: "hardState", term: 4, vote: null, commit: 0 }], corrupted: 0, tornTail: false });
    expect(d.check.check(d.slot, d.node)).toMatch(/n2 recovered term 4 with vote none, but had synced term 4 with vote n1/);
  });

  it("a node halted on corrupted storage is not checked", () => {
    const d = new Driven(node());
    expect(d.event(d.node.receive("n1", { type: "vote", term: 4, lastIndex: 0, lastTerm: 0, transfer: false }))).toBeUndefined();
    d.node = node({ records: [], corrupted: 1, tornTail: false });
    expect(d.node.halted).toBeDefined();
    expect(d.check.check(d.slot, d.node)).toBeUndefined();
  });
});
