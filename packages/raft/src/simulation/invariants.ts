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

/**
 * ElectionSafety: at most one leader per term. Remembers every (term → leader) ever observed, so it
 * holds across crashes too.
 */
export function electionSafety(): RaftInvariant {
  const leaders = new Map<number, NodeId>();
  return {
    name: "ElectionSafety",
    check(view, changed) {
      if (changed === undefined) return undefined;
      const node = view.nodes.get(changed);
      if (node === undefined || node.role !== "leader") return undefined;
      const known = leaders.get(node.term);
      if (known === undefined) leaders.set(node.term, changed);
      else if (known !== changed) return `two leaders in term ${node.term}: ${known} and ${changed}`;
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
  const lastSeen = new Map<NodeId, { node: RaftNode<KvReply>; term: number; lastIndex: number; lastTerm: number | undefined }>();
  return {
    name: "LeaderAppendOnly",
    afterStep(id, step: RaftStep, view: View) {
      const prev = lastSeen.get(id);
      const node = view.nodes.get(id);
      if (prev === undefined || node === undefined || prev.node !== node || node.role !== "leader" || node.term !== prev.term) return undefined;
      // A compaction restates the retained log (the state check in `check` still covers that step).
      if (step.compact === true) return undefined;
      for (const record of step.persist) {
        if (record.type !== "entries") continue;
        const first = record.entries[0]?.index ?? Number.MAX_SAFE_INTEGER;
        if (first <= prev.lastIndex) return `leader ${id} of term ${node.term} rewrote its log from index ${first} (its last index was ${prev.lastIndex})`;
      }
      return undefined;
    },
    check(view, changed) {
      if (changed === undefined) return undefined;
      const node = view.nodes.get(changed);
      if (node === undefined || node.role !== "leader") {
        lastSeen.delete(changed);
        return undefined;
      }
      const prev = lastSeen.get(changed);
      const lastIndex = node.lastIndex;
      const lastTerm = node.entryTerm(lastIndex);
      if (prev === undefined) {
        lastSeen.set(changed, { node, term: node.term, lastIndex, lastTerm });
        return undefined;
      }
      // Compare with what was seen before this step, then remember this step's state (in place).
      const sameLeadership = prev.node === node && prev.term === node.term;
      const prevLastIndex = prev.lastIndex;
      const prevLastTerm = prev.lastTerm;
      prev.node = node;
      prev.term = node.term;
      prev.lastIndex = lastIndex;
      prev.lastTerm = lastTerm;
      if (!sameLeadership) return undefined;
      if (lastIndex < prevLastIndex) return `leader ${changed} of term ${node.term} shrank its log from ${prevLastIndex} to ${lastIndex}`;
      const termThen = node.entryTerm(prevLastIndex);
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
  // index → term → the entry first seen there and the term of its predecessor in that log.
  const seen = new Map<number, Map<number, { entry: Entry; prevTerm: number | undefined }>>();
  return {
    name: "LogMatching",
    afterStep(id, step: RaftStep, view: View) {
      const node = view.nodes.get(id);
      if (node === undefined) return undefined;
      for (const record of step.persist) {
        if (record.type !== "entries") continue;
        for (const e of record.entries) {
          const held = node.entryAt(e.index);
          if (held === undefined || held.term !== e.term) continue; // overwritten later in the same step
          const prevTerm = node.entryTerm(e.index - 1);
          let byTerm = seen.get(e.index);
          if (byTerm === undefined) {
            byTerm = new Map();
            seen.set(e.index, byTerm);
          }
          const known = byTerm.get(e.term);
          if (known === undefined) {
            byTerm.set(e.term, { entry: e, prevTerm });
            continue;
          }
          const key = `${e.index}:${e.term}`;
          if (!sameEntry(known.entry, e)) return `${id} holds a different entry at ${key} than another log (${describeEntry(e)} vs ${describeEntry(known.entry)})`;
          if (known.prevTerm !== undefined && prevTerm !== undefined && known.prevTerm !== prevTerm) {
            return `${id}: entry ${key} follows term ${prevTerm}, in another log term ${known.prevTerm}`;
          }
        }
      }
      return undefined;
    },
  };
}

/** One committed entry and the term it was committed in (the spec's `committed` history). */
export interface CommittedEntry {
  readonly entry: Entry;
  /** The term in which it was committed: the lowest term of a node applying it (the committing leader's). */
  term: number;
}

/** Committed entries observed so far (shared by StateMachineSafety and LeaderCompleteness). */
export class CommittedLog {
  readonly byIndex = new Map<number, CommittedEntry>();
}

/**
 * StateMachineSafety: no two nodes apply different entries at the same index (committed entries
 * never differ), across restarts. Also records each committed entry with its commit term.
 */
export function stateMachineSafety(committed: CommittedLog): RaftInvariant {
  return {
    name: "StateMachineSafety",
    afterStep(id, step: RaftStep, view: View) {
      const output = step.output;
      if (output.length === 0) return undefined;
      const term = view.nodes.get(id)?.term ?? Number.MAX_SAFE_INTEGER;
      for (const o of output) {
        if (o.type !== "apply") continue;
        const e = o.entry;
        const known = committed.byIndex.get(e.index);
        if (known === undefined) committed.byIndex.set(e.index, { entry: e, term });
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
  const checked = new Set<string>();
  // Fast path: the last (node id → term) checked; a hit is always in `checked` already.
  const lastChecked = new Map<NodeId, number>();
  return {
    name: "LeaderCompleteness",
    afterStep(_id, step: RaftStep, view: View) {
      for (const o of step.output) {
        if (o.type !== "apply") continue;
        const e = o.entry;
        const c = committed.byIndex.get(e.index);
        if (c === undefined) continue;
        for (const [lid, node] of view.nodes) {
          if (node === undefined || node.role !== "leader" || node.term < c.term) continue;
          if (!holds(node, c)) return `leader ${lid} of term ${node.term} lacks entry ${e.index}:${e.term} committed in term ${c.term}`;
        }
      }
      return undefined;
    },
    check(view, changed) {
      if (changed === undefined) return undefined;
      const node = view.nodes.get(changed);
      if (node === undefined || node.role !== "leader" || lastChecked.get(changed) === node.term) return undefined;
      lastChecked.set(changed, node.term);
      const key = `${changed}@${node.term}`;
      if (checked.has(key)) return undefined;
      checked.add(key);
      for (const c of committed.byIndex.values()) {
        if (c.term > node.term || holds(node, c)) continue;
        return `leader ${changed} of term ${node.term} lacks entry ${c.entry.index}:${c.entry.term} committed in term ${c.term} (holds term ${String(node.entryTerm(c.entry.index))})`;
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
    this.terms.length = Math.max(0, Math.min(this.terms.length, first - this.snapshotIndex - 1));
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
  const shadows = new Map<NodeId, { node: RaftNode<KvReply>; log: ShadowLog }>();
  // The configuration each node had before its current step: entries committed in a step were
  // committed under it (the leader computes the commit index before applying anything).
  const confBefore = new Map<NodeId, { node: RaftNode<KvReply>; conf: ConfState }>();
  // Each entry keeps the configurations it may have been committed under (any of them suffices).
  const committed = new Map<number, { term: number; quorums: readonly QuorumSystem[] | undefined }>();
  const shadowOf = (id: NodeId, node: RaftNode<KvReply>): ShadowLog => {
    const known = shadows.get(id);
    if (known !== undefined && known.node === node) return known.log;
    const log = known === undefined && node.lastIndex === 0 ? new ShadowLog() : ShadowLog.of(node);
    shadows.set(id, { node, log });
    return log;
  };
  const verify = (index: number, view: View): string | undefined => {
    const c = committed.get(index);
    if (c?.quorums === undefined) return undefined;
    const holders = new Set<NodeId>();
    for (const [id, entry] of shadows) {
      const live = view.nodes.get(id);
      if (entry.log.holds(index, c.term) || live?.halted !== undefined) holders.add(id);
    }
    if (c.quorums.some((q) => q.isQuorum(holders))) return undefined;
    return `committed entry ${index}:${c.term} is durable only on ${[...holders].join(",") || "no node"} (voters ${c.quorums.map((q) => `${q.kind} of ${q.voters.join(",")}`).join(" or ")})`;
  };
  return {
    name: "CommittedEntriesDurable",
    afterStep(id, step: RaftStep, view: View) {
      const node = view.nodes.get(id);
      if (node === undefined) return undefined;
      const log = shadowOf(id, node);
      const lost = log.replay(step);
      const before = confBefore.get(id);
      // Only the committing leader knows the configuration an entry was committed under: the one
      // it had before this step, or one a configuration entry applied earlier in this step
      // installed (a leader may commit further under it). Any of them suffices. An entry first
      // seen applied elsewhere (the leader's outputs were lost) is recorded, not checked.
      // (The list is built only when this step outputs something: most steps output nothing.)
      const confThen = before !== undefined && before.node === node && node.role === "leader" ? before.conf : undefined;
      if (before === undefined) confBefore.set(id, { node, conf: node.confState });
      else {
        before.node = node;
        before.conf = node.confState;
      }
      const output = step.output;
      const quorums: QuorumSystem[] | undefined = confThen === undefined || output.length === 0 ? undefined : [cachedQuorumOf(confThen)];
      for (const o of output) {
        if (o.type === "conf" && o.rejected === undefined && quorums !== undefined) quorums.push(cachedQuorumOf(o.conf));
        if (o.type !== "apply" || committed.has(o.entry.index)) continue;
        committed.set(o.entry.index, { term: o.entry.term, quorums: quorums === undefined ? undefined : [...quorums] });
        const problem = verify(o.entry.index, view);
        if (problem !== undefined) return `when ${id} committed it: ${problem}`;
      }
      if (lost !== undefined) {
        for (const index of committed.keys()) {
          if (index < lost) continue;
          const problem = verify(index, view);
          if (problem !== undefined) return problem;
        }
      }
      return undefined;
    },
    check(view, changed) {
      if (changed === undefined) return undefined;
      const node = view.nodes.get(changed);
      const known = shadows.get(changed);
      if (node === undefined || known === undefined || known.node === node) return undefined;
      // A restart: the durable log is what the node recovered.
      const before = known.log.lastIndex;
      const log = ShadowLog.of(node);
      shadows.set(changed, { node, log });
      if (log.lastIndex >= before) return undefined;
      for (const index of committed.keys()) {
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
  const last = new Map<NodeId, { node: RaftNode<KvReply>; term: number; vote: NodeId | undefined }>();
  return {
    name: "PreVoteSafety",
    check(view, changed) {
      if (changed === undefined) return undefined;
      const node = view.nodes.get(changed);
      if (node === undefined) return undefined;
      const prev = last.get(changed);
      const term = node.term;
      const vote = node.vote;
      if (prev === undefined) {
        last.set(changed, { node, term, vote });
        return undefined;
      }
      const sameLifetime = prev.node === node;
      const prevTerm = prev.term;
      const prevVote = prev.vote;
      prev.node = node;
      prev.term = term;
      prev.vote = vote;
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
  return [electionSafety(), leaderAppendOnly(), logMatching(), stateMachineSafety(committed), leaderCompleteness(committed), committedEntriesDurable(), preVoteSafety()];
}
