import type { ClusterView, Invariant, NodeId, Step } from "@synod/core";
import type { QuorumSystem } from "@synod/quorum";
import { quorumOf, type ConfState } from "../conf-state.js";
import type { Entry } from "../entry.js";
import type { RaftOutput } from "../io.js";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";

/** The invariant type of the Raft simulation target. */
export type RaftInvariant = Invariant<RaftNode<KvReply>, RaftMessage, RaftOutput<KvReply>, RaftRecord, KvOp, KvResult>;
type View = ClusterView<RaftNode<KvReply>, KvOp, KvResult>;
type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

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

/**
 * The bookkeeping the invariants keep about one node, in one object: every hook of an event reads
 * the same node, so this is one lookup and a few cache lines per event instead of one map per
 * invariant. Each invariant owns its own fields.
 */
class NodeSlot {
  /** ElectionSafety: the term this node was last recorded leading (−1: none). */
  leaderTerm = -1;
  /** LeaderAppendOnly: the node object last seen leading (undefined while it was not), its term and log end. */
  leadingNode: RaftNode<KvReply> | undefined = undefined;
  leadingTerm = 0;
  leadingLastIndex = 0;
  leadingLastTerm: number | undefined = undefined;
  /** LeaderCompleteness: the last term this node was checked leading, and every term it was. */
  completeTerm = -1;
  completeTerms: Set<number> | undefined = undefined;
  /** CommittedEntriesDurable: the durable log's shadow, the node object it was built for. */
  shadow: ShadowLog | undefined = undefined;
  shadowNode: RaftNode<KvReply> | undefined = undefined;
  /** CommittedEntriesDurable: the node object whose configuration after its last event is `conf`. */
  confNode: RaftNode<KvReply> | undefined = undefined;
  conf: ConfState | undefined = undefined;
  /** PreVoteSafety: the node object last seen, its term and vote then. */
  voterNode: RaftNode<KvReply> | undefined = undefined;
  voterTerm = 0;
  voterVote: NodeId | undefined = undefined;

  /** @param id - the node's id */
  constructor(readonly id: NodeId) {}
}

/**
 * The {@link NodeSlot}s of one run, found by node id. Clusters are small, so the ids sit in an
 * array scanned with `===` (the driver passes the same id strings every time), and the last id
 * looked up is remembered: every hook of one event asks for the same node. Bounded by the number of
 * distinct node ids the driver names.
 */
class NodeSlots {
  private readonly slots: NodeSlot[] = [];
  private last: NodeSlot | undefined;

  /** @returns the slot of node `id` (created on first use) */
  get(id: NodeId): NodeSlot {
    const last = this.last;
    if (last !== undefined && last.id === id) return last;
    const slots = this.slots;
    let k = 0;
    while (k < slots.length && (slots[k] as NodeSlot).id !== id) k++;
    if (k === slots.length) slots.push(new NodeSlot(id));
    const slot = slots[k] as NodeSlot;
    this.last = slot;
    return slot;
  }
}

// Every hook takes the node it concerns as `given` when the driver passes it (the simulator does:
// `view.nodes.get(id)`, undefined for a node that is down) and looks it up otherwise.

function describeEntry(e: Entry): string {
  return e.type === "conf" ? `conf ${JSON.stringify(e.change)}` : `normal ${e.data.length} bytes [${e.data.subarray(0, 24).join(",")}]`;
}

/**
 * ElectionSafety: at most one leader per term. Remembers every (term → leader) ever observed, so it
 * holds across crashes too.
 */
export function electionSafety(): RaftInvariant {
  return electionSafetyOver(new NodeSlots());
}

/** electionSafety, keeping its per-node state in `slots` (shared by the invariants of one run). */
function electionSafetyOver(slots: NodeSlots): RaftInvariant {
  const leaders = new Map<number, NodeId>();
  // Each slot's `leaderTerm` is the term its node was last recorded leading: `leaders` maps it to
  // that node already (entries of `leaders` never change), so a leader's next events need no lookup.
  return {
    name: "ElectionSafety",
    check(view, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined || node.role !== "leader") return undefined;
      const term = node.term;
      const mine = slots.get(changed);
      if (mine.leaderTerm === term) return undefined;
      const known = leaders.get(term);
      if (known === undefined) leaders.set(term, changed);
      else if (known !== changed) return `two leaders in term ${term}: ${known} and ${changed}`;
      mine.leaderTerm = term;
      return undefined;
    },
  };
}

