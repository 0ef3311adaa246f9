import { SynodError, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Rng, type Step } from "@synod/core";
import type { QuorumSystem } from "@synod/quorum";
import { validateRaftConfig, type RaftConfig } from "./config.js";
import { applyConfChange, confMembers, isJoint, isVoter, quorumOf, type ConfState } from "./conf-state.js";
import type { ConfChange, Entry } from "./entry.js";
import { NotLeaderError, RequestRefusedError, type RefusalReason } from "./errors.js";
import type { RaftInput, RaftOutput, RaftRole } from "./io.js";
import type { RaftMessage, SnapshotPayload } from "./messages.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_SNAPSHOT_BYTES, raftMessageCodec } from "./messages.js";
import { newRaftMetrics, type RaftMetrics, type RejectReason } from "./metrics.js";
import { Progress } from "./progress.js";
import { RaftLog } from "./raft-log.js";
import { ReadOnlyQueue } from "./read-only.js";
import type { RaftRecord } from "./records.js";
import type { StateMachine } from "./state-machine.js";
import { pushEntriesRecords } from "./entries-records.js";
import { SnapshotBackoff } from "./snapshot-backoff.js";
import { canCampaignAbove, logHasRoom, termCeilingAlarm, termClaimRejection } from "./term-ceiling.js";

const EMPTY_BYTES = new Uint8Array(0);
/** Most not-leader errors a node keeps for reuse (one per leader it knew); the cache restarts beyond. */
const MAX_CACHED_ERRORS = 64;

/** Heartbeat rounds whose send tick is remembered (for leases). */
const ROUND_HISTORY = 256;

/** Everything a {@link RaftNode} is built from. */
export interface RaftNodeOptions<R> {
  /** Id, initial members, seeded Rng and recovered durable state. */
  readonly ctx: NodeContext<RaftRecord>;
  /** The replicated application (fresh at every start; restored from the snapshot and the log). */
  readonly stateMachine: StateMachine<R>;
  /** Overrides of {@link DEFAULT_RAFT_CONFIG}. */
  readonly config?: Partial<RaftConfig>;
  /** The configuration before any change is applied (default: every initial member is a voter). */
  readonly initialConf?: ConfState;
}

type Msg<T extends RaftMessage["type"]> = Extract<RaftMessage, { type: T }>;

/**
 * A Raft node as a pure state machine: election with Pre-Vote and CheckQuorum, log replication with
 * flow control and fast backtracking, the Figure-8 commit rule through @synod/quorum, snapshots,
 * leadership transfer, ReadIndex and lease reads, and joint-consensus membership changes. Drive it
 * with `tick`, `receive` and `request`; obey each returned {@link Step} (persist, then send, then
 * hand out the outputs).
 *
 * @typeParam R - the state machine's result type
 * @example
 * const node = new RaftNode({ ctx: { id: "n1", members: ["n1"], rng: createRng(1), recovered: FRESH_STATE }, stateMachine: new KvStateMachine() });
 * node.request({ type: "campaign" }); // a single node elects itself
 * const step = node.request({ type: "propose", data: encodeKvCommand({ client: 1, seq: 1, op: { type: "put", key: "x", value: "1" } }), tag: 1 });
 */
export class RaftNode<R> implements ProtocolNode<RaftMessage, RaftInput, RaftOutput<R>, RaftRecord> {
  /** This node's id. */
  readonly id: NodeId;
  /** The validated configuration. */
  readonly config: RaftConfig;
  /** Lifetime counters (reset at restart). */
  readonly metrics: RaftMetrics = newRaftMetrics();

  private readonly rng: Rng;
  private readonly sm: StateMachine<R>;
  private readonly log: RaftLog;
  private readonly known: Set<NodeId>;
  private readonly readOnly: ReadOnlyQueue;
  private readonly progress = new Map<NodeId, Progress>();
  private readonly votes = new Map<NodeId, boolean>();
  private readonly roundSentTick = new Array<number>(ROUND_HISTORY).fill(0);
  private readonly out = new StepBuilder<RaftMessage, RaftOutput<R>, RaftRecord>();
  // The quorum systems' callbacks, built once (hot: every acknowledgement asks for a commit index).
  private readonly voteOf = (id: NodeId): boolean | undefined => this.votes.get(id);
  private readonly matchOf = (id: NodeId): number | undefined => this.progress.get(id)?.match;
  private readonly ackedRoundOf = (id: NodeId): number | undefined => (id === this.id ? this.heartbeatRound : this.progress.get(id)?.ackedRound);
  // Per-follower callbacks of the leader's tick, built once (Map#forEach: no entry pair per follower).
  private readonly retrySnapshot = (pr: Progress, id: NodeId): void => {
    if (pr.state !== "snapshot") return;
    if (++pr.snapshotTicks >= this.config.snapshotRetryTicks) {
      pr.becomeProbe();
      this.maybeSendAppend(id, true);
    }
  };
  private readonly sendHeartbeat = (pr: Progress, id: NodeId): void => {
    if (id === this.id) return;
    this.send(id, { type: "heartbeat", term: this.termValue, commit: Math.min(pr.match, this.log.committed), context: this.heartbeatRound });
  };

