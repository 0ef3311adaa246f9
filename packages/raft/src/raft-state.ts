import type { SnapshotAssembly } from "./snapshot-assembly.js";
import { SnapshotBackoff } from "./snapshot-backoff.js";
import { StepBuilder, type NodeId, type Rng } from "@synod/core";
import type { QuorumSystem } from "@synod/quorum";
import type { RaftConfig } from "./config.js";
import { quorumOf, type ConfState } from "./conf-state.js";
import type { NotLeaderError, RequestRefusedError } from "./errors.js";
import type { RaftOutput, RaftRole } from "./io.js";
import { ROUND_HISTORY } from "./limits.js";
import type { RaftMessage } from "./messages.js";
import { newRaftMetrics, type RaftMetrics, type RejectReason } from "./metrics.js";
import type { Progress } from "./progress.js";
import type { RaftLog } from "./raft-log.js";
import { PendingProposals } from "./pending-proposals.js";
import { ReadOnlyQueue } from "./read-only.js";
import type { RaftRecord } from "./records.js";
import type { StateMachine } from "./state-machine.js";

/** The message of kind `T`. */
export type Msg<T extends RaftMessage["type"]> = Extract<RaftMessage, { type: T }>;

/** What a role does with a message of the current term (etcd's `stepFunc`); set by the `becomeX` functions. */
export type RoleStep = <R>(r: RaftState<R>, from: NodeId, m: RaftMessage) => void;
/** What a role does on a tick (etcd's `tickFunc`); set by the `becomeX` functions. */
export type RoleTick = <R>(r: RaftState<R>) => void;

/**
 * Everything one Raft node knows and holds, shared by the role step functions and the rule modules
 * of `src/rules/` (etcd's `raft` struct). Internal: {@link RaftNode} is the API. Fields are
 * mutable on purpose; the rule that changes a field says so in its own file.
 */
export class RaftState<R> {
  readonly metrics: RaftMetrics = newRaftMetrics();
  readonly readOnly: ReadOnlyQueue;
  readonly progress = new Map<NodeId, Progress>();
  /** Leader: the data proposals accepted and not yet applied (for `apply`'s tag, and `unknown` on step-down). */
  readonly proposals = new PendingProposals();
  /** Answers to the current campaign (true: granted). */
  readonly votes = new Map<NodeId, boolean>();
  /** The leader's tick when each recent heartbeat round was sent (lease reads), by round mod {@link ROUND_HISTORY}. */
  readonly roundSentTick = new Array<number>(ROUND_HISTORY).fill(0);
  readonly out = new StepBuilder<RaftMessage, RaftOutput<R>, RaftRecord>();
  // The quorum systems' callbacks, built once (hot: every acknowledgement asks for a commit index).
  readonly voteOf = (id: NodeId): boolean | undefined => this.votes.get(id);
  readonly matchOf = (id: NodeId): number | undefined => this.progress.get(id)?.match;
  readonly ackedRoundOf = (id: NodeId): number | undefined => (id === this.id ? this.heartbeatRound : this.progress.get(id)?.ackedRound);

  /** The step function of the current role (see roles.ts). */
  step: RoleStep;
  /** The tick function of the current role (see roles.ts). */
  tick: RoleTick;