/**
 * LeaderAppendOnly: a leader never overwrites or deletes entries of its own log during its term.
 * Checked on every step of a node that was leader before it: the entry records it persists may only
 * start after its previous last index, its log never shrinks and its previous last entry stays.
 */
export function leaderAppendOnly(): RaftInvariant {
  return leaderAppendOnlyOver(new NodeSlots());
}

/** leaderAppendOnly, keeping its per-node state in `slots` (shared by the invariants of one run). */
function leaderAppendOnlyOver(slots: NodeSlots): RaftInvariant {
  // Per node (its slot's `leading…` fields): the leadership last seen (no node while it was not leading).
  return {
    name: "LeaderAppendOnly",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep(id, step: RaftStep, view: View, given) {
      // A compaction restates the retained log (the state check in `check` still covers that step).
      if (step.compact === true) return undefined;
      const persist = step.persist;
      let k = 0;
      while (k < persist.length && (persist[k] as RaftRecord).type !== "entries") k++;
      if (k === persist.length) return undefined; // no entries written: nothing to compare
      const prev = slots.get(id);
      if (prev.leadingNode === undefined) return undefined;
      const node = given ?? view.nodes.get(id);
      if (node === undefined || prev.leadingNode !== node || node.role !== "leader" || node.term !== prev.leadingTerm) return undefined;
      for (; k < persist.length; k++) {
        const record = persist[k] as RaftRecord;
        if (record.type !== "entries") continue;
        const first = record.entries[0]?.index ?? Number.MAX_SAFE_INTEGER;
        if (first <= prev.leadingLastIndex) return `leader ${id} of term ${node.term} rewrote its log from index ${first} (its last index was ${prev.leadingLastIndex})`;
      }
      return undefined;
    },
    check(view, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      const prev = slots.get(changed);
      if (node === undefined || node.role !== "leader") {
        if (prev.leadingNode !== undefined) prev.leadingNode = undefined;
        return undefined;
      }
      const lastIndex = node.lastIndex;
      const lastTerm = node.entryTerm(lastIndex);
      // Compare with what was seen before this step, then remember this step's state (in place).
      const sameLeadership = prev.leadingNode === node && prev.leadingTerm === node.term;
      const prevLastIndex = prev.leadingLastIndex;
      const prevLastTerm = prev.leadingLastTerm;
      if (!sameLeadership) {
        prev.leadingNode = node;
        prev.leadingTerm = node.term;
      }
      prev.leadingLastIndex = lastIndex;
      prev.leadingLastTerm = lastTerm;
      if (!sameLeadership) return undefined;
      if (lastIndex < prevLastIndex) return `leader ${changed} of term ${node.term} shrank its log from ${prevLastIndex} to ${lastIndex}`;
      const termThen = prevLastIndex === lastIndex ? lastTerm : node.entryTerm(prevLastIndex);
      if (termThen !== undefined && prevLastTerm !== undefined && termThen !== prevLastTerm) {
        return `leader ${changed} of term ${node.term} rewrote entry ${prevLastIndex} (term ${prevLastTerm} → ${termThen})`;
      }
      return undefined;
    },
  };
}

/**
 * LogMatching: two logs holding an entry with the same index and term hold the same entry and are
 * identical before it. Checked incrementally: every entry a node writes is recorded by (index,
 * term) together with its payload and the term of its predecessor in that node's log; by
 * induction on the index, equal predecessors everywhere give identical prefixes.
 */
