import type { ClusterView, NodeId, Step } from "@synod/core";
import type { QuorumSystem } from "@synod/quorum";
import { quorumOf, type ConfState } from "../conf-state.js";
import type { Entry } from "../entry.js";
import type { RaftOutput } from "../io.js";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import type { NodeSlot } from "./node-slots.js";
import { ShadowLog } from "./shadow-log.js";

// The logic of each Raft invariant, on one node's slot. invariants.ts wraps each property into an
// Invariant of its own and all of them into the one-pass checker the simulation uses. A `node`
// parameter is the node concerned (undefined while it is down); a `slot` is its bookkeeping.

type View = ClusterView<RaftNode<KvReply>, KvOp, KvResult>;
type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;
type Node = RaftNode<KvReply>;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** @returns whether two entries are the same entry (term, index, type and payload) */
export function sameEntry(a: Entry, b: Entry): boolean {
  if (a === b) return true; // the simulator hands the same entry objects to every node
  if (a.term !== b.term || a.index !== b.index || a.type !== b.type) return false;
  if (a.type === "normal" && b.type === "normal") return sameBytes(a.data, b.data);
  if (a.type !== "conf" || b.type !== "conf" || a.change.kind !== b.change.kind) return false;
  if (a.change.kind === "leave-joint" || b.change.kind === "leave-joint") return true;
  const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.change.voters, b.change.voters) && same(a.change.learners, b.change.learners);
}

function describeEntry(e: Entry): string {
  return e.type === "conf" ? `conf ${JSON.stringify(e.change)}` : `normal ${e.data.length} bytes [${e.data.subarray(0, 24).join(",")}]`;
}

/** ElectionSafety: every (term → leader) ever observed, so that it holds across crashes too. */
export class ElectionSafetyCheck {
  // Each slot's `leaderTerm` is the term its node was last recorded leading: `leaders` maps it to
  // that node already (entries of `leaders` never change), so a leader's next events need no lookup.
  private readonly leaders = new Map<number, NodeId>();

  /** After an event of node `id`. */
  check(slot: NodeSlot, id: NodeId, node: Node | undefined): string | undefined {
    if (node === undefined || node.role !== "leader") return undefined;
    const term = node.term;
    if (slot.leaderTerm === term) return undefined;
    const known = this.leaders.get(term);
    if (known === undefined) this.leaders.set(term, id);
    else if (known !== id) return `two leaders in term ${term}: ${known} and ${id}`;
    slot.leaderTerm = term;
    return undefined;
  }
}

/** LeaderAppendOnly after a step of node `id` that persists or outputs: entries it writes as leader start after its last index. */
export function leaderAppendOnlyAfterStep(slot: NodeSlot, id: NodeId, step: RaftStep, node: Node | undefined): string | undefined {
  // A compaction restates the retained log (the state check covers that step).
  if (step.compact === true || slot.leadingNode === undefined) return undefined;
  const persist = step.persist;
  let k = 0;
  while (k < persist.length && (persist[k] as RaftRecord).type !== "entries") k++;
  if (k === persist.length) return undefined; // no entries written: nothing to compare
  if (node === undefined || slot.leadingNode !== node || node.role !== "leader" || node.term !== slot.leadingTerm) return undefined;
  for (; k < persist.length; k++) {
    const record = persist[k] as RaftRecord;
    if (record.type !== "entries") continue;
    const first = record.entries[0]?.index ?? Number.MAX_SAFE_INTEGER;
    if (first <= slot.leadingLastIndex) return `leader ${id} of term ${node.term} rewrote its log from index ${first} (its last index was ${slot.leadingLastIndex})`;
  }
  return undefined;
}