  private termValue = 0;
  private voteValue: NodeId | undefined;
  private leaderValue: NodeId | undefined;
  private roleValue: RaftRole = "follower";
  private conf: ConfState;
  private quorum: QuorumSystem;
  // Derived from `conf` whenever it changes (see adoptConf): hot paths read them every tick.
  private confMemberIds: readonly NodeId[] = [];
  private selfVoter = false;
  private selfIsQuorum = false;
  private electionElapsedTicks = 0;
  private heartbeatElapsedTicks = 0;
  private randomizedElectionTimeoutTicks = 0;
  private nowTicks = 0;
  private leadTransferee: NodeId | undefined;
  private pendingConfIndex = 0;
  private heartbeatRound = 0;
  private readsBeforeCommit: { tag: number; query: Uint8Array }[] = [];
  private haltReason: string | undefined;
  /** The error every request to this halted node is refused with (built once: the reason never changes). */
  private haltedError: RequestRefusedError | undefined;
  private readonly members: readonly NodeId[];
  private retryCursor = 0;
  // Refusal errors are immutable values, so they are reused while they still say the same thing (a
  // not-leader error per known leader, see notLeaderError; the last refusal of the other kinds):
  // building an Error captures a stack trace, the main cost of a refusal (clients probing for the
  // leader cause many).
  private lastRefusedError: RequestRefusedError | undefined;
  /** Not-leader errors of this node, by the leader it knew (undefined: none). */
  private readonly notLeaderErrors = new Map<NodeId | undefined, NotLeaderError>();
  private alarmReported = false;
  private readonly pushRecord = (record: RaftRecord): void => void this.records.push(record);
  private termCeilingAlarmed = false;
  private readonly snapshotBackoff = new SnapshotBackoff();

  // What this step must persist.
  private records: RaftRecord[] = [];
  private compactStep = false;
  private persisted: { term: number; vote: NodeId | undefined; commit: number } | undefined;
  private reported: { role: RaftRole; term: number; leader: NodeId | undefined };

  /**
   * @param options - context, state machine, configuration
   * @throws {ConfigError} when the configuration is invalid
   */
  constructor(options: RaftNodeOptions<R>) {
    const { ctx } = options;
    this.id = ctx.id;
    this.members = ctx.members.length > 0 ? [...ctx.members] : [ctx.id];
    this.retryCursor = Math.max(0, this.members.indexOf(ctx.id));
    this.config = validateRaftConfig(options.config);
    this.rng = ctx.rng;
    this.sm = options.stateMachine;
    this.readOnly = new ReadOnlyQueue(this.config.maxPendingReads);
    const initial: ConfState = options.initialConf ?? { voters: [...ctx.members], outgoing: [], learners: [] };
    this.conf = initial;
    this.known = new Set([...ctx.members, ...confMembers(initial)]);
    this.log = new RaftLog({ index: 0, term: 0, conf: initial, data: EMPTY_BYTES });
    this.recover(ctx.recovered.records, ctx.recovered.corrupted);
    this.quorum = quorumOf(this.conf);
    this.adoptConf(this.conf);
    for (const id of this.confMemberIds) this.known.add(id);
    this.resetRandomizedElectionTimeout();
    this.reported = { role: this.roleValue, term: this.termValue, leader: this.leaderValue };
  }

  // ---------------------------------------------------------------- inspection (read-only)

  /** Current term. */
  get term(): number {
    return this.termValue;
  }
  /** Who this node voted for in the current term. */
  get vote(): NodeId | undefined {
    return this.voteValue;
  }
  /** Current role. */
  get role(): RaftRole {
    return this.roleValue;
  }
  /** The leader this node knows of in the current term. */
  get leader(): NodeId | undefined {
    return this.leaderValue;
  }
  /** Highest index known committed. */
  get commitIndex(): number {
    return this.log.committed;
  }
  /** Highest index applied to the state machine. */
  get appliedIndex(): number {
    return this.log.applied;
  }
  /** Index of the last log entry. */
  get lastIndex(): number {
    return this.log.lastIndex;
  }
  /** Index covered by the latest snapshot (entries up to it are compacted). */
  get snapshotIndex(): number {
    return this.log.snapshotIndex;
  }
  /** The applied configuration. */
  get confState(): ConfState {
    return this.conf;
  }
  /** Why this node refuses to run (corrupted storage), or undefined. */
  get halted(): string | undefined {
    return this.haltReason;
  }
  /** The randomized election timeout currently in force, in ticks. */
  get electionTimeoutTicks(): number {
    return this.randomizedElectionTimeoutTicks;
  }
  /** @returns the term of entry `index` (the snapshot's term at its index), undefined when not held */
  entryTerm(index: number): number | undefined {
    return this.log.term(index);
  }
  /** @returns the entry at `index`, undefined when compacted or beyond the end */
  entryAt(index: number): Entry | undefined {
    return this.log.entry(index);
  }
  /**
   * @returns the entries held in [lo, hi) (clamped to what the log holds; at most 10,000), for
   * inspection and invariant checks
   */
  entriesBetween(lo: number, hi: number): Entry[] {
    const from = Math.max(lo, this.log.firstIndex);
    const to = Math.min(hi, this.log.lastIndex + 1, from + MAX_ENTRIES_PER_MESSAGE_WIRE);
    return from >= to ? [] : [...(this.log.slice(from, to, MAX_ENTRIES_PER_MESSAGE_WIRE, Number.MAX_SAFE_INTEGER) ?? [])];
  }

  /** @returns a copy of the follower-progress view (leader only; empty otherwise) */
  progressOf(id: NodeId): Readonly<Pick<Progress, "match" | "next" | "state">> | undefined {
    const pr = this.progress.get(id);
    return pr === undefined ? undefined : { match: pr.match, next: pr.next, state: pr.state };
  }

  // ---------------------------------------------------------------- inputs