export function logMatching(): RaftInvariant {
  // By index: the entries first seen there, one per term, each with the term of its predecessor in
  // that log (a list: an index rarely holds more than a few terms).
  const seen: (SeenEntry | undefined)[] = [];
  return {
    name: "LogMatching",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep(id, step: RaftStep, view: View, given) {
      const persist = step.persist;
      let node: RaftNode<KvReply> | undefined; // looked up at the first entries record
      for (let k = 0; k < persist.length; k++) {
        const record = persist[k] as RaftRecord;
        if (record.type !== "entries") continue;
        if (node === undefined) {
          node = given ?? view.nodes.get(id);
          if (node === undefined) return undefined;
        }
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
    },
  };
}

/** An entry LogMatching saw first at its (index, term), and the other terms seen at that index. */
interface SeenEntry {
  readonly term: number;
  readonly entry: Entry;
  /** The term of its predecessor in the log that wrote it first. */
  readonly prevTerm: number | undefined;
  readonly next: SeenEntry | undefined;
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

/**
 * StateMachineSafety: no two nodes apply different entries at the same index (committed entries
 * never differ), across restarts. Also records each committed entry with its commit term.
 */
export function stateMachineSafety(committed: CommittedLog): RaftInvariant {
  return {
    name: "StateMachineSafety",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep(id, step: RaftStep, view: View, given) {
      const output = step.output;
      let term = -1; // the node's term, looked up at the first applied entry
      for (let k = 0; k < output.length; k++) {
        const o = output[k] as RaftOutput<KvReply>;
        if (o.type !== "apply") continue;
        if (term < 0) term = (given ?? view.nodes.get(id))?.term ?? Number.MAX_SAFE_INTEGER;
        const e = o.entry;
        const known = committed.get(e.index);
        if (known === undefined) committed.add(e, term);
        else if (!sameEntry(known.entry, e)) return `${id} applied ${e.index}:${e.term} but ${known.entry.index}:${known.entry.term} was applied there before`;
        else if (term < known.term) known.term = term;
      }
      return undefined;
    },
  };
}

function holds(node: RaftNode<KvReply>, c: CommittedEntry): boolean {
  if (c.entry.index <= node.snapshotIndex) return true; // covered by a snapshot (only committed state is snapshotted)
  const held = node.entryAt(c.entry.index);
  return held !== undefined && sameEntry(held, c.entry);
}

/**
 * LeaderCompleteness: an entry committed in term t is in the log of every leader of a term ≥ t.
 * Checked when a node is first seen leading a term (against every commitment so far) and when an
 * entry is first committed (against every current leader).
 */
export function leaderCompleteness(committed: CommittedLog): RaftInvariant {
  return leaderCompletenessOver(committed, new NodeSlots());
}

/** leaderCompleteness, keeping its per-node state in `slots` (shared by the invariants of one run). */
function leaderCompletenessOver(committed: CommittedLog, slots: NodeSlots): RaftInvariant {
  // Per node (its slot's `complete…` fields): the terms it was checked leading (a new leadership is
  // checked once), and the last one.
  // The current leaders, gathered once per step that applies something (reused, cleared after use;
  // Map#forEach with one callback built here: no iterator or entry pair per node).
  const leaderIds: NodeId[] = [];
  const leaders: RaftNode<KvReply>[] = [];
  const gather = (node: RaftNode<KvReply> | undefined, lid: NodeId): void => {
    if (node === undefined || node.role !== "leader") return;
    leaderIds.push(lid);
    leaders.push(node);
  };
  return {
    name: "LeaderCompleteness",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep(_id, step: RaftStep, view: View) {
      const output = step.output;
      if (output.length === 0) return undefined;
      let gathered = false;
      let problem: string | undefined;
      for (let k = 0; k < output.length && problem === undefined; k++) {
        const o = output[k] as RaftOutput<KvReply>;
        if (o.type !== "apply") continue;
        const e = o.entry;
        const c = committed.get(e.index);
        if (c === undefined) continue;
        if (!gathered) {
          gathered = true;
          view.nodes.forEach(gather);
        }
        for (let n = 0; n < leaders.length; n++) {
          const node = leaders[n] as RaftNode<KvReply>;
          if (node.term < c.term || holds(node, c)) continue;
          problem = `leader ${leaderIds[n] as NodeId} of term ${node.term} lacks entry ${e.index}:${e.term} committed in term ${c.term}`;
          break;
        }
      }
      if (gathered && leaders.length > 0) {
        leaderIds.length = 0;
        leaders.length = 0;
      }
      return problem;
    },
    check(view, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined || node.role !== "leader") return undefined;
      const mine = slots.get(changed);
      const term = node.term;
      if (mine.completeTerm === term) return undefined;
      mine.completeTerm = term;
      const terms = (mine.completeTerms ??= new Set());
      if (terms.has(term)) return undefined;
      terms.add(term);
      for (const c of committed.byIndex.values()) {
        if (c.term > term || holds(node, c)) continue;
        return `leader ${changed} of term ${term} lacks entry ${c.entry.index}:${c.entry.term} committed in term ${c.term} (holds term ${String(node.entryTerm(c.entry.index))})`;
      }
      return undefined;
    },
  };
}

/** What a node's durable records say its log is: entry terms after a snapshot point. */
class ShadowLog {
  snapshotIndex = 0;
  terms: number[] = [];

  /** @returns whether the durable log holds (index, term) (a snapshot covers committed entries) */
  holds(index: number, term: number): boolean {
    if (index <= this.snapshotIndex) return true;
    return this.terms[index - this.snapshotIndex - 1] === term;
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.terms.length;
  }

  /** Replay one step's records. @returns the lowest index whose durable entry was dropped or replaced, if any */
  replay(step: RaftStep): number | undefined {
    const persist = step.persist;
    if (step.compact === true) {
      const before = this.lastIndex;
      this.snapshotIndex = 0;
      this.terms = [];
      for (const r of persist) if (r.type === "snapshot") this.snapshotIndex = r.snapshot.index;
      for (const r of persist) if (r.type === "entries") this.write(r.entries);
      return this.lastIndex < before ? this.lastIndex + 1 : undefined;
    }
    let lost: number | undefined;
    for (let k = 0; k < persist.length; k++) {
      const r = persist[k] as RaftRecord;
      if (r.type !== "entries") continue;
      const first = r.entries[0]?.index ?? this.lastIndex + 1;
      if (first <= this.lastIndex && (lost === undefined || first < lost)) lost = first;
      this.write(r.entries);
    }
    return lost;
  }

  private write(entries: readonly Entry[]): void {
    const first = entries[0]?.index;
    if (first === undefined) return;
    const keep = Math.max(0, first - this.snapshotIndex - 1);
    if (keep < this.terms.length) this.terms.length = keep; // (setting the length is a slow runtime call)
    for (const e of entries) if (e.index > this.snapshotIndex) this.terms[e.index - this.snapshotIndex - 1] = e.term;
  }

  /** Rebuild from a restarted node (what it recovered from storage). */
  static of(node: RaftNode<KvReply>): ShadowLog {
    const shadow = new ShadowLog();
    shadow.snapshotIndex = node.snapshotIndex;
    for (let i = node.snapshotIndex + 1; i <= node.lastIndex; i++) shadow.terms.push(node.entryTerm(i) ?? -1);
    return shadow;
  }
}

/** Quorum systems by configuration object (configurations are immutable; a node replaces its object on a change). */
const quorumCache = new WeakMap<ConfState, QuorumSystem>();

/** @returns `quorumOf(conf)`, built once per configuration object */
function cachedQuorumOf(conf: ConfState): QuorumSystem {
  let quorum = quorumCache.get(conf);
  if (quorum === undefined) {
    quorum = quorumOf(conf);
    quorumCache.set(conf, quorum);
  }
  return quorum;
}

/**
 * CommittedEntriesDurable: every committed entry is in the durable logs of a quorum (of the
 * configuration it was committed under), whatever crashed. Each node's durable log is shadowed
 * from the records its steps asked to persist, and rebuilt from what it recovered at restart.
 * Checked when the committing leader applies an entry (under the configuration it had before that
 * step) and whenever a durable log loses entries. A node that halted on corrupted storage is
 * outside the spec's fault model and counts as holding its log.
 */
export function committedEntriesDurable(): RaftInvariant {
  return committedEntriesDurableOver(new NodeSlots());
}

/** committedEntriesDurable, keeping its per-node state in `slots` (shared by the invariants of one run). */
function committedEntriesDurableOver(slots: NodeSlots): RaftInvariant {
  // Per node (its slot's `shadow…` and `conf…` fields): its durable log's shadow (of the node object
  // it was built for) and the configuration it had before its current step: entries committed in a
  // step were committed under it (the leader computes the commit index before applying anything).
  // The nodes with a shadow, in the order their shadows were first built.
  const shadowed: NodeSlot[] = [];
  // Each committed entry, by index, keeps the configurations it may have been committed under (any
  // of them suffices); `committedOrder` lists the indexes in the order they were first seen.
  const committed: ({ term: number; quorums: readonly QuorumSystem[] | undefined } | undefined)[] = [];
  const committedOrder: number[] = [];
  const holders = new Set<NodeId>(); // reused by verify
  const shadowOf = (slot: NodeSlot, node: RaftNode<KvReply>): ShadowLog => {
    const known = slot.shadow;
    if (known !== undefined && slot.shadowNode === node) return known;
    const log = known === undefined && node.lastIndex === 0 ? new ShadowLog() : ShadowLog.of(node);
    if (known === undefined) shadowed.push(slot);
    slot.shadowNode = node;
    slot.shadow = log;
    return log;
  };
  const verify = (index: number, view: View): string | undefined => {
    const c = committed[index];
    if (c?.quorums === undefined) return undefined;
    holders.clear();
    for (let k = 0; k < shadowed.length; k++) {
      const slot = shadowed[k] as NodeSlot;
      if ((slot.shadow as ShadowLog).holds(index, c.term) || view.nodes.get(slot.id)?.halted !== undefined) holders.add(slot.id);
    }
    const quorums = c.quorums;
    for (let k = 0; k < quorums.length; k++) if ((quorums[k] as QuorumSystem).isQuorum(holders)) return undefined;
    return `committed entry ${index}:${c.term} is durable only on ${[...holders].join(",") || "no node"} (voters ${quorums.map((q) => `${q.kind} of ${q.voters.join(",")}`).join(" or ")})`;
  };
  return {
    name: "CommittedEntriesDurable",
    // A step that only sends neither writes the durable log nor commits: nothing to replay or
    // check. (The configuration before each step is remembered by `check`, after every event.)
    afterStepOn: "persist-or-output",
    afterStep(id, step: RaftStep, view: View, given) {
      const node = given ?? view.nodes.get(id);
      if (node === undefined) return undefined;
      const slot = slots.get(id);
      const log = shadowOf(slot, node);
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
      for (let k = 0; k < output.length; k++) {
        const o = output[k] as RaftOutput<KvReply>;
        if (o.type === "conf" && o.rejected === undefined && quorums !== undefined) quorums.push(cachedQuorumOf(o.conf));
        if (o.type !== "apply" || committed[o.entry.index] !== undefined) continue;
        committed[o.entry.index] = { term: o.entry.term, quorums: quorums === undefined ? undefined : [...quorums] };
        committedOrder.push(o.entry.index);
        const problem = verify(o.entry.index, view);
        if (problem !== undefined) return `when ${id} committed it: ${problem}`;
      }
      if (lost !== undefined) {
        for (const index of committedOrder) {
          if (index < lost) continue;
          const problem = verify(index, view);
          if (problem !== undefined) return problem;
        }
      }
      return undefined;
    },
    check(view, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined) return undefined;
      const slot = slots.get(changed);
      // The configuration this node has after this event: the one its next step starts from.
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
      for (const index of committedOrder) {
        if (index <= log.lastIndex) continue;
        const problem = verify(index, view);
        if (problem !== undefined) return problem;
      }
      return undefined;
    },
  };
}