/** LeaderAppendOnly after an event of node `id`: a leader's log never shrinks and its last entry stays. */
export function leaderAppendOnlyCheck(slot: NodeSlot, id: NodeId, node: Node | undefined): string | undefined {
  if (node === undefined || node.role !== "leader") {
    if (slot.leadingNode !== undefined) slot.leadingNode = undefined;
    return undefined;
  }
  const term = node.term;
  const lastIndex = node.lastIndex;
  const lastTerm = node.entryTerm(lastIndex);
  // Compare with what was seen before this event, then remember this event's state (in place).
  const sameLeadership = slot.leadingNode === node && slot.leadingTerm === term;
  const prevLastIndex = slot.leadingLastIndex;
  const prevLastTerm = slot.leadingLastTerm;
  if (!sameLeadership) {
    slot.leadingNode = node;
    slot.leadingTerm = term;
  }
  slot.leadingLastIndex = lastIndex;
  slot.leadingLastTerm = lastTerm;
  if (!sameLeadership) return undefined;
  if (lastIndex < prevLastIndex) return `leader ${id} of term ${term} shrank its log from ${prevLastIndex} to ${lastIndex}`;
  const termThen = prevLastIndex === lastIndex ? lastTerm : node.entryTerm(prevLastIndex);
  if (termThen !== undefined && prevLastTerm !== undefined && termThen !== prevLastTerm) {
    return `leader ${id} of term ${term} rewrote entry ${prevLastIndex} (term ${prevLastTerm} → ${termThen})`;
  }
  return undefined;
}

/** An entry LogMatching saw first at its (index, term), and the other terms seen at that index. */
interface SeenEntry {
  readonly term: number;
  readonly entry: Entry;
  /** The term of its predecessor in the log that wrote it first. */
  readonly prevTerm: number | undefined;
  readonly next: SeenEntry | undefined;
}

/** LogMatching: every entry written, by (index, term), with its payload and its predecessor's term. */
export class LogMatchingCheck {
  // By index: the entries first seen there, one per term (a list: an index rarely holds more than a few terms).
  private readonly seen: (SeenEntry | undefined)[] = [];

  /** After a step of node `id` that persists or outputs. */
  afterStep(id: NodeId, step: RaftStep, node: Node | undefined): string | undefined {
    const persist = step.persist;
    const seen = this.seen;
    for (let k = 0; k < persist.length; k++) {
      const record = persist[k] as RaftRecord;
      if (record.type !== "entries") continue;
      if (node === undefined) return undefined;
      const entries = record.entries;
      for (let n = 0; n < entries.length; n++) {
        const e = entries[n] as Entry;
        const held = node.entryAt(e.index);
        if (held === undefined || held.term !== e.term) continue; // overwritten later in the same step
        const prevTerm = node.entryTerm(e.index - 1);
        const first = seen[e.index];
        let known = first;
        while (known !== undefined && known.term !== e.term) known = known.next;
        if (known === undefined) {
          seen[e.index] = { term: e.term, entry: e, prevTerm, next: first };
          continue;
        }
        if (!sameEntry(known.entry, e)) return `${id} holds a different entry at ${e.index}:${e.term} than another log (${describeEntry(e)} vs ${describeEntry(known.entry)})`;
        if (known.prevTerm !== undefined && prevTerm !== undefined && known.prevTerm !== prevTerm) {
          return `${id}: entry ${e.index}:${e.term} follows term ${prevTerm}, in another log term ${known.prevTerm}`;
        }
      }
    }
    return undefined;
  }
}

/** One committed entry and the term it was committed in (the spec's `committed` history). */
export interface CommittedEntry {
  readonly entry: Entry;
  /** The term in which it was committed: the lowest term of a node applying it (the committing leader's). */
  term: number;
}

/** Committed entries observed so far (shared by StateMachineSafety and LeaderCompleteness). */
export class CommittedLog {
  /** Every committed entry seen, by index, in the order first seen. Add through {@link add}. */
  readonly byIndex = new Map<number, CommittedEntry>();
  // The same entries in an array indexed by entry index: the lookup of every applied entry.
  private readonly atIndex: (CommittedEntry | undefined)[] = [];

  /** @returns the committed entry at `index`, if one was seen */
  get(index: number): CommittedEntry | undefined {
    return this.atIndex[index];
  }

  /** Record `entry`, committed in `term`, first seen now. */
  add(entry: Entry, term: number): void {
    const c: CommittedEntry = { entry, term };
    this.byIndex.set(entry.index, c);
    this.atIndex[entry.index] = c;
  }
}

/** StateMachineSafety after a step of node `id`: what it applies matches what was applied there before (records it in `committed`). */
export function stateMachineSafetyAfterStep(committed: CommittedLog, id: NodeId, step: RaftStep, node: Node | undefined): string | undefined {
  const output = step.output;
  let term = -1; // the node's term, read at the first applied entry
  for (let k = 0; k < output.length; k++) {
    const o = output[k] as RaftOutput<KvReply>;
    if (o.type !== "apply") continue;
    if (term < 0) term = node?.term ?? Number.MAX_SAFE_INTEGER;
    const e = o.entry;
    const known = committed.get(e.index);
    if (known === undefined) committed.add(e, term);
    else if (!sameEntry(known.entry, e)) return `${id} applied ${e.index}:${e.term} but ${known.entry.index}:${known.entry.term} was applied there before`;
    else if (term < known.term) known.term = term;
  }
  return undefined;
}