  /** Advance logical time by one tick. */
  tick(): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    if (this.haltReason !== undefined) return this.haltedStep();
    this.nowTicks++;
    this.maybeApply();
    if (this.roleValue === "leader") this.tickHeartbeat();
    else this.tickElection();
    this.maybeApply(); // a single-voter leader elected by this tick commits at once
    return this.finish();
  }

  /**
   * Handle a decoded message from `from` (its content is a peer's claim: checked, counted and dropped
   * when bad). Its shape is trusted: bytes from a network go to {@link receiveBytes}.
   */
  receive(from: NodeId, message: RaftMessage): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    if (this.haltReason !== undefined) {
      this.metrics.rejected.halted++;
      return this.haltedStep();
    }
    this.maybeApply();
    this.step(from, message);
    this.maybeApply();
    return this.finish();
  }

  /** Handle the bytes of a message from `from`: decoded by raftMessageCodec, else counted as malformed and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    const decoded = raftMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.reject("malformed");
    return this.haltReason !== undefined ? this.haltedStep() : this.finish();
  }

  /** Handle a client or administrative request (see {@link RaftInput}). */
  request(input: RaftInput): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    if (this.haltReason !== undefined) {
      if ("tag" in input) this.out.output({ type: "refused", tag: input.tag, error: (this.haltedError ??= new RequestRefusedError("halted", `${this.id} refuses to run: ${this.haltReason}`)), retryAt: this.otherMember() });
      return this.haltedStep();
    }
    this.maybeApply();
    switch (input.type) {
      case "propose":
        this.onPropose(input.tag, [input.data]);
        break;
      case "propose-batch":
        this.onPropose(input.tag, input.items);
        break;
      case "read":
        this.onRead(input.tag, input.query);
        break;
      case "campaign":
        this.hup(false);
        break;
      case "transfer-leadership":
        this.onTransferLeadership(input.tag, input.to);
        break;
      case "change-membership":
        this.onChangeMembership(input.tag, input.voters, input.learners);
        break;
      case "compact":
        if (this.log.applied > this.log.snapshotIndex) this.takeSnapshot();
        break;
    }
    this.maybeApply();
    return this.finish();
  }

  // ---------------------------------------------------------------- recovery and persistence

  private recover(records: readonly RaftRecord[], corrupted: number): void {
    if (corrupted > 0) {
      this.halt(`storage holds ${corrupted} corrupted record(s): this node may have forgotten a vote or an acknowledged entry. Wipe its storage and re-add it to the cluster as a new member.`);
      return;
    }
    let commit = 0;
    for (const record of records) {
      switch (record.type) {
        case "hardState":
          this.termValue = record.term;
          this.voteValue = record.vote ?? undefined;
          commit = record.commit;
          break;
        case "snapshot":
          this.log.restore(record.snapshot);
          this.conf = record.snapshot.conf;
          commit = Math.max(commit, record.snapshot.index);
          break;
        case "entries": {
          const first = (record.entries[0] as Entry).index;
          if (first <= this.log.snapshotIndex || first > this.log.lastIndex + 1) {
            this.halt(`storage is inconsistent: entries from ${first} do not follow the log (snapshot ${this.log.snapshotIndex}, last ${this.log.lastIndex}). Wipe this node's storage and re-add it.`);
            return;
          }
          this.log.truncateAndAppend(record.entries);
          break;
        }
      }
    }
    if (commit > this.log.lastIndex) {
      this.halt(`storage is inconsistent: commit index ${commit} beyond the last entry ${this.log.lastIndex}. Wipe this node's storage and re-add it.`);
      return;
    }
    if (this.log.snapshotIndex > 0) this.sm.restore(this.log.snapshot.data);
    this.log.committed = Math.max(this.log.committed, commit);
    this.persisted = { term: this.termValue, vote: this.voteValue, commit: this.log.committed };
  }

  private halt(reason: string): void {
    this.haltReason = reason;
    this.haltedError = undefined;
  }

  private haltedStep(): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    if (!this.alarmReported) {
      this.alarmReported = true;
      this.out.output({ type: "alarm", reason: `${this.id} refuses to run: ${this.haltReason ?? ""}` });
    }
    return this.out.finish();
  }

  /** Close the step: persist the hard state if it changed, report role changes. */
  private finish(): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    // The hard state is written whenever term, vote or commit index changed. Persisting the commit
    // index matters for membership: a restarted node applies every configuration change it knew
    // committed before it acts, instead of acting under an older configuration.
    const p = this.persisted;
    if (p === undefined || p.term !== this.termValue || p.vote !== this.voteValue || p.commit !== this.log.committed) {
      this.records.push({ type: "hardState", term: this.termValue, vote: this.voteValue ?? null, commit: this.log.committed });
      if (p === undefined) this.persisted = { term: this.termValue, vote: this.voteValue, commit: this.log.committed };
      else {
        // In place: the object is private (the record pushed above is a separate, immutable value).
        p.term = this.termValue;
        p.vote = this.voteValue;
        p.commit = this.log.committed;
      }
    }
    const records = this.records;
    if (this.compactStep) this.out.compact(records);
    else for (let k = 0; k < records.length; k++) this.out.persist(records[k] as RaftRecord);
    if (records.length > 0) this.records = [];
    this.compactStep = false;
    const rep = this.reported;
    if (rep.role !== this.roleValue || rep.term !== this.termValue || rep.leader !== this.leaderValue) {
      if (rep.role !== this.roleValue || rep.leader !== this.leaderValue) {
        this.out.output({ type: "role", role: this.roleValue, term: this.termValue, leader: this.leaderValue });
      }
      this.reported = { role: this.roleValue, term: this.termValue, leader: this.leaderValue };
    }
    return this.out.finish();
  }

  private persistEntries(entries: readonly Entry[]): void {
    pushEntriesRecords(entries, this.pushRecord);
  }

  /** Replace all durable state by the snapshot and the entries after it (compaction). */
  private persistCompacted(): void {
    this.records = [{ type: "snapshot", snapshot: this.log.snapshot }];
    this.persistEntries(this.log.allEntries());
    this.compactStep = true;
    this.persisted = undefined;
  }

  private send(to: NodeId, message: RaftMessage): void {
    this.metrics.messagesSent++;
    this.out.send({ from: this.id, to, message });
  }

  private reject(reason: RejectReason): void {
    this.metrics.rejected[reason]++;
  }

  // ---------------------------------------------------------------- roles

  private resetRandomizedElectionTimeout(): void {
    const base = this.config.electionTimeoutTicks;
    this.randomizedElectionTimeoutTicks = this.rng.int(base, 2 * base);
  }

  private promotable(): boolean {
    return this.selfVoter;
  }

  /** Make `conf` the configuration in force, with its quorum system and the values derived from it. */
  private adoptConf(conf: ConfState): void {
    if (conf !== this.conf) {
      this.conf = conf;
      this.quorum = quorumOf(conf);
    }
    this.confMemberIds = confMembers(conf);
    this.selfVoter = isVoter(conf, this.id);
    this.selfIsQuorum = this.quorum.isQuorum(new Set([this.id]));
  }

  private reset(term: number): void {
    if (term !== this.termValue) {
      this.termValue = term;
      this.voteValue = undefined;
    }
    this.leaderValue = undefined;
    this.electionElapsedTicks = 0;
    this.heartbeatElapsedTicks = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = undefined;
    this.votes.clear();
    this.progress.clear();
    this.pendingConfIndex = 0;
    this.failPendingReads();
  }

  private becomeFollower(term: number, leader: NodeId | undefined): void {
    this.reset(term);
    this.roleValue = "follower";
    this.leaderValue = leader;
  }

  private becomePreCandidate(): void {
    // Pre-Vote changes neither the term nor the vote: a failed pre-campaign leaves no trace.
    this.roleValue = "pre-candidate";
    this.resetRandomizedElectionTimeout();
    this.votes.clear();
    this.leaderValue = undefined;
    this.failPendingReads();
  }

  private becomeCandidate(): void {
    this.reset(this.termValue + 1);
    this.voteValue = this.id;
    this.roleValue = "candidate";
  }

  private becomeLeader(): void {
    this.reset(this.termValue);
    this.roleValue = "leader";
    this.leaderValue = this.id;
    this.metrics.leaderElections++;
    for (const id of this.confMemberIds) this.addProgress(id);
    // Conf changes proposed before this term may still be in the log: wait until they are applied.
    this.pendingConfIndex = this.log.lastIndex;
    this.appendEntries([{ type: "normal", data: EMPTY_BYTES }]);
    this.bcastAppend();
  }

  private addProgress(id: NodeId): void {
    if (this.progress.has(id)) return;
    const pr = new Progress(this.log.lastIndex + 1, this.config.maxInflightMessages);
    if (id === this.id) {
      pr.match = this.log.lastIndex;
      pr.becomeReplicate();
      pr.recentActive = true;
    }
    this.progress.set(id, pr);
  }

  private tickElection(): void {
    this.electionElapsedTicks++;
    if (this.promotable() && this.electionElapsedTicks >= this.randomizedElectionTimeoutTicks) {
      this.electionElapsedTicks = 0;
      this.hup(false);
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsedTicks++;
    this.electionElapsedTicks++;
    this.progress.forEach(this.retrySnapshot);
    if (this.electionElapsedTicks >= this.config.electionTimeoutTicks) {
      this.electionElapsedTicks = 0;
      if (this.config.checkQuorum) {
        const active = new Set<NodeId>();
        for (const [id, pr] of this.progress) if (id === this.id || pr.recentActive) active.add(id);
        if (!this.quorum.isQuorum(active)) {
          this.becomeFollower(this.termValue, undefined);
          return;
        }
        for (const [id, pr] of this.progress) if (id !== this.id) pr.recentActive = false;
      }
      // A transfer that did not finish within an election timeout is abandoned.
      this.leadTransferee = undefined;
    }
    if (this.heartbeatElapsedTicks >= this.config.heartbeatTicks) {
      this.heartbeatElapsedTicks = 0;
      this.bcastHeartbeat();
    }
  }

  /** Start an election (after a timeout, a `campaign` request or TimeoutNow). */
  private hup(transfer: boolean): void {
    if (this.roleValue === "leader" || !this.promotable()) return;
    this.electionElapsedTicks = 0;
    if (!canCampaignAbove(this.termValue)) {
      if (!this.termCeilingAlarmed) this.out.output({ type: "alarm", reason: termCeilingAlarm(this.id) });
      this.termCeilingAlarmed = true;
      return;
    }
    if (this.config.preVote && !transfer) this.campaign(true, false);
    else this.campaign(false, transfer);
  }

  private campaign(pre: boolean, transfer: boolean): void {
    let voteTerm: number;
    if (pre) {
      this.becomePreCandidate();
      voteTerm = this.termValue + 1;
    } else {
      this.becomeCandidate();
      voteTerm = this.termValue;
    }
    this.votes.set(this.id, true);
    if (this.quorum.voteResult(this.voteOf) === "won") {
      if (pre) this.campaign(false, false);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex;
    const lastTerm = this.log.lastTerm;
    for (const id of this.confMemberIds) {
      if (id === this.id || !isVoter(this.conf, id)) continue;
      this.send(id, pre ? { type: "preVote", term: voteTerm, lastIndex, lastTerm } : { type: "vote", term: voteTerm, lastIndex, lastTerm, transfer });
    }
  }

  // ---------------------------------------------------------------- message dispatch

  private step(from: NodeId, m: RaftMessage): void {
    if (from === this.id || !this.known.has(from)) {
      this.reject(from === this.id ? "unexpected" : "unknown-sender");
      return;
    }
    // Messages come in ten shapes, so reading a field common to all of them is a slow (megamorphic)
    // load: `term` and `type` are read once, and every decision below uses these copies (TypeScript
    // narrows `m` by the copied `type` just as by `m.type`).
    const term = m.term;
    const type = m.type;
    if (term === 0 || !this.wellFormed(m)) {
      this.reject("malformed");
      return;
    }
    const beyondCeiling = termClaimRejection(this.termValue, term);
    if (beyondCeiling !== undefined) return this.reject(beyondCeiling);
    if (term > this.termValue) {
      if (type === "vote" || type === "preVote") {
        const force = type === "vote" && m.transfer;
        const inLease = this.config.checkQuorum && this.leaderValue !== undefined && this.electionElapsedTicks < this.config.electionTimeoutTicks;
        if (!force && inLease) {
          // We hear from a leader: do not help depose it (and do not adopt the higher term).
          this.reject("in-lease");
          return;
        }
      }
      if (type === "preVote" || (type === "preVoteResponse" && m.granted)) {
        // A pre-vote (or a granted answer to ours) never changes our term.
      } else if (type === "append" || type === "heartbeat" || type === "snapshot") {
        this.becomeFollower(term, from);
      } else {
        this.becomeFollower(term, undefined);
      }
    } else if (term < this.termValue) {
      if ((this.config.checkQuorum || this.config.preVote) && (type === "append" || type === "heartbeat")) {
        // A stale leader may be cut off: tell it our term so it steps down.
        this.send(from, { type: "appendResponse", term: this.termValue, index: 0, reject: false, hintIndex: 0, hintTerm: 0 });
      } else if (type === "preVote") {
        this.send(from, { type: "preVoteResponse", term: this.termValue, granted: false });
      }
      this.reject("stale-term");
      return;
    }
    this.metrics.messagesReceived++;

    // By message type, then by role.
    const role = this.roleValue;
    switch (type) {
      case "vote":
      case "preVote":
        this.onVoteRequest(from, m);
        return;
      case "append":
      case "heartbeat":
      case "snapshot":
        // From the leader of our term. Two leaders in one term is impossible in Raft: a peer
        // sending them to a leader is faulty (dropped).
        if (role === "leader") {
          this.reject("unexpected");
          return;
        }
        if (role === "follower") {
          this.electionElapsedTicks = 0;
          this.leaderValue = from;
        } else {
          this.becomeFollower(term, from); // a candidate learns the election is lost
        }
        if (type === "append") this.onAppendEntries(from, m);
        else if (type === "heartbeat") this.onHeartbeat(from, m);
        else this.onInstallSnapshot(from, m);
        return;
      case "appendResponse":
        if (role === "leader") this.onAppendResponse(from, m);
        return;
      case "heartbeatResponse":
        if (role === "leader") this.onHeartbeatResponse(from, m);
        return;
      case "preVoteResponse":
      case "voteResponse":
        // Counted only by a campaign of the kind answered; late answers to an old one are ignored.
        if (role === "pre-candidate" ? type === "preVoteResponse" : role === "candidate" && type === "voteResponse") this.onVoteResponse(from, m);
        return;
      case "timeoutNow":
        if (role !== "follower") return;
        if (from === this.leaderValue) this.hup(true);
        else this.reject("unexpected");
        return;
    }
  }

  /** Checks a message against what any correct peer could send (ranges the schema cannot see). */
  private wellFormed(m: RaftMessage): boolean {
    switch (m.type) {
      case "vote":
      case "preVote":
        return m.lastTerm <= m.term;
      case "append": {
        if (m.prevTerm > m.term) return false;
        let prevTerm = m.prevTerm;
        for (let i = 0; i < m.entries.length; i++) {
          const e = m.entries[i] as Entry;
          if (e.index !== m.prevIndex + 1 + i || e.term < prevTerm || e.term > m.term) return false;
          prevTerm = e.term;
        }
        return true;
      }
      case "snapshot": {
        const { conf } = m.snapshot;
        const distinct = (ids: readonly NodeId[]): boolean => new Set(ids).size === ids.length;
        return m.snapshot.term <= m.term && m.snapshot.index >= 1 && conf.voters.length > 0 && distinct(conf.voters) && distinct(conf.outgoing) && distinct(conf.learners);
      }
      default:
        return true;
    }
  }

  private onVoteRequest(from: NodeId, m: Msg<"vote"> | Msg<"preVote">): void {
    const canVote =
      this.voteValue === from ||
      (this.voteValue === undefined && this.leaderValue === undefined) ||
      (m.type === "preVote" && m.term > this.termValue);
    if (canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm)) {
      if (m.type === "vote") {
        this.electionElapsedTicks = 0;
        this.voteValue = from;
        this.send(from, { type: "voteResponse", term: m.term, granted: true });
      } else {
        this.send(from, { type: "preVoteResponse", term: m.term, granted: true });
      }
    } else {
      this.send(from, m.type === "vote" ? { type: "voteResponse", term: this.termValue, granted: false } : { type: "preVoteResponse", term: this.termValue, granted: false });
    }
  }

  /** A candidate's (or pre-candidate's) answer from a voter, of the kind its campaign asked for. */
  private onVoteResponse(from: NodeId, m: Msg<"voteResponse"> | Msg<"preVoteResponse">): void {
    if (m.type === "preVoteResponse" && m.granted && m.term !== this.termValue + 1) return;
    if (!isVoter(this.conf, from)) {
      this.reject("unexpected");
      return;
    }
    this.votes.set(from, m.granted);
    const result = this.quorum.voteResult(this.voteOf);
    if (result === "won") {
      if (this.roleValue === "pre-candidate") this.campaign(false, false);
      else this.becomeLeader();
    } else if (result === "lost") {
      this.becomeFollower(this.termValue, undefined);
    }
  }

  // ---------------------------------------------------------------- follower handlers

  private onAppendEntries(from: NodeId, m: Msg<"append">): void {
    if (m.prevIndex < this.log.committed) {
      this.send(from, { type: "appendResponse", term: this.termValue, index: this.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
      return;
    }
    if (this.log.matchTerm(m.prevIndex, m.prevTerm)) {
      const lastNew = m.prevIndex + m.entries.length;
      const conflict = this.log.findConflict(m.entries);
      if (conflict < m.entries.length) {
        const first = m.entries[conflict] as Entry;
        if (first.index <= this.log.committed) {
          // A correct leader never contradicts a committed entry.
          this.reject("out-of-range");
          return;
        }
        const fresh = conflict === 0 ? m.entries : m.entries.slice(conflict);
        this.log.truncateAndAppend(fresh);
        this.persistEntries(fresh);
      }
      this.log.commitTo(Math.min(m.commit, lastNew));
      this.send(from, { type: "appendResponse", term: this.termValue, index: lastNew, reject: false, hintIndex: 0, hintTerm: 0 });
      return;
    }
    const hintIndex = this.log.findConflictByTerm(Math.min(m.prevIndex, this.log.lastIndex), m.prevTerm);
    const hintTerm = this.log.term(hintIndex) ?? 0;
    this.send(from, { type: "appendResponse", term: this.termValue, index: m.prevIndex, reject: true, hintIndex, hintTerm });
  }

  private onHeartbeat(from: NodeId, m: Msg<"heartbeat">): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex));
    this.send(from, { type: "heartbeatResponse", term: this.termValue, context: m.context });
  }

  private onInstallSnapshot(from: NodeId, m: Msg<"snapshot">): void {
    const snap = m.snapshot;
    if (snap.index <= this.log.committed) {
      this.send(from, { type: "appendResponse", term: this.termValue, index: this.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
      return;
    }
    if (this.log.matchTerm(snap.index, snap.term)) {
      // We already hold the snapshot's last entry: just learn that it is committed.
      this.log.commitTo(snap.index);
      this.send(from, { type: "appendResponse", term: this.termValue, index: snap.index, reject: false, hintIndex: 0, hintTerm: 0 });
      return;
    }
    try {
      this.sm.restore(snap.data);
    } catch (error) {
      if (error instanceof SynodError) {
        this.reject("malformed");
        return;
      }
      throw error;
    }
    this.log.restore(snap);
    this.setConf(snap.conf);
    this.persistCompacted();
    this.metrics.snapshotsInstalled++;
    this.out.output({ type: "restored", index: snap.index, term: snap.term });
    this.send(from, { type: "appendResponse", term: this.termValue, index: this.log.lastIndex, reject: false, hintIndex: 0, hintTerm: 0 });
  }

  // ---------------------------------------------------------------- leader handlers

  private onAppendResponse(from: NodeId, m: Msg<"appendResponse">): void {
    const pr = this.progress.get(from);
    if (pr === undefined) {
      this.reject("unknown-sender");
      return;
    }
    pr.recentActive = true;
    if (m.reject) {
      let nextProbe = m.hintIndex;
      if (m.hintTerm > 0) nextProbe = this.log.findConflictByTerm(m.hintIndex, m.hintTerm);
      if (pr.maybeDecrTo(m.index, nextProbe)) {
        if (pr.state === "replicate") pr.becomeProbe();
        this.maybeSendAppend(from, true);
      }
      return;
    }
    if (m.index > this.log.lastIndex) {
      this.reject("out-of-range");
      return;
    }
    const oldPaused = pr.isPaused();
    if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === "probe")) {
      if (pr.state === "probe") pr.becomeReplicate();
      else if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) {
        pr.becomeProbe();
        pr.becomeReplicate();
      } else if (pr.state === "replicate") pr.inflights.freeLE(m.index);
      if (this.maybeCommit()) this.bcastAppend();
      else if (oldPaused) this.maybeSendAppend(from, false);
      while (this.roleValue === "leader" && this.maybeSendAppend(from, false)) {
        // keep streaming while the window allows
      }
      if (from === this.leadTransferee && pr.match === this.log.lastIndex) this.send(from, { type: "timeoutNow", term: this.termValue });
    }
  }

  private onHeartbeatResponse(from: NodeId, m: Msg<"heartbeatResponse">): void {
    const pr = this.progress.get(from);
    if (pr === undefined) {
      this.reject("unknown-sender");
      return;
    }
    pr.recentActive = true;
    pr.probeSent = false;
    if (m.context > pr.ackedRound && m.context <= this.heartbeatRound) {
      pr.ackedRound = m.context;
      if (this.heartbeatRound - m.context < ROUND_HISTORY) pr.ackedRoundSentTick = this.roundSentTick[m.context % ROUND_HISTORY] as number;
      this.serveReads();
    }
    if (pr.match < this.log.lastIndex) this.maybeSendAppend(from, true);
  }

  /** The latest heartbeat round a quorum acknowledged: leadership is confirmed as of that round. */
  private confirmedRound(): number {
    return this.quorum.committedIndex(this.ackedRoundOf);
  }

  /**
   * Advance the commit index to the highest index a quorum holds, if that entry is of the current
   * term (Raft §5.4.2, the Figure 8 rule: older-term entries commit only indirectly).
   * @returns whether the commit index moved
   */
  private maybeCommit(): boolean {
    const ci = this.quorum.committedIndex(this.matchOf);
    if (ci > this.log.committed && this.log.term(ci) === this.termValue) {
      this.log.commitTo(ci);
      return true;
    }
    return false;
  }

  private bcastAppend(): void {
    for (const id of this.progress.keys()) if (id !== this.id) this.maybeSendAppend(id, true);
  }

  private bcastHeartbeat(): void {
    this.heartbeatRound++;
    this.roundSentTick[this.heartbeatRound % ROUND_HISTORY] = this.nowTicks;
    this.progress.forEach(this.sendHeartbeat);
  }

  /**
   * Send `to` the entries it lacks (or the snapshot when they are compacted away), unless flow
   * control pauses it.
   * @returns whether a message was sent
   */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    // Nothing new to send (and the follower's next entry is not compacted away): no empty slice.
    if (!sendIfEmpty && prevTerm !== undefined && prevIndex >= this.log.lastIndex) return false;
    const entries = this.log.slice(pr.next, this.log.lastIndex + 1, this.config.maxEntriesPerMessage, this.config.maxBytesPerMessage);
    if (prevTerm === undefined || entries === undefined) return this.sendSnapshot(to, pr);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send(to, { type: "append", term: this.termValue, prevIndex, prevTerm, entries, commit: this.log.committed });
    pr.sentEntries(entries.length, prevIndex + entries.length);
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) return false;
    const snap = this.log.snapshot;
    this.send(to, { type: "snapshot", term: this.termValue, snapshot: snap });
    pr.becomeSnapshot(snap.index);
    return true;
  }

  // ---------------------------------------------------------------- requests

  private refuse(tag: number, reason: RefusalReason, message: string): void {
    this.out.output({ type: "refused", tag, error: this.refusedError(reason, message), retryAt: this.leadTransferee ?? this.id });
  }

  /** @returns a RequestRefusedError saying this, the previous one when it says the same */
  private refusedError(reason: RefusalReason, message: string): RequestRefusedError {
    const last = this.lastRefusedError;
    if (last !== undefined && last.reason === reason && last.message === message) return last;
    return (this.lastRefusedError = new RequestRefusedError(reason, message));
  }

  /**
   * @returns the error this node reports when refusing as a non-leader that knows `leader`: one
   * immutable value per known leader, reused across requests (building an Error captures a stack trace)
   */
  private notLeaderError(leader: NodeId | undefined): NotLeaderError {
    const known = this.notLeaderErrors.get(leader);
    if (known !== undefined) return known;
    if (this.notLeaderErrors.size >= MAX_CACHED_ERRORS) this.notLeaderErrors.clear();
    const error = new NotLeaderError(this.id, leader);
    this.notLeaderErrors.set(leader, error);
    return error;
  }

  private refuseNotLeader(tag: number): void {
    const error = this.notLeaderError(this.leaderValue);
    this.out.output({ type: "refused", tag, error, retryAt: this.leaderValue ?? this.otherMember() });
  }

  /** Another member for a client to try, round-robin (when no leader is known). */
  private otherMember(): NodeId {
    const ids = this.members;
    this.retryCursor = (this.retryCursor + 1) % ids.length;
    const pick = ids[this.retryCursor] as NodeId;
    return pick === this.id && ids.length > 1 ? (ids[(this.retryCursor + 1) % ids.length] as NodeId) : pick;
  }

  private onPropose(tag: number, items: readonly Uint8Array[]): void {
    if (this.roleValue !== "leader") return this.refuseNotLeader(tag);
    if (this.leadTransferee !== undefined) return this.refuse(tag, "transfer-in-progress", `leadership is moving to ${this.leadTransferee}; retry there`);
    if (items.length > this.config.maxProposalBatch) return this.refuse(tag, "batch-too-large", `batch of ${items.length} exceeds maxProposalBatch ${this.config.maxProposalBatch}; split it`);
    for (const data of items) {
      if (data.length > this.config.maxEntryBytes) return this.refuse(tag, "entry-too-large", `entry of ${data.length} bytes exceeds maxEntryBytes ${this.config.maxEntryBytes}`);
    }
    if (this.log.lastIndex + items.length - this.log.committed > this.config.maxUncommittedEntries) {
      return this.refuse(tag, "too-many-uncommitted", `more than maxUncommittedEntries (${this.config.maxUncommittedEntries}) entries await commit; retry later`);
    }
    if (items.length === 0) return;
    if (!logHasRoom(this.log.lastIndex, items.length)) return this.refuse(tag, "log-full", `the log is at its ceiling (index ${this.log.lastIndex}): no more proposals`);
    const index = this.log.lastIndex + 1;
    this.appendEntries(items.map((data) => ({ type: "normal" as const, data })));
    this.out.output({ type: "proposed", tag, index, count: items.length });
    this.bcastAppend();
  }

  /** Leader: append new entries of the current term to the local log. */
  private appendEntries(items: readonly ({ type: "normal"; data: Uint8Array } | { type: "conf"; change: ConfChange })[]): void {
    const fresh: Entry[] = [];
    let index = this.log.lastIndex;
    for (const item of items) {
      index++;
      const entry: Entry = item.type === "normal" ? { type: "normal", term: this.termValue, index, data: item.data } : { type: "conf", term: this.termValue, index, change: item.change };
      this.log.append(entry);
      fresh.push(entry);
    }
    this.persistEntries(fresh);
    this.progress.get(this.id)?.maybeUpdate(this.log.lastIndex);
    this.maybeCommit();
  }

  private committedInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.termValue;
  }

  private inLease(): boolean {
    if (this.config.readMode !== "lease" || this.leadTransferee !== undefined) return false;
    const leaseStart = this.quorum.committedIndex((id) => (id === this.id ? this.nowTicks : this.progress.get(id)?.ackedRoundSentTick));
    return this.nowTicks - leaseStart < this.config.electionTimeoutTicks - this.config.leaseSafetyMarginTicks;
  }

  private onRead(tag: number, query: Uint8Array): void {
    if (this.roleValue !== "leader") return this.refuseNotLeader(tag);
    if (!this.readOnly.hasRoom() || this.readsBeforeCommit.length >= this.config.maxPendingReads) {
      return this.refuse(tag, "too-many-reads", `more than maxPendingReads (${this.config.maxPendingReads}) reads wait; retry later`);
    }
    if (!this.committedInCurrentTerm()) {
      // The commit index of a new leader may lag: wait until its first entry commits (thesis §6.4).
      this.readsBeforeCommit.push({ tag, query });
      return;
    }
    this.queueRead(tag, query);
    this.serveReads();
  }

  private queueRead(tag: number, query: Uint8Array): void {
    if (this.inLease()) {
      this.readOnly.add({ tag, query, index: this.log.committed, round: 0 });
      return;
    }
    const round = this.heartbeatRound + 1;
    this.readOnly.add({ tag, query, index: this.log.committed, round });
    if (this.selfIsQuorum) {
      this.heartbeatRound = round; // a single voter confirms itself
      return;
    }
    this.bcastHeartbeat();
  }

  private serveReads(): void {
    if (this.roleValue !== "leader") return;
    if (this.readsBeforeCommit.length > 0 && this.committedInCurrentTerm()) {
      const waiting = this.readsBeforeCommit;
      this.readsBeforeCommit = [];
      for (const r of waiting) this.queueRead(r.tag, r.query);
    }
    if (this.readOnly.size === 0) return;
    for (const read of this.readOnly.takeReady(this.confirmedRound(), this.log.applied)) {
      this.out.output({ type: "read", tag: read.tag, result: this.sm.read(read.query) });
    }
  }

  private failPendingReads(): void {
    const reads = [...this.readOnly.drain(), ...this.readsBeforeCommit];
    this.readsBeforeCommit = [];
    for (const r of reads) this.refuseNotLeader(r.tag);
  }

  private onTransferLeadership(tag: number, to: NodeId): void {
    if (this.roleValue !== "leader") return this.refuseNotLeader(tag);
    if (to === this.id || this.leadTransferee === to) return;
    const pr = this.progress.get(to);
    if (pr === undefined || !isVoter(this.conf, to)) return this.refuse(tag, "invalid-config", `${to} is not a voter; only voters can lead`);
    this.leadTransferee = to;
    this.electionElapsedTicks = 0;
    if (pr.match === this.log.lastIndex) this.send(to, { type: "timeoutNow", term: this.termValue });
    else this.maybeSendAppend(to, true);
  }

  private onChangeMembership(tag: number, voters: readonly NodeId[], learners: readonly NodeId[]): void {
    if (this.roleValue !== "leader") return this.refuseNotLeader(tag);
    if (this.pendingConfIndex > this.log.applied || isJoint(this.conf)) {
      return this.refuse(tag, "config-change-pending", "a configuration change is still in progress; retry once it is applied");
    }
    if (!logHasRoom(this.log.lastIndex, 1)) return this.refuse(tag, "log-full", `the log is at its ceiling (index ${this.log.lastIndex}): no more changes`);
    const change: ConfChange = { kind: "enter-joint", voters: [...voters], learners: [...learners] };
    const check = applyConfChange(this.conf, change);
    if (!check.ok) return this.refuse(tag, "invalid-config", `invalid configuration change: ${check.reason}`);
    const index = this.log.lastIndex + 1;
    this.appendEntries([{ type: "conf", change }]);
    this.pendingConfIndex = index;
    this.out.output({ type: "proposed", tag, index, count: 1 });
    this.bcastAppend();
  }

  // ---------------------------------------------------------------- apply, configuration, snapshots

  /** Apply every committed entry not applied yet, in order, then serve reads and maybe snapshot. */
  private maybeApply(): void {
    if (this.log.applied >= this.log.committed) return;
    while (this.log.applied < this.log.committed) {
      const index = this.log.applied + 1;
      const entry = this.log.entry(index);
      if (entry === undefined) throw new SynodError("invariant", `entry ${index} is committed but not held`, { index });
      this.log.applied = index;
      this.metrics.appliedEntries++;
      if (entry.type === "normal") {
        this.out.output({ type: "apply", entry, result: entry.data.length > 0 ? this.sm.apply(entry) : undefined });
      } else {
        this.out.output({ type: "apply", entry, result: undefined });
        this.applyConfEntry(entry.index, entry.change);
      }
    }
    if (this.roleValue === "leader") {
      this.serveReads();
      this.maybeAutoLeaveJoint();
    }
    if (this.snapshotBackoff.due(this.log.applied, this.log.snapshotIndex, this.config.snapshotIntervalEntries)) this.takeSnapshot();
  }

  private applyConfEntry(index: number, change: ConfChange): void {
    // Validated again now: the configuration it applies to is the one that counts (etcd-io/raft#80).
    const result = applyConfChange(this.conf, change);
    if (!result.ok) {
      this.out.output({ type: "conf", index, conf: this.conf, rejected: result.reason });
      return;
    }
    this.setConf(result.conf);
    this.out.output({ type: "conf", index, conf: this.conf });
  }

  private setConf(conf: ConfState): void {
    this.adoptConf(conf);
    const members = this.confMemberIds;
    for (const id of members) this.known.add(id);
    if (this.roleValue !== "leader") return;
    for (const id of members) this.addProgress(id);
    for (const id of [...this.progress.keys()]) if (!members.includes(id)) this.progress.delete(id);
    if (!isVoter(conf, this.id)) {
      // The leader was removed: tell the others the change committed, then step down; the
      // remaining voters elect a successor.
      this.bcastAppend();
      this.becomeFollower(this.termValue, undefined);
      return;
    }
    if (this.maybeCommit()) this.bcastAppend();
  }

  private maybeAutoLeaveJoint(): void {
    if (this.roleValue !== "leader" || !isJoint(this.conf) || this.pendingConfIndex > this.log.applied) return;
    this.pendingConfIndex = this.log.lastIndex + 1;
    this.appendEntries([{ type: "conf", change: { kind: "leave-joint" } }]);
    this.bcastAppend();
  }

  private takeSnapshot(): void {
    const index = this.log.applied;
    const data = this.sm.snapshot();
    if (data.length > MAX_SNAPSHOT_BYTES) {
      // A snapshot no follower could receive: keep the log instead (and say so).
      this.metrics.snapshotsTooLarge++;
      const alarm = this.snapshotBackoff.refused(this.id, index, data.length, this.config.snapshotIntervalEntries);
      if (alarm !== undefined) this.out.output({ type: "alarm", reason: alarm });
      return;
    }
    this.snapshotBackoff.succeeded();
    const snap: SnapshotPayload = { index, term: this.log.term(index) as number, conf: this.conf, data };
    this.log.compact(snap);
    this.persistCompacted();
    this.metrics.snapshotsTaken++;
  }
}