/**
 * PreVoteSafety (the part observable from node state, within one node lifetime): a pre-campaign
 * never changes a node's term; a term never decreases; within a term, a vote once cast never
 * changes. Across a restart nothing is compared: a term or vote whose record was not synced before
 * the crash never left the node, so recovering an older one is correct. The spec's clause "a term
 * rises only on a real message of that term" needs the delivered message and is left to TLC.
 */
export function preVoteSafety(): RaftInvariant {
  return preVoteSafetyOver(new NodeSlots());
}

/** preVoteSafety, keeping its per-node state in `slots` (shared by the invariants of one run). */
function preVoteSafetyOver(slots: NodeSlots): RaftInvariant {
  return {
    name: "PreVoteSafety",
    check(view, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined) return undefined;
      const prev = slots.get(changed);
      const term = node.term;
      const vote = node.vote;
      // Compare with the same lifetime's previous state (none yet: only remember), then remember.
      const sameLifetime = prev.voterNode === node;
      const prevTerm = prev.voterTerm;
      const prevVote = prev.voterVote;
      // (Stores only when something changed: most events change neither term nor vote.)
      if (!sameLifetime) prev.voterNode = node;
      if (term !== prevTerm) prev.voterTerm = term;
      if (vote !== prevVote) prev.voterVote = vote;
      if (!sameLifetime) return undefined;
      if (term < prevTerm) return `${changed}'s term went back from ${prevTerm} to ${term}`;
      if (term === prevTerm && prevVote !== undefined && vote !== prevVote) {
        return `${changed} changed its vote in term ${term} from ${prevVote} to ${vote ?? "none"}`;
      }
      if (node.role === "pre-candidate" && term !== prevTerm) return `${changed} changed its term from ${prevTerm} to ${term} while pre-campaigning`;
      return undefined;
    },
  };
}

/**
 * @returns fresh instances of the invariants, named as in specs/raft/Raft.tla: the five core ones,
 * CommittedEntriesDurable and (its state-observable part) PreVoteSafety
 */
export function createRaftInvariants(): RaftInvariant[] {
  const committed = new CommittedLog();
  const slots = new NodeSlots();
  return [
    electionSafetyOver(slots),
    leaderAppendOnlyOver(slots),
    logMatching(),
    stateMachineSafety(committed),
    leaderCompletenessOver(committed, slots),
    committedEntriesDurableOver(slots),
    preVoteSafetyOver(slots),
  ];
}