  term = 0;
  vote: NodeId | undefined;
  lead: NodeId | undefined;
  role: RaftRole = "follower";
  conf: ConfState;
  quorum: QuorumSystem;
  // Derived from `conf` whenever it changes (see adoptConf in rules/membership.ts): hot paths read them every tick.
  confMemberIds: readonly NodeId[] = [];
  selfVoter = false;
  selfIsQuorum = false;
  electionElapsedTicks = 0;
  heartbeatElapsedTicks = 0;
  randomizedElectionTimeoutTicks = 0;
  /** Adaptive election timeout (see rules/adaptive-election-timeout.ts): 0 until one is learned. */
  adaptiveElectionTimeoutTicks = 0;
  /** Leader: smoothed heartbeat round trip and its mean deviation, in ticks (0: no sample yet). */
  rttSmoothedTicks = 0;
  rttDeviationTicks = 0;
  /** Leader, adaptive batching (see rules/adaptive-batching.ts): the smoothed queue depth, and the batch target it gives (1: hold nothing). */
  batchDepth = 0;
  batchTarget = 1;
  nowTicks = 0;
  leadTransferee: NodeId | undefined;
  /** Leader: a TimeoutNow went out in this leadership (its target may campaign, skipping vote leases, whenever it arrives). */
  timeoutNowSent = false;
  /** Leader: a transfer was abandoned after its TimeoutNow went out: the lease is void for the rest of this leadership. */
  transferAbandonedAfterTimeoutNow = false;
  /**
   * This lifetime recovered a term (a restart, not a first boot): for its first election timeout it
   * refuses votes as if it heard from a leader — it may have acknowledged a leader's lease just
   * before it went down (vote-granting.ts).
   */
  restarted = false;
  pendingConfIndex = 0;
  heartbeatRound = 0;
  readsBeforeCommit: { tag: number; query: Uint8Array }[] = [];
  haltReason: string | undefined;
  /** The error every request to this halted node is refused with (built once: the reason never changes). */
  haltedError: RequestRefusedError | undefined;
  /** The initial members, for round-robin retry hints. */
  readonly members: readonly NodeId[];
  retryCursor: number;
  // Refusal errors are immutable values, so they are reused while they still say the same thing (a
  // not-leader error per known leader; the last refusal of the other kinds): building an Error
  // captures a stack trace, the main cost of a refusal (clients probing for the leader cause many).
  lastRefusedError: RequestRefusedError | undefined;
  /** Not-leader errors of this node, by the leader it knew (undefined: none). */
  readonly notLeaderErrors = new Map<NodeId | undefined, NotLeaderError>();
  alarmReported = false;
  /** Whether this node has raised its one alarm for reaching the term ceiling (term-ceiling.ts). */
  termCeilingAlarmed = false;
  /** Spaces out retries of a snapshot too large to send (snapshot-backoff.ts). */
  readonly snapshotBackoff = new SnapshotBackoff();
  /** Follower: the chunks received so far of the current leader's snapshot (rules/snapshots.ts). */
  snapshotAssembly: SnapshotAssembly | undefined;
  /** Queues a durable record of this step (a stable function, for the entries-record rule). */
  readonly pushRecord = (record: RaftRecord): void => void this.records.push(record);

  // What this step must persist (see persistence.ts).
  records: RaftRecord[] = [];
  compactStep = false;
  persisted: { term: number; vote: NodeId | undefined; commit: number } | undefined;
  reported: { role: RaftRole; term: number; leader: NodeId | undefined } = { role: "follower", term: 0, leader: undefined };

  /**
   * @param id - this node
   * @param members - the initial members (non-empty)
   * @param config - validated configuration
   * @param rng - the seeded randomness (election timeouts)
   * @param sm - the replicated application
   * @param log - the (empty) log
   * @param known - every node this node accepts messages from
   * @param conf - the initial configuration
   * @param step - the initial role's step function
   * @param tick - the initial role's tick function
   */
  constructor(
    readonly id: NodeId,
    members: readonly NodeId[],
    readonly config: RaftConfig,
    readonly rng: Rng,
    readonly sm: StateMachine<R>,
    readonly log: RaftLog,
    readonly known: Set<NodeId>,
    conf: ConfState,
    step: RoleStep,
    tick: RoleTick,
  ) {
    this.members = members;
    this.retryCursor = Math.max(0, members.indexOf(id));
    this.readOnly = new ReadOnlyQueue(config.maxPendingReads);
    this.conf = conf;
    this.quorum = quorumOf(conf);
    this.step = step;
    this.tick = tick;
  }

  /** Send `message` to `to` (counted). */
  send(to: NodeId, message: RaftMessage): void {
    this.metrics.messagesSent++;
    this.out.send({ from: this.id, to, message });
  }

  /** Count a dropped incoming message by the reason it was refused. */
  reject(reason: RejectReason): void {
    this.metrics.rejected[reason]++;
  }
}