function holds(node: Node, c: CommittedEntry): boolean {
  if (c.entry.index <= node.snapshotIndex) return true; // covered by a snapshot (only committed state is snapshotted)
  const held = node.entryAt(c.entry.index);
  return held !== undefined && sameEntry(held, c.entry);
}

/** LeaderCompleteness: checks every new leadership against the commitments so far, and every new commitment against the leaders. */
export class LeaderCompletenessCheck {
  // The current leaders, gathered once per step that applies something into reused arrays (the
  // first `leaderCount` places; stale places beyond are overwritten, never freed, so gathering
  // allocates nothing). Map#forEach with one callback built here: no iterator or entry pair per node.
  private readonly leaderIds: NodeId[] = [];
  private readonly leaders: Node[] = [];
  private leaderCount = 0;
  private readonly gather = (node: Node | undefined, lid: NodeId): void => {
    if (node === undefined || node.role !== "leader") return;
    this.leaderIds[this.leaderCount] = lid;
    this.leaders[this.leaderCount] = node;
    this.leaderCount++;
  };

  /** @param committed - the entries committed so far (recorded by StateMachineSafety) */
  constructor(private readonly committed: CommittedLog) {}

  /** After a step that persists or outputs: every entry first committed in it is held by every current leader. */
  afterStep(step: RaftStep, view: View): string | undefined {
    const output = step.output;
    if (output.length === 0) return undefined;
    const leaders = this.leaders;
    let gathered = false;
    let problem: string | undefined;
    for (let k = 0; k < output.length && problem === undefined; k++) {
      const o = output[k] as RaftOutput<KvReply>;
      if (o.type !== "apply") continue;
      const e = o.entry;
      const c = this.committed.get(e.index);
      if (c === undefined) continue;
      if (!gathered) {
        gathered = true;
        this.leaderCount = 0;
        view.nodes.forEach(this.gather);
      }
      for (let n = 0; n < this.leaderCount; n++) {
        const node = leaders[n] as Node;
        if (node.term < c.term || holds(node, c)) continue;
        problem = `leader ${this.leaderIds[n] as NodeId} of term ${node.term} lacks entry ${e.index}:${e.term} committed in term ${c.term}`;
        break;
      }
    }
    return problem;
  }

  /** After an event of node `id`: a node first seen leading a term holds every entry committed in an earlier or equal term. */
  check(slot: NodeSlot, id: NodeId, node: Node | undefined): string | undefined {
    if (node === undefined || node.role !== "leader") return undefined;
    const term = node.term;
    if (slot.completeTerm === term) return undefined;
    slot.completeTerm = term;
    const terms = (slot.completeTerms ??= new Set());
    if (terms.has(term)) return undefined;
    terms.add(term);
    for (const c of this.committed.byIndex.values()) {
      if (c.term > term || holds(node, c)) continue;
      return `leader ${id} of term ${term} lacks entry ${c.entry.index}:${c.entry.term} committed in term ${c.term} (holds term ${String(node.entryTerm(c.entry.index))})`;
    }
    return undefined;
  }
}

/** Quorum systems by configuration object (configurations are immutable; a node replaces its object on a change). */
const quorumCache = new WeakMap<ConfState, QuorumSystem>();

/** @returns `quorumOf(conf)`, built once per configuration object */
export function cachedQuorumOf(conf: ConfState): QuorumSystem {
  let quorum = quorumCache.get(conf);
  if (quorum === undefined) {
    quorum = quorumOf(conf);
    quorumCache.set(conf, quorum);
  }
  return quorum;
}

/**
 * CommittedEntriesDurable: each node's durable log shadowed from the records its steps persist
 * (rebuilt from what it recovered at restart), and each committed entry with the configurations it
 * may have been committed under.
 */
export class CommittedEntriesDurableCheck {
  // The slots with a shadow, in the order their shadows were first built.
  private readonly shadowed: NodeSlot[] = [];
  // Each committed entry, by index, keeps the configurations it may have been committed under (any
  // of them suffices); `committedOrder` lists the indexes in the order they were first seen.
  private readonly committed: ({ term: number; quorums: readonly QuorumSystem[] | undefined } | undefined)[] = [];
  private readonly committedOrder: number[] = [];
  private readonly holders = new Set<NodeId>(); // reused by verify

