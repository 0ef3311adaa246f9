import type { Entry } from "../../entry.js";
import type { RaftRole } from "../../io.js";
import type { RaftMessage } from "../../messages.js";
import type { RaftNode } from "../../raft-node.js";
import type { SpecEntry, SpecMessage, SpecNodeState, SpecRole } from "./spec-trace-event.js";

/**
 * How the implementation's state and messages read in the spec's terms (the refinement mapping of
 * trace validation): roles, entries as (term, value), a node's (term, vote, role, commit, log).
 */

const ROLES: Readonly<Record<RaftRole, SpecRole>> = { follower: "Follower", "pre-candidate": "PreCandidate", candidate: "Candidate", leader: "Leader" };

/** @returns the spec role of an implementation role */
export function specRole(role: RaftRole): SpecRole {
  return ROLES[role];
}

/** 32-bit FNV-1a of some bytes, as 8 hex digits. */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * The spec value of an entry: "noop" for a leader's empty entry, else "v" and a hash of its payload
 * (client commands carry a session and sequence number, so distinct commands get distinct values).
 * A configuration entry cannot occur in a validated run (fixed membership) and is named "conf".
 */
export function specEntry(entry: Entry): SpecEntry {
  if (entry.type === "conf") return { term: entry.term, value: "conf" };
  return { term: entry.term, value: entry.data.length === 0 ? "noop" : `v${fnv1a(entry.data)}` };
}

/** @returns node's whole log in the spec's terms (a validated run takes no snapshot, so it starts at index 1) */
export function specLog(node: RaftNode<unknown>): SpecEntry[] {
  if (node.snapshotIndex !== 0) throw new Error(`${node.id} took a snapshot (index ${node.snapshotIndex}): trace validation needs snapshots off`);
  return node.entriesBetween(1, node.lastIndex + 1).map(specEntry);
}

/** A node's spec-visible state with its whole log (the recorder keeps one per node). */
export interface NodeSnapshot {
  readonly term: number;
  readonly vote: string;
  readonly role: SpecRole;
  readonly commit: number;
  readonly log: readonly SpecEntry[];
}

/** @returns node's state in the spec's terms */
export function snapshotOf(node: RaftNode<unknown>): NodeSnapshot {
  return { term: node.term, vote: node.vote ?? "", role: specRole(node.role), commit: node.commitIndex, log: specLog(node) };
}

/** @returns whether two logs are equal entry for entry */
export function sameLog(a: readonly SpecEntry[], b: readonly SpecEntry[]): boolean {
  return a.length === b.length && a.every((e, k) => e.term === b[k]?.term && e.value === b[k]?.value);
}

/** @returns the post-state line of a snapshot (`log` only when it differs from `before`) */
export function postOf(now: NodeSnapshot, before: NodeSnapshot | undefined): SpecNodeState {
  const post: SpecNodeState = { term: now.term, vote: now.vote, role: now.role, commit: now.commit, loglen: now.log.length };
  return before !== undefined && sameLog(before.log, now.log) ? post : { ...post, log: now.log };
}

/** @returns whether two snapshots agree on everything the spec sees */
export function sameSnapshot(a: NodeSnapshot, b: NodeSnapshot): boolean {
  return a.term === b.term && a.vote === b.vote && a.role === b.role && a.commit === b.commit && sameLog(a.log, b.log);
}

/**
 * The spec message of a request the implementation sends (`from` → `to`), read against the sender's
 * state after its step (`log`: its log then; `commit`: for a heartbeat, the index it carries). Answers
 * are mapped by the recorder, which knows what they answer.
 * @returns the spec message, or undefined for a message kind the spec does not have
 */
export function specRequest(from: string, to: string, m: RaftMessage, log: readonly SpecEntry[]): SpecMessage | undefined {
  switch (m.type) {
    case "vote":
    case "preVote":
      return {
        mtype: m.type === "vote" ? "RequestVoteRequest" : "PreVoteRequest",
        mterm: m.term,
        mlastLogTerm: m.lastTerm,
        mlastLogIndex: m.lastIndex,
        msource: from,
        mdest: to,
      };
    case "append": {
      const entries = m.entries.map(specEntry);
      return {
        mtype: "AppendEntriesRequest",
        mterm: m.term,
        mprevLogIndex: m.prevIndex,
        mprevLogTerm: m.prevTerm,
        mentries: entries,
        // The spec caps the commit index at what the message covers; the follower applies the same cap.
        mcommitIndex: Math.min(m.commit, m.prevIndex + entries.length),
        msource: from,
        mdest: to,
      };
    }
    case "heartbeat":
      return {
        mtype: "AppendEntriesRequest",
        mterm: m.term,
        mprevLogIndex: m.commit,
        mprevLogTerm: m.commit === 0 ? 0 : (log[m.commit - 1]?.term ?? -1),
        mentries: [],
        mcommitIndex: m.commit,
        msource: from,
        mdest: to,
      };
    default:
      return undefined;
  }
}

/** @returns an AppendEntries answer in the spec's terms */
export function appendResponse(from: string, to: string, term: number, success: boolean, matchIndex: number): SpecMessage {
  return { mtype: "AppendEntriesResponse", mterm: term, msuccess: success, mmatchIndex: matchIndex, msource: from, mdest: to };
}

/** @returns a (pre-)vote answer in the spec's terms */
export function voteResponse(type: "vote" | "preVote", from: string, to: string, term: number, granted: boolean): SpecMessage {
  return { mtype: type === "vote" ? "RequestVoteResponse" : "PreVoteResponse", mterm: term, mvoteGranted: granted, msource: from, mdest: to };
}
