/**
 * The events of a spec-level trace of a Raft run: what specs/raft/RaftTrace.tla reads, one event a
 * line, each a step of Raft.tla (or, where noted, one of the implementation steps the spec lacks).
 * Field names and values are the spec's (`mtype`, `mterm`, roles "Follower", …), so the TLA+ side
 * compares them without translation.
 */

/** An entry as the spec sees it: its term and a value naming its payload ("noop" for a leader's empty entry). */
export interface SpecEntry {
  readonly term: number;
  readonly value: string;
}

/** A message as Raft.tla's `Message` set describes it (the fields of its type only). */
export type SpecMessage =
  | {
      readonly mtype: "RequestVoteRequest" | "PreVoteRequest";
      readonly mterm: number;
      readonly mlastLogTerm: number;
      readonly mlastLogIndex: number;
      readonly msource: string;
      readonly mdest: string;
    }
  | {
      readonly mtype: "RequestVoteResponse" | "PreVoteResponse";
      readonly mterm: number;
      readonly mvoteGranted: boolean;
      readonly msource: string;
      readonly mdest: string;
    }
  | {
      readonly mtype: "AppendEntriesRequest";
      readonly mterm: number;
      readonly mprevLogIndex: number;
      readonly mprevLogTerm: number;
      readonly mentries: readonly SpecEntry[];
      readonly mcommitIndex: number;
      readonly msource: string;
      readonly mdest: string;
    }
  | {
      readonly mtype: "AppendEntriesResponse";
      readonly mterm: number;
      readonly msuccess: boolean;
      readonly mmatchIndex: number;
      readonly msource: string;
      readonly mdest: string;
    };

/** The spec roles. */
export type SpecRole = "Follower" | "PreCandidate" | "Candidate" | "Leader";

/**
 * A node's state in the spec's terms after an event: `vote` is "" for Nil; `log` is present only
 * when the log changed in the step (the TLA+ side then compares the whole log); `loglen` on the last
 * event of a step, absent on a handler's event that later events of the same step follow (they
 * append entries or send, which changes neither term, vote, role nor commit index).
 */
export interface SpecNodeState {
  readonly term: number;
  readonly vote: string;
  readonly role: SpecRole;
  readonly commit: number;
  readonly loglen?: number;
  readonly log?: readonly SpecEntry[];
}

/**
 * The event names, each one action of Raft.tla (the last three were the implementation's own steps
 * until issue 18 added them to the spec).
 * - `Timeout`, `RequestVote`, `RequestPreVote`, `ClientRequest`, `AppendEntries`: the spec's actions;
 * - `Receive`: the handler of `m`'s type (`HandleRequestVoteRequest`, …), with `reply` when the
 *   implementation answered (the spec's answer must equal it);
 * - `Restart`: a crash and recovery (`Restart(i)`); `StepDown`: a leader's CheckQuorum step-down or a
 *   (pre-)candidate that lost its election becoming a follower of the same term — `Restart(i)` with
 *   the commit index kept, as properties.md maps CheckQuorum;
 * - `Drop`, `Duplicate`: the network's `DropMessage(m)`, `DuplicateMessage(m)` (a vote request
 *   ignored under the leader lease is a drop);
 * - `Noop`: a delivery of a message the spec does not have (a rejected AppendEntries' answer): no
 *   spec variable may change;
 * - `Heartbeat`: a leader's heartbeat, an AppendEntries with no entry at
 *   prevLogIndex = min(matchIndex, commitIndex) (the spec sends an empty one only at its last index);
 * - `ReceiveBelowCommit`: a follower answers an AppendEntries whose prevLogIndex is below
 *   its commit index with success at its commit index, without the log check (etcd's shortcut);
 * - `RefuseVote`: a (pre-)vote refused in the current term because the voter knows a
 *   leader of that term, where the spec would grant it.
 */
export type SpecEventName =
  | "Timeout"
  | "RequestVote"
  | "RequestPreVote"
  | "ClientRequest"
  | "AppendEntries"
  | "Receive"
  | "Restart"
  | "StepDown"
  | "Drop"
  | "Duplicate"
  | "Noop"
  | "Heartbeat"
  | "ReceiveBelowCommit"
  | "RefuseVote";

/**
 * One line of the spec trace. `i` is the node taking the step, `j` the peer (sender of a received
 * message, destination of a sent one); `m` the message sent, received, dropped or duplicated;
 * `value` the client value appended; `post` node i's state after the event (on the last event of
 * each implementation step and on restarts; without the log on the handler's event of a step that
 * sends or appends after it). `at` is the simulator event index it came from.
 */
export interface SpecTraceEvent {
  readonly e: SpecEventName;
  readonly i: string;
  readonly j?: string;
  readonly m?: SpecMessage;
  readonly reply?: SpecMessage;
  readonly value?: string;
  post?: SpecNodeState;
  readonly at: number;
}

/** The first line of a spec trace: the run it came from and the constants the spec needs. */
export interface SpecTraceHeader {
  readonly specTrace: "raft";
  readonly version: 1;
  readonly seed: number;
  readonly nodes: readonly string[];
  readonly durationMs: number;
  readonly faults: string;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Every value a log entry holds in the trace (the spec's `Value`). */
  readonly values: readonly string[];
}
