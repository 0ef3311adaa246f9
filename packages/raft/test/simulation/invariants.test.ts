import { nameViolation, type ClusterView, type NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import type { ConfState } from "../../src/conf-state.js";
import type { Entry } from "../../src/entry.js";
import type { RaftOutput, RaftRole } from "../../src/io.js";
import type { KvOp, KvReply, KvResult } from "../../src/kv/kv-command.js";
import type { RaftMessage } from "../../src/messages.js";
import type { RaftNode } from "../../src/raft-node.js";
import type { RaftRecord } from "../../src/records.js";
import {
  ackMatchesLeader,
  ackVerified,
  commitVerified,
  configTransitions,
  inflightAboveMatch,
  readAfterApply,
  correctPeersWellFormed,
  checkQuorumStepsDown,
  commitIndexMonotonic,
  committedEntriesDurable,
  createRaftInvariants,
  electionSafety,
  leaderLease,
  leaderLeaseCounts,
  leaseVotersBound,
  preVoteQuorum,
  leaderAppendOnly,
  leaderCompleteness,
  logMatching,
  preVoteSafety,
  termsMonotonic,
  voteOncePerTerm,
  stateMachineSafety,
  voteLease,
  type RaftInvariant,
} from "../../src/simulation/invariants.js";
import type { TestStep } from "../support/cluster.js";

/**
 * Planted violations, one scenario per invariant of createRaftInvariants: each must be reported,
 * and the same histories without the fault must not be. Every scenario runs against the
 * per-property invariants (views of createRaftInvariants reporting only their property), against
 * the set createRaftInvariants builds, and against that set handed the node each hook concerns (as
 * the simulator does), so every path is checked.
 */

/** The read-only surface of a RaftNode that the invariants use, set directly by the scenarios. */
class FakeNode {
  role: RaftRole = "follower";
  term = 0;
  vote: NodeId | undefined = undefined;
  snapshotIndex = 0;
  commitIndex = 0;
  appliedIndex = 0;
  halted: string | undefined = undefined;
  confState: ConfState;
  log: Entry[] = [];
  leader: NodeId | undefined = undefined;
  ticks = 0;
  leadTransferee: NodeId | undefined = undefined;
  leaseStartTick: number | undefined = undefined;
  metrics = { leaseReads: 0, rejected: { malformed: 0 } };
  config = { checkQuorum: true, electionTimeoutTicks: 10, adaptiveElectionTimeout: false, leaseSafetyMarginTicks: 2 };
  /** What the leader's flow control would report (RaftNode.acknowledgedInflight). */
  staleInflight: { follower: NodeId; lastIndex: number; match: number } | undefined = undefined;

  constructor(voters: readonly NodeId[]) {
    this.confState = { voters, outgoing: [], learners: [] };
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.log.length;
  }
  entryAt(index: number): Entry | undefined {
    return index <= this.snapshotIndex ? undefined : this.log[index - this.snapshotIndex - 1];
  }
  entryTerm(index: number): number | undefined {
    if (index === 0) return 0;
    return this.entryAt(index)?.term;
  }
  acknowledgedInflight(): { follower: NodeId; lastIndex: number; match: number } | undefined {
    return this.role === "leader" ? this.staleInflight : undefined;
  }
  /** Append (or overwrite from `e.index`) and return the record a real node would persist. */
  write(...entries: Entry[]): RaftRecord {
    const first = entries[0] as Entry;
    this.log.length = first.index - this.snapshotIndex - 1;
    this.log.push(...entries);
    return { type: "entries", entries };
  }
}

type View = ClusterView<RaftNode<KvReply>, KvOp, KvResult>;
const IDS = ["n1", "n2", "n3"] as const;

function entry(index: number, term: number, byte = index): Entry {
  return { type: "normal", index, term, data: new Uint8Array([byte]) };
}

function step(persist: RaftRecord[] = [], output: RaftOutput<KvReply>[] = []): TestStep {
  return { persist, send: [], output };
}

function apply(e: Entry): RaftOutput<KvReply> {
  return { type: "apply", entry: e, result: undefined };
}

/** A cluster of fake nodes and the invariant named `name`, built alone or within the full set. */
class Harness {
  readonly nodes = new Map<NodeId, FakeNode | undefined>(IDS.map((id) => [id, new FakeNode(IDS)]));
  readonly view: View = { nowMs: 0, members: IDS, nodes: this.nodes as unknown as View["nodes"], history: [] };
  readonly invariants: RaftInvariant[];

  /**
   * @param shared - build every invariant with createRaftInvariants (else only those of `make`)
   * @param passNode - hand the hooks the node they concern, as the simulator does (else they look it up)
   */
  constructor(
    shared: boolean,
    make: () => RaftInvariant[],
    private readonly passNode = false,
  ) {
    // The durability invariants (RaftDurability) need the hard state records a real node persists;
    // these fake nodes set term and vote directly, so durability has its own scenarios (durability.test.ts).
    this.invariants = shared ? createRaftInvariants().filter((inv) => inv.name !== "RaftDurability") : make();
  }

  private given(id: NodeId): RaftNode<KvReply> | undefined {
    return this.passNode ? (this.nodes.get(id) as unknown as RaftNode<KvReply> | undefined) : undefined;
  }

  node(id: NodeId): FakeNode {
    return this.nodes.get(id) as FakeNode;
  }

  /**
   * Report `step` of node `id` (answering `delivered` from `from`, as the simulator says: undefined
   * for a tick or a request), then the event; @returns the first problem found, with the invariant's name
   */
  event(id: NodeId, s: TestStep = step(), delivered?: RaftMessage, from?: NodeId): string | undefined {
    // As the simulator does: a step that only sends skips the hooks that asked for persisting or outputting steps.
    const sendOnly = s.persist.length === 0 && s.output.length === 0 && s.compact !== true;
    for (const inv of this.invariants) {
      if (sendOnly && inv.afterStepOn === "persist-or-output") continue;
      const problem = nameViolation(inv, inv.afterStep?.(id, s, this.view, this.given(id), undefined, delivered, from));
      if (problem !== undefined) return `${problem.invariant}: ${problem.message}`;
    }
    return this.checks(id);
  }

  /** Crash node `id` and restart it as `node` (an event without a step, as in the simulator); @returns the first problem */
  restart(id: NodeId, node: FakeNode): string | undefined {
    this.nodes.set(id, node);
    return this.checks(id);
  }

  private checks(id: NodeId): string | undefined {
    for (const inv of this.invariants) {
      const problem = nameViolation(inv, inv.check?.(this.view, id, this.given(id)));
      if (problem !== undefined) return `${problem.invariant}: ${problem.message}`;
    }
    return undefined;
  }
}

const MODES = [
  { mode: "alone", shared: false, passNode: false },
  { mode: "in createRaftInvariants", shared: true, passNode: false },
  { mode: "in createRaftInvariants, given their node", shared: true, passNode: true },
] as const;

describe.each(MODES)("Raft invariants ($mode)", ({ shared, passNode }) => {
  it("ElectionSafety: a second leader in a term is reported, a leader staying leader is not", () => {
    const h = new Harness(shared, () => [electionSafety()], passNode);
    Object.assign(h.node("n1"), { role: "leader", term: 2 });
    expect(h.event("n1")).toBeUndefined();
    expect(h.event("n1")).toBeUndefined();
    Object.assign(h.node("n2"), { role: "leader", term: 3 });
    expect(h.event("n2")).toBeUndefined();
    Object.assign(h.node("n3"), { role: "leader", term: 2 });
    expect(h.event("n3")).toMatch(/^ElectionSafety: two leaders in term 2: n1 and n3/);
  });

  it("ElectionSafety: holds across a crash (a restarted node leading the same term again is fine, another is not)", () => {
    const h = new Harness(shared, () => [electionSafety()], passNode);
    Object.assign(h.node("n1"), { role: "leader", term: 4 });
    expect(h.event("n1")).toBeUndefined();
    h.nodes.set("n1", undefined);
    expect(h.event("n1")).toBeUndefined();
    expect(h.restart("n1", Object.assign(new FakeNode(IDS), { role: "leader", term: 4 }))).toBeUndefined();
    Object.assign(h.node("n2"), { role: "leader", term: 4 });
    expect(h.event("n2")).toMatch(/^ElectionSafety: two leaders in term 4/);
  });

  it("LeaderAppendOnly: a leader that shrinks or rewrites its log is reported, appends are not", () => {
    const h = new Harness(shared, () => [leaderAppendOnly()], passNode);
    const n1 = Object.assign(h.node("n1"), { role: "leader", term: 1 });
    expect(h.event("n1", step([n1.write(entry(1, 1), entry(2, 1))]))).toBeUndefined();
    expect(h.event("n1", step([n1.write(entry(3, 1))]))).toBeUndefined();
    // Rewriting from index 3 (≤ its last index) in a persisted record.
    expect(h.event("n1", step([n1.write(entry(3, 1, 99))]))).toMatch(/^LeaderAppendOnly: leader n1 of term 1 rewrote its log from index 3/);

    const g = new Harness(shared, () => [leaderAppendOnly()], passNode);
    const m = Object.assign(g.node("n2"), { role: "leader", term: 1 });
    m.write(entry(1, 1), entry(2, 1));
    expect(g.event("n2")).toBeUndefined();
    m.log.length = 1; // shrinks without persisting anything
    expect(g.event("n2")).toMatch(/^LeaderAppendOnly: leader n2 of term 1 shrank its log from 2 to 1/);

    const k = new Harness(shared, () => [leaderAppendOnly()], passNode);
    const n3 = Object.assign(k.node("n3"), { role: "leader", term: 2 });
    n3.write(entry(1, 1), entry(2, 1));
    expect(k.event("n3")).toBeUndefined();
    n3.log[1] = entry(2, 2); // same length, other term at its last index
    expect(k.event("n3")).toMatch(/^LeaderAppendOnly: leader n3 of term 2 rewrote entry 2 \(term 1 → 2\)/);
  });

  it("LeaderAppendOnly: a new term or a restarted node starts afresh", () => {
    const h = new Harness(shared, () => [leaderAppendOnly()], passNode);
    const n1 = Object.assign(h.node("n1"), { role: "leader", term: 1 });
    n1.write(entry(1, 1), entry(2, 1));
    expect(h.event("n1")).toBeUndefined();
    Object.assign(n1, { role: "follower" });
    n1.log.length = 1;
    expect(h.event("n1")).toBeUndefined();
    // Elected in the next term (a campaign: one term up, its own vote).
    Object.assign(n1, { role: "leader", term: 2, vote: "n1" });
    expect(h.event("n1", step([n1.write(entry(2, 2))]))).toBeUndefined();
    expect(h.restart("n1", Object.assign(new FakeNode(IDS), { role: "leader", term: 2 }))).toBeUndefined();
  });

  it("LogMatching: two different entries at one (index, term) are reported, the same entry is not", () => {
    const h = new Harness(shared, () => [logMatching()], passNode);
    expect(h.event("n1", step([h.node("n1").write(entry(1, 1, 7), entry(2, 1, 8))]))).toBeUndefined();
    // The same entries in other objects (as after a codec round trip) are the same entries.
    expect(h.event("n2", step([h.node("n2").write(entry(1, 1, 7), entry(2, 1, 8))]))).toBeUndefined();
    expect(h.event("n3", step([h.node("n3").write(entry(1, 1, 7), entry(2, 1, 9))]))).toMatch(/^LogMatching: n3 holds a different entry at 2:1/);
  });

  it("LogMatching: an entry following another term than in another log is reported", () => {
    const h = new Harness(shared, () => [logMatching()], passNode);
    expect(h.event("n1", step([h.node("n1").write(entry(1, 1), entry(2, 2, 5))]))).toBeUndefined();
    expect(h.event("n2", step([h.node("n2").write(entry(1, 2), entry(2, 2, 5))]))).toMatch(/^LogMatching: n2: entry 2:2 follows term 2, in another log term 1/);
  });

  it("LogMatching: entries overwritten later in the same step are not recorded", () => {
    const h = new Harness(shared, () => [logMatching()], passNode);
    const n1 = h.node("n1");
    const first = n1.write(entry(1, 1, 1));
    const second = n1.write(entry(1, 2, 2));
    expect(h.event("n1", step([first, second]))).toBeUndefined();
    expect(h.event("n2", step([h.node("n2").write(entry(1, 1, 3))]))).toBeUndefined();
    expect(h.event("n3", step([h.node("n3").write(entry(1, 2, 4))]))).toMatch(/^LogMatching: n3 holds a different entry at 1:2/);
  });

  function committing(): RaftInvariant[] {
    return [stateMachineSafety(), leaderCompleteness()];
  }

  it("StateMachineSafety: different entries applied at one index are reported, the same entry is not", () => {
    const h = new Harness(shared, committing, passNode);
    expect(h.event("n1", step([], [apply(entry(1, 1, 7))]))).toBeUndefined();
    expect(h.event("n2", step([], [apply(entry(1, 1, 7))]))).toBeUndefined();
    expect(h.event("n3", step([], [apply(entry(1, 2, 7))]))).toMatch(/^StateMachineSafety: n3 applied 1:2 but 1:1 was applied there before/);
  });

  it("LeaderCompleteness: a new leader lacking a committed entry is reported", () => {
    const h = new Harness(shared, committing, passNode);
    const e = entry(1, 1);
    Object.assign(h.node("n1"), { term: 1 }).write(e);
    expect(h.event("n1", step([], [apply(e)]))).toBeUndefined();
    Object.assign(h.node("n2"), { role: "leader", term: 2 }).write(entry(1, 1));
    expect(h.event("n2")).toBeUndefined();
    Object.assign(h.node("n3"), { role: "leader", term: 3 }).write(entry(1, 3));
    expect(h.event("n3")).toMatch(/^LeaderCompleteness: leader n3 of term 3 lacks entry 1:1 committed in term 1/);
  });

  it("LeaderCompleteness: an entry committed while a current leader lacks it is reported", () => {
    const h = new Harness(shared, committing, passNode);
    Object.assign(h.node("n2"), { role: "leader", term: 2 }).write(entry(1, 2));
    expect(h.event("n2")).toBeUndefined();
    const e = entry(1, 1);
    Object.assign(h.node("n1"), { term: 1 }).write(e);
    expect(h.event("n1", step([], [apply(e)]))).toMatch(/^LeaderCompleteness: leader n2 of term 2 lacks entry 1:1 committed in term 1/);
  });

  it("CommittedEntriesDurable: an entry a leader commits while durable on a minority is reported", () => {
    const h = new Harness(shared, () => [committedEntriesDurable()], passNode);
    const leader = Object.assign(h.node("n1"), { role: "leader", term: 1 });
    expect(h.event("n1")).toBeUndefined();
    expect(h.event("n2")).toBeUndefined();
    const e = entry(1, 1);
    expect(h.event("n1", step([leader.write(e)]))).toBeUndefined();
    // Applied (committed) with only the leader's copy durable: n2's write was never persisted.
    h.node("n2").write(e);
    expect(h.event("n1", step([], [apply(e)]))).toMatch(/^CommittedEntriesDurable: when n1 committed it: committed entry 1:1 is durable only on n1/);
  });

  it("CommittedEntriesDurable: committing with a durable majority holds; losing it at a restart is reported", () => {
    const h = new Harness(shared, () => [committedEntriesDurable()], passNode);
    const leader = Object.assign(h.node("n1"), { role: "leader", term: 1 });
    expect(h.event("n1")).toBeUndefined();
    const e = entry(1, 1);
    expect(h.event("n1", step([leader.write(e)]))).toBeUndefined();
    expect(h.event("n2", step([h.node("n2").write(e)]))).toBeUndefined();
    expect(h.event("n1", step([], [apply(e)]))).toBeUndefined();
    // n2 restarts without the entry (its storage lost it): only n1 holds it now.
    expect(h.restart("n2", new FakeNode(IDS))).toMatch(/^CommittedEntriesDurable: committed entry 1:1 is durable only on n1/);
  });

  it("CommittedEntriesDurable: an entry counts against the configuration the leader had after its previous event", () => {
    const h = new Harness(shared, () => [committedEntriesDurable()], passNode);
    const leader = Object.assign(h.node("n1"), { role: "leader", term: 1, confState: { voters: ["n1"], outgoing: [], learners: [] } });
    expect(h.event("n1")).toBeUndefined(); // the event after which n1 leads a one-voter configuration
    const e = entry(1, 1);
    expect(h.event("n1", step([leader.write(e)]))).toBeUndefined();
    // The step that commits also moves n1 to three voters: the entry was committed under the one-voter configuration.
    leader.confState = { voters: [...IDS], outgoing: [], learners: [] };
    expect(h.event("n1", step([], [apply(e)]))).toBeUndefined();
    // The next entry commits under the three-voter configuration, durable on n1 only.
    const f = entry(2, 1);
    expect(h.event("n1", step([leader.write(f)]))).toBeUndefined();
    expect(h.event("n1", step([], [apply(f)]))).toMatch(/^CommittedEntriesDurable: when n1 committed it: committed entry 2:1 is durable only on n1/);
  });

  it("TermsMonotonic, VoteOncePerTerm, PreVoteSafety: a term going back, a changed vote and a pre-campaign changing the term are each reported under their own name", () => {
    const h = new Harness(shared, () => [termsMonotonic()], passNode);
    const n1 = Object.assign(h.node("n1"), { term: 3 });
    expect(h.event("n1")).toBeUndefined();
    n1.term = 2;
    expect(h.event("n1")).toMatch(/^TermsMonotonic: n1's term went back from 3 to 2/);

    const g = new Harness(shared, () => [voteOncePerTerm()], passNode);
    const n2 = Object.assign(g.node("n2"), { term: 3, vote: "n1" });
    expect(g.event("n2")).toBeUndefined();
    n2.vote = "n3";
    expect(g.event("n2")).toMatch(/^VoteOncePerTerm: n2 changed its vote in term 3 from n1 to n3/);

    const k = new Harness(shared, () => [preVoteSafety()], passNode);
    const n3 = Object.assign(k.node("n3"), { term: 3 });
    expect(k.event("n3")).toBeUndefined();
    Object.assign(n3, { role: "pre-candidate", term: 4 });
    expect(k.event("n3")).toMatch(/^PreVoteSafety: n3 changed its term from 3 to 4 while pre-campaigning/);
  });

  it("PreVoteSafety: a term adopted from a pre-vote request or a granted pre-vote is reported; real messages and campaigns are not", () => {
    const h = new Harness(shared, () => [preVoteSafety()], passNode);
    const n1 = Object.assign(h.node("n1"), { term: 3 });
    const hard = (): TestStep => step([{ type: "hardState", term: n1.term, vote: n1.vote ?? null, commit: 0 }]);
    expect(h.event("n1")).toBeUndefined();
    // A vote request of term 4: adopted, and the vote granted.
    Object.assign(n1, { term: 4, vote: "n2" });
    expect(h.event("n1", hard(), { type: "vote", term: 4, lastIndex: 0, lastTerm: 0, transfer: false })).toBeUndefined();
    // A campaign from a tick: one more, voting for itself.
    Object.assign(n1, { role: "candidate", term: 5, vote: "n1" });
    expect(h.event("n1", hard())).toBeUndefined();
    // A granted pre-vote answer ends a pre-campaign: the node campaigns, one term up.
    Object.assign(n1, { role: "pre-candidate" });
    expect(h.event("n1")).toBeUndefined();
    Object.assign(n1, { role: "candidate", term: 6, vote: "n1" });
    expect(h.event("n1", hard(), { type: "preVoteResponse", term: 6, granted: true })).toBeUndefined();
    // TimeoutNow of a higher term: the leader's term, then a campaign one above it.
    Object.assign(n1, { term: 9, vote: "n1" });
    expect(h.event("n1", hard(), { type: "timeoutNow", term: 8 })).toBeUndefined();
    // A pre-vote request for term 10 must leave the term alone.
    Object.assign(n1, { role: "follower", term: 10, vote: undefined });
    expect(h.event("n1", hard(), { type: "preVote", term: 10, lastIndex: 0, lastTerm: 0 })).toMatch(
      /^PreVoteSafety: n1's term went from 9 to 10 on a preVote of term 10/,
    );

    const g = new Harness(shared, () => [preVoteSafety()], passNode);
    const n2 = Object.assign(g.node("n2"), { role: "pre-candidate", term: 3 });
    expect(g.event("n2")).toBeUndefined();
    // Adopting the term of a granted pre-vote answer (instead of campaigning: no vote for itself).
    Object.assign(n2, { role: "follower", term: 4 });
    expect(g.event("n2", step([{ type: "hardState", term: 4, vote: null, commit: 0 }]), { type: "preVoteResponse", term: 4, granted: true })).toMatch(
      /^PreVoteSafety: n2's term went from 3 to 4 on a preVoteResponse \(granted\) of term 4/,
    );
  });

  it("TermsMonotonic, VoteOncePerTerm: a restart may recover an older (unsynced) term and vote", () => {
    const h = new Harness(shared, () => [termsMonotonic(), voteOncePerTerm(), preVoteSafety()], passNode);
    Object.assign(h.node("n1"), { term: 5, vote: "n2" });
    expect(h.event("n1")).toBeUndefined();
    expect(h.restart("n1", Object.assign(new FakeNode(IDS), { term: 4, vote: "n3" }))).toBeUndefined();
    Object.assign(h.node("n1"), { term: 5, vote: "n1" });
    expect(h.event("n1")).toBeUndefined();
  });
});

describe.each(MODES)("Raft CommitIndexMonotonic ($mode)", ({ shared, passNode }) => {
  it("a commit index that falls within a lifetime is reported; rising, staying and a restart recovering a lower one are not", () => {
    const h = new Harness(shared, () => [commitIndexMonotonic()], passNode);
    const n2 = Object.assign(h.node("n2"), { term: 2 });
    n2.write(entry(1, 1), entry(2, 2), entry(3, 2));
    n2.commitIndex = 2;
    expect(h.event("n2")).toBeUndefined();
    n2.commitIndex = 3;
    expect(h.event("n2")).toBeUndefined();
    expect(h.event("n2")).toBeUndefined();
    // A restart may come back with the commit index the hard state last carried.
    const restarted = Object.assign(new FakeNode(IDS), { term: 2, commitIndex: 1 });
    restarted.write(entry(1, 1), entry(2, 2), entry(3, 2));
    expect(h.restart("n2", restarted)).toBeUndefined();
    restarted.commitIndex = 3;
    expect(h.event("n2")).toBeUndefined();
    // A heartbeat capped at what the leader knows the follower matches must not lower it.
    restarted.commitIndex = 0;
    expect(h.event("n2")).toMatch(/^CommitIndexMonotonic: n2's commit index went back from 3 to 0/);
  });
});

describe.each(MODES)("Raft AckMatchesLeader ($mode)", ({ shared, passNode }) => {
  it("an append answer acknowledging a stale tail, or beyond the leader's log, is reported; the matching prefix is not", () => {
    const h = new Harness(shared, () => [ackMatchesLeader()], passNode);
    const leader = Object.assign(h.node("n1"), { role: "leader", term: 2 });
    leader.write(entry(1, 1), entry(2, 2));
    // n2 holds a tail of term 1 from a deposed leader beyond the entry the append verified.
    const follower = Object.assign(h.node("n2"), { term: 2 });
    follower.write(entry(1, 1), entry(2, 1), entry(3, 1));
    const ack = (index: number, to: NodeId = "n1", term = 2): TestStep => ({
      persist: [],
      send: [{ from: "n2", to, message: { type: "appendResponse", term, index, reject: false, hintIndex: 0, hintTerm: 0 } }],
      output: [],
    });
    expect(h.event("n2", ack(1))).toBeUndefined();
    expect(h.event("n2", ack(2))).toMatch(/^AckMatchesLeader: n2 acknowledged up to index 2 to n1, leader of term 2, holding term 1 there where the leader holds term 2/);
    expect(h.event("n2", ack(3))).toMatch(/^AckMatchesLeader: n2 acknowledged up to index 3 to n1, leader of term 2, whose log ends at 2/);
    // Not to the leader of that term (a follower, or a leader of another term): nothing to compare.
    expect(h.event("n2", ack(2, "n3"))).toBeUndefined();
    expect(h.event("n2", ack(2, "n1", 1))).toBeUndefined();
    // A rejection claims nothing.
    const reject: TestStep = { persist: [], send: [{ from: "n2", to: "n1", message: { type: "appendResponse", term: 2, index: 3, reject: true, hintIndex: 1, hintTerm: 1 } }], output: [] };
    expect(h.event("n2", reject)).toBeUndefined();
  });
});

describe.each(MODES)("Raft InflightAboveMatch ($mode)", ({ shared, passNode }) => {
  it("a leader still counting an acknowledged message in flight is reported, after any event of it; messages above the match are not", () => {
    const h = new Harness(shared, () => [inflightAboveMatch()], passNode);
    const leader = Object.assign(h.node("n1"), { role: "leader", term: 2 });
    leader.write(entry(1, 1), entry(2, 2));
    // n2 acknowledged up to 1; the message ending at 2 is still unanswered.
    leader.staleInflight = undefined;
    expect(h.event("n1")).toBeUndefined();
    // n2 acknowledged 2, and the window still holds the message ending at 2 (an ack freeing only what is below it).
    leader.staleInflight = { follower: "n2", lastIndex: 2, match: 2 };
    expect(h.event("n1")).toMatch(/^InflightAboveMatch: n1 \(leader of term 2\) still counts a message to n2 ending at index 2 in flight, though n2 acknowledged up to 2/);
    // A follower has no window.
    leader.role = "follower";
    expect(h.event("n1")).toBeUndefined();
  });
});

describe.each(MODES)("Raft AckVerified and CommitVerified ($mode)", ({ shared, passNode }) => {
  // n2 holds entries 1–3; the append from n1 matched entry 1 and carried entry 2: it verified up to 2.
  const append: RaftMessage = { type: "append", term: 2, prevIndex: 1, prevTerm: 1, entries: [entry(2, 2)], commit: 3 };
  const ack = (index: number, to: NodeId = "n1", reject = false): TestStep => ({
    persist: [],
    send: [{ from: "n2", to, message: { type: "appendResponse", term: 2, index, reject, hintIndex: 0, hintTerm: 0 } }],
    output: [],
  });

  it("AckVerified: an answer to an append acknowledging past what it verified and past the commit index is reported; up to either is not", () => {
    const h = new Harness(shared, () => [ackVerified()], passNode);
    const n2 = Object.assign(h.node("n2"), { term: 2 });
    n2.write(entry(1, 1), entry(2, 2), entry(3, 1));
    expect(h.event("n2", ack(2), append, "n1")).toBeUndefined();
    expect(h.event("n2", ack(3), append, "n1")).toMatch(
      /^AckVerified: n2 acknowledged up to index 3 to n1 on an append of 1 entries after index 1 \(term 2\): it verified up to 2, and n2's commit index is 0/,
    );
    // A rejection claims nothing; an answer to someone else, or on a tick, answers no append of theirs.
    expect(h.event("n2", ack(3, "n1", true), append, "n1")).toBeUndefined();
    expect(h.event("n2", ack(3, "n3"), append, "n1")).toBeUndefined();
    expect(h.event("n2", ack(3))).toBeUndefined();
    // Entries up to the commit index are committed, the same in every log (a stale append's answer).
    n2.commitIndex = 3;
    expect(h.event("n2")).toBeUndefined();
    expect(h.event("n2", ack(3), append, "n1")).toBeUndefined();
  });

  it("CommitVerified: a commit index raised by an append past what it verified is reported; up to it, unchanged, or after a restart is not", () => {
    const h = new Harness(shared, () => [commitVerified()], passNode);
    const n2 = Object.assign(h.node("n2"), { term: 2, commitIndex: 1 });
    n2.write(entry(1, 1), entry(2, 2), entry(3, 1));
    expect(h.event("n2")).toBeUndefined();
    n2.commitIndex = 2;
    expect(h.event("n2", ack(2), append, "n1")).toBeUndefined();
    // The leader's commit index is 3, but entry 3 was not in the append: it may be a stale tail.
    n2.commitIndex = 3;
    expect(h.event("n2", ack(2), append, "n1")).toMatch(
      /^CommitVerified: n2's commit index rose from 2 to 3 on an append of 1 entries after index 1 with leader commit 3: it verified only up to 2/,
    );
    // A restarted node recovers its commit index: nothing to compare it with.
    const restarted = Object.assign(new FakeNode(IDS), { term: 2, commitIndex: 3 });
    restarted.write(entry(1, 1), entry(2, 2), entry(3, 2));
    expect(h.restart("n2", restarted)).toBeUndefined();
    expect(h.event("n2", ack(2), append, "n1")).toBeUndefined();
  });
});

describe.each(MODES)("Raft ReadAfterApply ($mode)", ({ shared, passNode }) => {
  it("a read answered before its read index is applied is reported; after the step's applies reach it, or a later event's, it is not", () => {
    const h = new Harness(shared, () => [readAfterApply()], passNode);
    const n1 = Object.assign(h.node("n1"), { role: "leader", term: 2, commitIndex: 3, appliedIndex: 1 });
    n1.write(entry(1, 1), entry(2, 2), entry(3, 2));
    expect(h.event("n1")).toBeUndefined();
    const read = (index: number): RaftOutput<KvReply> => ({ type: "read", tag: 7, result: { ok: true, value: "v" }, index }) as unknown as RaftOutput<KvReply>;
    // Applied up to 1 after the last event; this step answers as of 3, then applies 2 and 3.
    expect(h.event("n1", step([], [read(3), apply(entry(2, 2)), apply(entry(3, 2))]))).toMatch(
      /^ReadAfterApply: n1 answered read 7 as of read index 3 with its state machine applied only up to 1/,
    );
    // The applies first, then the answer.
    expect(h.event("n1", step([], [apply(entry(2, 2)), apply(entry(3, 2)), read(3)]))).toBeUndefined();
    n1.appliedIndex = 3;
    expect(h.event("n1")).toBeUndefined();
    expect(h.event("n1", step([], [read(3)]))).toBeUndefined();
  });
});

describe.each(MODES)("Raft ConfigTransitions ($mode)", ({ shared, passNode }) => {
  const simple = (...voters: NodeId[]): ConfState => ({ voters, outgoing: [], learners: [] });
  const joint = (voters: NodeId[], outgoing: NodeId[]): ConfState => ({ voters, outgoing, learners: [] });
  const conf = (index: number, c: ConfState, rejected?: string): RaftOutput<KvReply> => ({ type: "conf", index, conf: c, ...(rejected === undefined ? {} : { rejected }) });

  it("simple → joint(new, old) → new is not reported; joint from joint, or leaving a joint configuration for another than its incoming half, is", () => {
    const h = new Harness(shared, () => [configTransitions()], passNode);
    const n2 = h.node("n2");
    expect(h.event("n2")).toBeUndefined();
    const entered = joint(["n1", "n2"], ["n1", "n2", "n3"]);
    // Entered, then a second enter-joint met the joint configuration and was ignored (as the apply-time check does).
    expect(h.event("n2", step([], [conf(4, entered), conf(5, entered, "enter-joint while already in a joint configuration")]))).toBeUndefined();
    n2.confState = entered;
    expect(h.event("n2")).toBeUndefined();
    // The second change applied over the joint configuration: joint(n1,n3 | n1,n2) drops the old half n1,n2,n3.
    expect(h.event("n2", step([], [conf(5, joint(["n1", "n3"], ["n1", "n2"]))]))).toMatch(
      /^ConfigTransitions: n2 applied joint\(n1,n3 \| n1,n2\) at index 5 over joint\(n1,n2 \| n1,n2,n3\): a joint configuration may only become its incoming half \(joint from joint\)/,
    );
    // Leaving for the outgoing half instead of the incoming one.
    expect(h.event("n2", step([], [conf(6, simple("n1", "n2", "n3"))]))).toMatch(/^ConfigTransitions: n2 applied \{n1,n2,n3\} at index 6 over joint.*: a joint configuration may only become its incoming half$/);
    // Leaving for the incoming half, then entering again from it (within one step: judged against the step's own changes).
    expect(h.event("n2", step([], [conf(6, simple("n1", "n2")), conf(7, joint(["n3"], ["n1", "n2"]))]))).toBeUndefined();
    // A simple configuration straight to another, or to a joint one whose outgoing half is not it.
    expect(h.event("n2", step([], [conf(6, simple("n1", "n2")), conf(7, simple("n3"))]))).toMatch(/: a simple configuration may only become a joint one$/);
    expect(h.event("n2", step([], [conf(6, simple("n1", "n2")), conf(7, joint(["n3"], ["n1", "n3"]))]))).toMatch(/: the joint configuration's outgoing half is not the configuration it left$/);
  });

  it("a restarted node, or one restored from a snapshot, is judged from the configuration it recovered", () => {
    const h = new Harness(shared, () => [configTransitions()], passNode);
    const n2 = h.node("n2");
    n2.confState = joint(["n1", "n2"], ["n1", "n2", "n3"]);
    expect(h.event("n2")).toBeUndefined();
    // Restarted from a snapshot of the simple configuration n1,n2,n3: it applies the enter-joint again.
    expect(h.restart("n2", new FakeNode(IDS))).toBeUndefined();
    expect(h.event("n2", step([], [conf(4, joint(["n1", "n2"], ["n1", "n2", "n3"]))]))).toBeUndefined();
    // A snapshot installed in the step (its configuration not in the output): the next change starts the sequence anew.
    expect(h.event("n2", step([], [{ type: "restored", index: 9, term: 2 }, conf(10, joint(["n3"], ["n1"]))]))).toBeUndefined();
  });
});

describe.each(MODES)("Raft CorrectPeersWellFormed ($mode)", ({ shared, passNode }) => {
  it("a delivery a correct node counts as malformed is reported when its sender is correct, not when the sender is faulty", () => {
    const h = new Harness(shared, () => [correctPeersWellFormed()], passNode);
    const n2 = h.node("n2");
    const chunk: RaftMessage = {
      type: "snapshot",
      term: 2,
      snapshot: { index: 64, term: 2, conf: { voters: ["n1", "n2", "n3"], outgoing: [], learners: [] }, size: 97 },
      offset: 64,
      data: new Uint8Array(33),
    };
    // Delivered and accepted (or refused for any other reason): the count stays.
    expect(h.event("n2", step(), chunk, "n1")).toBeUndefined();
    n2.metrics.rejected.malformed = 1;
    expect(h.event("n2", step(), chunk, "n1")).toMatch(
      /^CorrectPeersWellFormed: n2 rejected a snapshot chunk \(snapshot 2\/64, offset 64, 33 bytes\) from n1 as malformed, though both are correct/,
    );
    // A restarted node counts from zero again; a tick rejects nothing.
    const restarted = new FakeNode(["n1", "n2", "n3"]);
    expect(h.restart("n2", restarted)).toBeUndefined();
    expect(h.event("n2")).toBeUndefined();
    // From a member the run made faulty: a Byzantine peer's bad bytes are what the counter is for.
    Object.assign(h.view, { faulty: new Set<NodeId>(["n3"]) });
    restarted.metrics.rejected.malformed = 1;
    expect(h.event("n2", step(), { type: "vote", term: 9, lastIndex: 0, lastTerm: 10, transfer: false }, "n3")).toBeUndefined();
  });
});

describe.each(MODES)("Raft CheckQuorum invariants ($mode)", ({ shared, passNode }) => {
  const sends = (from: NodeId, to: NodeId, message: RaftMessage): TestStep => ({ persist: [], send: [{ from, to, message }], output: [] });
  const preVote: RaftMessage = { type: "preVote", term: 2, lastIndex: 0, lastTerm: 0 };
  const granted: RaftMessage = { type: "preVoteResponse", term: 2, granted: true };

  it("VoteLease: a (pre-)vote granted for a higher term within the election timeout of hearing the leader is reported; after it, refused, or to a transfer it is not", () => {
    const scenario = (sinceHeard: number, answer: RaftMessage, request: RaftMessage = preVote): string | undefined => {
      const h = new Harness(shared, () => [voteLease()], passNode);
      const n2 = Object.assign(h.node("n2"), { term: 1, ticks: 3 });
      expect(h.event("n2")).toBeUndefined();
      // n2 hears leader n1's heartbeat of term 1 at tick 5.
      Object.assign(n2, { leader: "n1", ticks: 5 });
      expect(h.event("n2", sends("n2", "n1", { type: "heartbeatResponse", term: 1, context: 1 }), { type: "heartbeat", term: 1, commit: 0, context: 1 }, "n1")).toBeUndefined();
      n2.ticks = 5 + sinceHeard;
      expect(h.event("n2", step())).toBeUndefined();
      if (request.type === "vote") Object.assign(n2, { term: 2, vote: "n3", leader: undefined });
      return h.event("n2", sends("n2", "n3", answer), request, "n3");
    };
    expect(scenario(9, granted)).toMatch(/^VoteLease: n2 granted a pre-vote for term 2 to n3 9 ticks after hearing from the leader of its term 1/);
    expect(scenario(0, { type: "voteResponse", term: 2, granted: true }, { type: "vote", term: 2, lastIndex: 0, lastTerm: 0, transfer: false })).toMatch(
      /^VoteLease: n2 granted a vote for term 2 to n3 0 ticks after/,
    );
    expect(scenario(10, granted)).toBeUndefined(); // the lease is over
    expect(scenario(4, { type: "preVoteResponse", term: 1, granted: false })).toBeUndefined(); // refused
    // A campaign the leader asked for (TimeoutNow) may take the vote.
    expect(scenario(2, { type: "voteResponse", term: 2, granted: true }, { type: "vote", term: 2, lastIndex: 0, lastTerm: 0, transfer: true })).toBeUndefined();
  });

  it("VoteLease: without CheckQuorum, or after a restart (the node heard no leader in this lifetime), a grant is not reported", () => {
    const h = new Harness(shared, () => [voteLease()], passNode);
    const n2 = Object.assign(h.node("n2"), { term: 1, ticks: 3, leader: "n1" });
    n2.config = { ...n2.config, checkQuorum: false };
    expect(h.event("n2")).toBeUndefined();
    expect(h.event("n2", sends("n2", "n1", { type: "heartbeatResponse", term: 1, context: 1 }), { type: "heartbeat", term: 1, commit: 0, context: 1 }, "n1")).toBeUndefined();
    expect(h.event("n2", sends("n2", "n3", granted), preVote, "n3")).toBeUndefined();
    const restarted = Object.assign(new FakeNode(IDS), { term: 1, ticks: 1, leader: undefined });
    expect(h.restart("n2", restarted)).toBeUndefined();
    expect(h.event("n2", sends("n2", "n3", granted), preVote, "n3")).toBeUndefined();
  });

  it("CheckQuorumStepsDown: a leader that heard from no quorum for two election timeouts is reported; one that heard a quorum, is new, or started a transfer is not", () => {
    const h = new Harness(shared, () => [checkQuorumStepsDown()], passNode);
    const n1 = Object.assign(h.node("n1"), { role: "leader", term: 1, leader: "n1", ticks: 0 });
    expect(h.event("n1")).toBeUndefined();
    const heard = (from: NodeId, at: number): string | undefined => {
      n1.ticks = at;
      return h.event("n1", step(), { type: "heartbeatResponse", term: 1, context: 1 }, from);
    };
    expect(heard("n2", 5)).toBeUndefined();
    n1.ticks = 19;
    expect(h.event("n1")).toBeUndefined();
    n1.ticks = 25; // n2 heard 20 ticks ago: with n1, a quorum of 3
    expect(h.event("n1")).toBeUndefined();
    // A message of an older term does not count as heard.
    expect(h.event("n1", step(), { type: "heartbeatResponse", term: 0, context: 1 }, "n3")).toBeUndefined();
    n1.ticks = 26;
    expect(h.event("n1")).toMatch(/^CheckQuorumStepsDown: n1 still leads term 1 at tick 26, having heard from no quorum of majority n1,n2,n3 in 20 ticks \(last heard: n2@5, n3@never\)/);

    // A transfer started at tick 15 restarts the period: quiet until tick 35.
    const g = new Harness(shared, () => [checkQuorumStepsDown()], passNode);
    const m1 = Object.assign(g.node("n1"), { role: "leader", term: 1, leader: "n1", ticks: 0 });
    expect(g.event("n1")).toBeUndefined();
    expect(g.event("n1", step(), { type: "heartbeatResponse", term: 0, context: 1 }, "n2")).toBeUndefined(); // (senders are given)
    Object.assign(m1, { ticks: 15, leadTransferee: "n2" });
    expect(g.event("n1")).toBeUndefined();
    m1.ticks = 34;
    expect(g.event("n1")).toBeUndefined();
    m1.ticks = 35;
    expect(g.event("n1")).toMatch(/^CheckQuorumStepsDown: n1 still leads term 1 at tick 35/);
    // Stepping down ends it; without CheckQuorum nothing is promised.
    Object.assign(m1, { role: "follower", term: 2, leader: undefined, leadTransferee: undefined });
    expect(g.event("n1", step(), { type: "heartbeat", term: 2, commit: 0, context: 1 }, "n3")).toBeUndefined();
    const k = new Harness(shared, () => [checkQuorumStepsDown()], passNode);
    const k1 = Object.assign(k.node("n1"), { role: "leader", term: 1, leader: "n1", ticks: 0 });
    k1.config = { ...k1.config, checkQuorum: false };
    expect(k.event("n1")).toBeUndefined();
    k1.ticks = 100;
    expect(k.event("n1")).toBeUndefined();
    // A caller that hands deliveries without their senders gets no verdict (it cannot say what was heard).
    const u = new Harness(shared, () => [checkQuorumStepsDown()], passNode);
    const u1 = Object.assign(u.node("n1"), { role: "leader", term: 1, leader: "n1", ticks: 0 });
    expect(u.event("n1")).toBeUndefined();
    expect(u.event("n1", step(), { type: "heartbeatResponse", term: 1, context: 1 })).toBeUndefined();
    u1.ticks = 100;
    expect(u.event("n1")).toBeUndefined();
  });
});

describe.each(MODES)("Raft lease-read invariants ($mode)", ({ shared, passNode }) => {
  const heartbeat: RaftMessage = { type: "heartbeat", term: 1, commit: 0, context: 1 };
  const ack: TestStep = { persist: [], send: [{ from: "n2", to: "n1", message: { type: "heartbeatResponse", term: 1, context: 1 } }], output: [] };
  /**
   * Real time runs in steps of 10 ms; every node ticks once per step (`fast` twice: 5 ms apart), an
   * event each, with the view's clock set as the simulator sets it.
   */
  const run = (h: Harness, from: number, to: number, fast?: NodeId): void => {
    const view = h.view as { nowMs: number };
    for (let k = from; k <= to; k++) {
      for (const id of IDS) {
        const node = h.nodes.get(id);
        if (node === undefined) continue;
        if (id === fast) {
          view.nowMs = 10 * k - 5;
          node.ticks++;
          expect(h.event(id)).toBeUndefined();
        }
        view.nowMs = 10 * k;
        node.ticks++;
        expect(h.event(id)).toBeUndefined();
      }
    }
  };
  /** n1 leads term 1; n2 heard its heartbeat (sent at tick 3, 30 ms) at tick 3; n3 is cut off. */
  const setUp = (make: () => RaftInvariant[], fast?: NodeId): Harness => {
    const h = new Harness(shared, make, passNode);
    for (const id of IDS) expect(h.event(id)).toBeUndefined(); // boot, tick 0, at 0 ms
    Object.assign(h.node("n1"), { role: "leader", term: 1, leader: "n1" });
    Object.assign(h.node("n2"), { term: 1, leader: "n1" });
    Object.assign(h.node("n3"), { term: 1 });
    run(h, 1, 3, fast);
    expect(h.event("n2", ack, heartbeat, "n1")).toBeUndefined();
    return h;
  };
  const leaseRead = (h: Harness, start = 3): string | undefined => {
    const n1 = Object.assign(h.node("n1"), { leaseStartTick: start });
    n1.metrics.leaseReads++;
    return h.event("n1", step([], [{ type: "read", tag: 1, result: { ok: true, value: "1" } } as unknown as RaftOutput<KvReply>]));
  };

  it("LeaderLease: a lease read after a node became leader of a higher term is reported; before it, not", () => {
    const h = setUp(() => [leaderLease()]);
    run(h, 4, 6);
    expect(leaseRead(h)).toBeUndefined(); // tick 6: 3 ticks into the lease, no rival
    Object.assign(h.node("n3"), { role: "leader", term: 2, leader: "n3" }); // (the mutant's window: a lease outliving the vote leases)
    expect(h.event("n3")).toBeUndefined();
    expect(leaseRead(h)).toMatch(/^LeaderLease: n1, leader of term 1, served a read from its lease at 60 ms \(tick 6, lease from tick 3 at 30 ms, 10 − 2 ticks long\), after n3 became leader of term 2 at 60 ms/);
    expect(leaderLeaseCounts(h.view)).toEqual({ leaseReads: 2, leaseReadsJudged: 2, leaseReadsOutsideDrift: 0, leaseReadsOutsideDriftStale: 0 });
  });

  it("LeaderLease: a lease whose window holds a clock beyond the drift bound is not judged, and is counted", () => {
    // n3 ticks twice as fast as n1 (the skew fault's 2×): beyond (E − 1)/(E − M) = 9/8, so its vote
    // lease may end before n1's read lease; the same rival is not reported.
    const h = setUp(() => [leaderLease()], "n3");
    run(h, 4, 6, "n3");
    Object.assign(h.node("n3"), { role: "leader", term: 2, leader: "n3" });
    expect(h.event("n3")).toBeUndefined();
    expect(leaseRead(h)).toBeUndefined();
    expect(leaderLeaseCounts(h.view)).toEqual({ leaseReads: 1, leaseReadsJudged: 0, leaseReadsOutsideDrift: 1, leaseReadsOutsideDriftStale: 1 });
    // A lease that starts after n3's fast ticks ended is judged (the window is the lease's, not the run's).
    const later = setUp(() => [leaderLease()], "n3");
    run(later, 4, 10);
    Object.assign(later.node("n3"), { role: "leader", term: 2, leader: "n3" });
    expect(later.event("n3")).toBeUndefined();
    expect(leaseRead(later, 6)).toMatch(/^LeaderLease: n1, leader of term 1, served a read from its lease at 100 ms \(tick 10, lease from tick 6/);
  });

  it("LeaseVotersBound: a lease read when the leader and the voters still in their vote lease make no quorum is reported", () => {
    const h = setUp(() => [leaseVotersBound()]);
    run(h, 4, 12);
    expect(leaseRead(h)).toBeUndefined(); // n2 heard n1 9 ticks ago: n1, n2 are a quorum
    run(h, 13, 13);
    expect(leaseRead(h)).toMatch(/^LeaseVotersBound: n1, leader of term 1, served a read from its lease at 130 ms \(tick 13, lease from tick 3 at 30 ms, 10 − 2 ticks long\), while only n1 of majority n1,n2,n3 were bound by their vote lease to it \(n2: heard it 10 ticks ago; n3: term 1, leader undefined\)/);
  });

  it("LeaseVotersBound: a voter that is down, or restarted less than an election timeout ago, is bound (the restart lease); one that left the term is not", () => {
    const h = setUp(() => [leaseVotersBound()]);
    h.nodes.set("n2", undefined);
    expect(h.restart("n2", undefined as unknown as FakeNode)).toBeUndefined();
    run(h, 4, 5);
    expect(leaseRead(h)).toBeUndefined();
    expect(h.restart("n2", Object.assign(new FakeNode(IDS), { term: 1 }))).toBeUndefined();
    run(h, 6, 14);
    expect(leaseRead(h, 13)).toBeUndefined(); // n2 restarted at 50 ms, 9 ticks ago
    run(h, 15, 15);
    expect(leaseRead(h, 13)).toMatch(/^LeaseVotersBound: .*\(n2: term 1, leader undefined; n3: term 1, leader undefined\)/);
    // A voter that adopted a later term (a forced campaign of a transfer) is not bound, even freshly heard.
    const g = setUp(() => [leaseVotersBound()]);
    Object.assign(g.node("n2"), { term: 2, leader: undefined });
    expect(g.event("n2")).toBeUndefined();
    expect(leaseRead(g)).toMatch(/^LeaseVotersBound: .*\(n2: term 2, leader undefined; n3: term 1, leader undefined\)/);
  });
});

describe.each(MODES)("Raft PreVoteQuorum ($mode)", ({ shared, passNode }) => {
  const grant = (term: number, granted = true): RaftMessage => ({ type: "preVoteResponse", term, granted });
  const vote: RaftMessage = { type: "voteResponse", term: 1, granted: true };

  it("a pre-candidate that campaigns without granted pre-votes from a quorum is reported; with them it is not (a transfer campaigns from a follower, not a pre-candidate)", () => {
    const scenario = (answers: [NodeId, RaftMessage][]): string | undefined => {
      const h = new Harness(shared, () => [preVoteQuorum()], passNode);
      const n1 = Object.assign(h.node("n1"), { term: 1 });
      expect(h.event("n1")).toBeUndefined();
      expect(h.event("n1", step(), { type: "heartbeat", term: 1, commit: 0, context: 1 }, "n2")).toBeUndefined(); // (senders are given)
      n1.role = "pre-candidate";
      expect(h.event("n1")).toBeUndefined();
      const [last, ...before] = answers.reverse();
      for (const [from, m] of before.reverse()) expect(h.event("n1", step(), m, from)).toBeUndefined();
      Object.assign(n1, { role: "candidate", term: 2, vote: "n1" });
      return h.event("n1", step(), (last as [NodeId, RaftMessage])[1], (last as [NodeId, RaftMessage])[0]);
    };
    expect(scenario([["n2", grant(2)]])).toBeUndefined(); // n1 and n2: a quorum of 3
    expect(scenario([["n3", grant(2, false)], ["n2", grant(2)]])).toBeUndefined();
    // A late vote of term 1 counted as a pre-vote (raft/candidate-counts-prevotes), a refusal, a grant of another term.
    expect(scenario([["n2", vote]])).toMatch(/^PreVoteQuorum: n1 campaigned for term 2 from a pre-campaign granted by none \(and itself\): no quorum of majority n1,n2,n3/);
    expect(scenario([["n2", grant(2, false)]])).toMatch(/^PreVoteQuorum: /);
    expect(scenario([["n3", grant(3)], ["n2", grant(3)]])).toMatch(/^PreVoteQuorum: /);
  });
});

describe("Raft per-property invariants: views of the one checker", () => {
  it("a view runs every part and reports its own property where the whole checker reports an earlier one", () => {
    const scenario = (h: Harness): string | undefined => {
      expect(h.event("n1", step([], [apply(entry(1, 1, 7))]))).toBeUndefined();
      const n3 = Object.assign(h.node("n3"), { role: "leader", term: 2 });
      n3.write(entry(1, 1, 7), entry(2, 2));
      expect(h.event("n3")).toBeUndefined();
      // Leader n3 rewrites index 1 (LeaderAppendOnly) and applies the rewritten entry (StateMachineSafety).
      const rewritten = entry(1, 2, 9);
      return h.event("n3", step([n3.write(rewritten)], [apply(rewritten)]));
    };
    expect(scenario(new Harness(true, () => []))).toMatch(/^LeaderAppendOnly: leader n3 of term 2 rewrote its log from index 1/);
    expect(scenario(new Harness(false, () => [stateMachineSafety()]))).toMatch(/^StateMachineSafety: n3 applied 1:2 but 1:1 was applied there before/);
    expect(scenario(new Harness(false, () => [electionSafety()]))).toBeUndefined();
  });
});

describe("Raft voter-state invariants built alone", () => {
  it("each voter-state invariant built alone reports only its own property (the fused checker reports all three)", () => {
    const h = new Harness(false, () => [preVoteSafety(), voteOncePerTerm()]);
    const n1 = Object.assign(h.node("n1"), { term: 3 });
    expect(h.event("n1")).toBeUndefined();
    n1.term = 2; // TermsMonotonic's finding: neither of these two reports it
    expect(h.event("n1")).toBeUndefined();
  });
});