  /** After a step of node `id` that persists or outputs. */
  afterStep(slot: NodeSlot, id: NodeId, step: RaftStep, view: View, node: Node | undefined): string | undefined {
    if (node === undefined) return undefined;
    const log = this.shadowOf(slot, node);
    const lost = step.persist.length === 0 && step.compact !== true ? undefined : log.replay(step);
    // Only the committing leader knows the configuration an entry was committed under: the one
    // it had before this step (recorded by `check` after this node's previous event), or one a
    // configuration entry applied earlier in this step installed (a leader may commit further
    // under it). Any of them suffices. An entry first seen applied elsewhere (the leader's
    // outputs were lost) is recorded, not checked.
    // (The list is built only when this step outputs something: most steps output nothing.)
    const confThen = slot.confNode === node && node.role === "leader" ? slot.conf : undefined;
    const output = step.output;
    const quorums: QuorumSystem[] | undefined = confThen === undefined || output.length === 0 ? undefined : [cachedQuorumOf(confThen)];
    // With a bounded apply (`maxApplyPerStep`) a leader applies an entry steps after it committed
    // it, under configurations applied since: the entries this step committed (its commit index
    // after its previous event, CommitIndexMonotonic's bookkeeping, to now) are recorded here, under
    // the configurations of this step. Without a bound this is the step that applies them.
    const committedFrom = quorums !== undefined && slot.commitNode === node ? slot.commitIndex + 1 : Infinity;
    for (let k = 0; k < output.length; k++) {
      const o = output[k] as RaftOutput<KvReply>;
      if (o.type === "conf" && o.rejected === undefined && quorums !== undefined) quorums.push(cachedQuorumOf(o.conf));
      if (o.type !== "apply" || this.committed[o.entry.index] !== undefined) continue;
      // Committed by this step (under the configurations so far), or before it and not seen then.
      const problem = this.record(o.entry.index, o.entry.term, o.entry.index >= committedFrom ? quorums : undefined, view);
      if (problem !== undefined) return `when ${id} committed it: ${problem}`;
    }
    // Committed by this step, not yet applied: under any configuration of the step.
    for (let index = committedFrom, last = node.commitIndex; index <= last; index++) {
      const term = node.entryTerm(index);
      if (this.committed[index] !== undefined || term === undefined) continue;
      const problem = this.record(index, term, quorums, view);
      if (problem !== undefined) return `when ${id} committed it: ${problem}`;
    }
    if (lost !== undefined) {
      for (const index of this.committedOrder) {
        if (index < lost) continue;
        const problem = this.verify(index, view);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  }

  /** After an event of node `id`: remember its configuration (its next step starts from it) and rebuild its shadow after a restart. */
  check(slot: NodeSlot, node: Node | undefined, view: View): string | undefined {
    if (node === undefined) return undefined;
    if (node.halted !== undefined) slot.halted = true;
    const conf = node.confState;
    if (slot.confNode !== node) slot.confNode = node;
    if (slot.conf !== conf) slot.conf = conf;
    const known = slot.shadow;
    if (known === undefined || slot.shadowNode === node) return undefined;
    // A restart: the durable log is what the node recovered.
    const before = known.lastIndex;
    const log = ShadowLog.of(node);
    slot.shadowNode = node;
    slot.shadow = log;
    if (log.lastIndex >= before) return undefined;
    for (const index of this.committedOrder) {
      if (index <= log.lastIndex) continue;
      const problem = this.verify(index, view);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  private shadowOf(slot: NodeSlot, node: Node): ShadowLog {
    const known = slot.shadow;
    if (known !== undefined && slot.shadowNode === node) return known;
    const log = known === undefined && node.lastIndex === 0 ? new ShadowLog() : ShadowLog.of(node);
    if (known === undefined) this.shadowed.push(slot);
    slot.shadowNode = node;
    slot.shadow = log;
    return log;
  }

  /** Record entry `index` of `term` committed under any of `quorums` (undefined: not known, not checked) and check it. */
  private record(index: number, term: number, quorums: readonly QuorumSystem[] | undefined, view: View): string | undefined {
    this.committed[index] = { term, quorums: quorums === undefined ? undefined : [...quorums] };
    this.committedOrder.push(index);
    return this.verify(index, view);
  }

  private verify(index: number, view: View): string | undefined {
    const c = this.committed[index];
    if (c?.quorums === undefined) return undefined;
    const holders = this.holders;
    holders.clear();
    for (let k = 0; k < this.shadowed.length; k++) {
      const slot = this.shadowed[k] as NodeSlot;
      // A node halted on corrupted storage counts as holding its log, also while it is down: its
      // storage stays corrupted across restarts, and corruption is outside the spec's fault model.
      if ((slot.shadow as ShadowLog).holds(index, c.term) || slot.halted || view.nodes.get(slot.id)?.halted !== undefined) holders.add(slot.id);
    }
    const quorums = c.quorums;
    for (let k = 0; k < quorums.length; k++) if ((quorums[k] as QuorumSystem).isQuorum(holders)) return undefined;
    return `committed entry ${index}:${c.term} is durable only on ${[...holders].join(",") || "no node"} (voters ${quorums.map((q) => `${q.kind} of ${q.voters.join(",")}`).join(" or ")})`;
  }
}

/** Which of the voter-state properties a {@link voterStateCheck} finding breaks (named as in Raft.tla). */
export type VoterStateProperty = "TermsMonotonic" | "VoteOncePerTerm" | "PreVoteSafety";

/**
 * The voter-state properties after an event of node `id`, within one lifetime: TermsMonotonic (its
 * term never falls), VoteOncePerTerm (a vote once cast in a term never changes in that term) and
 * PreVoteSafety (a pre-campaign keeps the term). Across a restart nothing is compared here: the
 * recovered hard state must equal the last synced one (HardStateDurable) and nothing unsynced left
 * the node (MessagesDurable), which together carry both properties over a crash.
 * @returns the property broken and why, or undefined
 */
export function voterStateCheck(slot: NodeSlot, id: NodeId, node: Node | undefined): { property: VoterStateProperty; problem: string } | undefined {
  if (node === undefined) return undefined;
  const term = node.term;
  const vote = node.vote;
  // Compare with the same lifetime's previous state (none yet: only remember), then remember.
  const sameLifetime = slot.voterNode === node;
  const prevTerm = slot.voterTerm;
  const prevVote = slot.voterVote;
  // (Stores only when something changed: most events change neither term nor vote.)
  if (!sameLifetime) slot.voterNode = node;
  if (term !== prevTerm) slot.voterTerm = term;
  if (vote !== prevVote) slot.voterVote = vote;
  if (!sameLifetime) return undefined;
  if (term < prevTerm) return { property: "TermsMonotonic", problem: `${id}'s term went back from ${prevTerm} to ${term}` };
  if (term === prevTerm && prevVote !== undefined && vote !== prevVote) {
    return { property: "VoteOncePerTerm", problem: `${id} changed its vote in term ${term} from ${prevVote} to ${vote ?? "none"}` };
  }
  if (node.role === "pre-candidate" && term !== prevTerm) {
    return { property: "PreVoteSafety", problem: `${id} changed its term from ${prevTerm} to ${term} while pre-campaigning` };
  }
  return undefined;
}

/**
 * CommitIndexMonotonic: within one lifetime a node's commit index never falls. Raft.tla's steps set
 * `commitIndex` to `Max2(@, …)` or leave it; only `Restart` may recover a lower one (the hard state
 * carries it lazily), so a restarted node (a new node object) starts afresh. A commit index that
 * falls lets the node accept a truncation of entries it already counted committed, and lets a node
 * that leads later serve reads from an index below what it had applied.
 * @returns why node `id` breaks it after its last event, or undefined
 */
export function commitIndexMonotonicCheck(slot: NodeSlot, id: NodeId, node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const commit = node.commitIndex;
  const prev = slot.commitIndex;
  const sameLifetime = slot.commitNode === node;
  if (!sameLifetime) slot.commitNode = node;
  if (commit !== prev) slot.commitIndex = commit;
  if (sameLifetime && commit < prev) return `${id}'s commit index went back from ${prev} to ${commit}`;
  return undefined;
}

/**
 * PreVoteSafety, the clause about the message (Raft.tla): within one lifetime a node's term rises
 * only on a real message of that term, or by exactly one when it campaigns (it then votes for
 * itself) — never on a pre-vote request or a granted pre-vote, which only talk about a term the
 * sender would campaign for. After a step of node `id` that answered `delivered` (undefined for a
 * tick or a request): its term is the one before the step, or that of `delivered` when it is real
 * traffic of a higher term, or one more than that with its vote for itself (TimeoutNow adopts the
 * leader's term, then campaigns). The term before the step is the one {@link voterStateCheck}
 * remembered after the node's previous event. A term change is persisted, so the steps that only
 * send (which the one-pass checker skips) change no term.
 * @returns why the step breaks it, or undefined
 */
export function preVoteTermAfterStep(slot: NodeSlot, id: NodeId, node: Node | undefined, delivered: RaftMessage | undefined): string | undefined {
  if (node === undefined || slot.voterNode !== node) return undefined;
  const before = slot.voterTerm;
  const term = node.term;
  if (term === before) return undefined;
  // A pre-vote request, and a granted answer to one, carry the term their sender would campaign for.
  const preVoteTraffic = delivered !== undefined && (delivered.type === "preVote" || (delivered.type === "preVoteResponse" && delivered.granted));
  const adopted = delivered !== undefined && !preVoteTraffic && delivered.term > before ? delivered.term : before;
  if (term === adopted || (term === adopted + 1 && node.vote === id)) return undefined;
  const granted = delivered?.type === "preVoteResponse" && delivered.granted ? " (granted)" : "";
  const why = delivered === undefined ? "a tick or request" : `a ${delivered.type}${granted} of term ${delivered.term}`;
  return `${id}'s term went from ${before} to ${term} on ${why}: a term rises only on a real message of that term, or by one to campaign`;
}

/**
 * AckMatchesLeader: a successful AppendEntries (or snapshot) answer up to index k, sent to the leader
 * of its term, says the sender's log matches the leader's up to k — what the leader then counts
 * toward commitment and caps the sender's commit index at. Raft.tla's answer carries
 * `prevLogIndex + Len(entries)`, the entries the request carried and the one it matched, never the
 * rest of the follower's log (whose tail may be another term's). So when the answer leaves, the
 * leader of its term (if still up and leading it) holds index k, with the term the sender holds there
 * (by LogMatching the prefixes are then the same). Entries compacted on either side are committed,
 * hence the same, and are not compared.
 * @returns why a message of node `id`'s step breaks it, or undefined
 */
export function ackMatchesLeaderAfterStep(id: NodeId, step: RaftStep, view: View, node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const send = step.send;
  for (let k = 0; k < send.length; k++) {
    const envelope = send[k] as (typeof send)[number];
    const m = envelope.message;
    if (m.type !== "appendResponse" || m.reject) continue;
    const leader = view.nodes.get(envelope.to);
    if (leader === undefined || leader.role !== "leader" || leader.term !== m.term) continue;
    const index = m.index;
    if (index > leader.lastIndex) {
      return `${id} acknowledged up to index ${index} to ${envelope.to}, leader of term ${m.term}, whose log ends at ${leader.lastIndex}`;
    }
    const mine = node.entryTerm(index);
    const theirs = leader.entryTerm(index);
    if (mine !== undefined && theirs !== undefined && mine !== theirs) {
      const leaderOf = `${envelope.to}, leader of term ${m.term}`;
      return `${id} acknowledged up to index ${index} to ${leaderOf}, holding term ${mine} there where the leader holds term ${theirs}`;
    }
  }
  return undefined;
}

/**
 * InflightAboveMatch: a leader's in-flight window to a follower it streams to (`replicate`) holds
 * only messages not yet acknowledged — every one ends above the follower's match index (etcd's
 * inflights: an acknowledgement of index k frees every message ending at or below k). A message
 * acknowledged but still counted shrinks the window for the rest of the term: replication slows or
 * stalls on the heartbeat's one-slot release, which no safety property notices.
 * @returns why leader `id` breaks it after its last event, or undefined
 */
export function inflightAboveMatchCheck(id: NodeId, node: Node | undefined): string | undefined {
  if (node === undefined || node.role !== "leader") return undefined;
  const stale = node.acknowledgedInflight();
  if (stale === undefined) return undefined;
  const { follower, lastIndex, match } = stale;
  const leader = `${id} (leader of term ${node.term})`;
  return `${leader} still counts a message to ${follower} ending at index ${lastIndex} in flight, though ${follower} acknowledged up to ${match}`;
}
