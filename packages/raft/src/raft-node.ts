import { requireNodeContext, SynodError, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { validateRaftConfig, type RaftConfig } from "./config.js";
import { confMembers, quorumOf, type ConfState } from "./conf-state.js";
import type { Entry } from "./entry.js";
import type { RaftInput, RaftOutput, RaftRole } from "./io.js";
import type { RaftMessage } from "./messages.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, raftMessageCodec } from "./messages.js";
import type { RaftMetrics } from "./metrics.js";
import { finishStep } from "./persistence.js";
import type { Progress } from "./progress.js";
import { RaftLog } from "./raft-log.js";
import { RaftState } from "./raft-state.js";
import type { RaftRecord } from "./records.js";
import { maybeApply } from "./rules/apply.js";
import { hup, resetRandomizedElectionTimeout, tickElection } from "./rules/election.js";
import { handleTransferLeadership } from "./rules/leadership-transfer.js";
import { adoptConf, handleChangeMembership } from "./rules/membership.js";
import { handlePropose } from "./rules/proposals.js";
import { leaseStartTick } from "./rules/leader-lease.js";
import { handleRead } from "./rules/reads.js";
import { recover } from "./rules/recovery.js";
import { refuseHalted } from "./rules/refusals.js";
import { takeSnapshot } from "./rules/snapshots.js";
import type { StateMachine } from "./state-machine.js";
import { step } from "./step.js";
import { stepFollower } from "./step-follower.js";

const EMPTY_BYTES = new Uint8Array(0);

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

/**
 * Build a node's state: validate the configuration, recover from the durable records, and start as
 * a follower (etcd's `newRaft`, which ends with `becomeFollower`; the election timeout is drawn once).
 * @throws {ConfigError} when the configuration is invalid
 */
export function createRaftState<R>(options: RaftNodeOptions<R>): RaftState<R> {
  const { ctx } = options;
  const members = ctx.members.length > 0 ? [...ctx.members] : [ctx.id];
  const config = validateRaftConfig(options.config);
  const initial: ConfState = options.initialConf ?? { voters: [...ctx.members], outgoing: [], learners: [] };
  const known = new Set([...ctx.members, ...confMembers(initial)]);
  const log = new RaftLog({ index: 0, term: 0, conf: initial, data: EMPTY_BYTES });
  const r = new RaftState<R>(ctx.id, members, config, ctx.rng, options.stateMachine, log, known, initial, stepFollower, tickElection);
  recover(r, ctx.recovered.records, ctx.recovered.corrupted);
  r.restarted = r.term > 0;
  r.quorum = quorumOf(r.conf);
  adoptConf(r, r.conf);
  for (const id of r.confMemberIds) known.add(id);
  resetRandomizedElectionTimeout(r);
  r.reported = { role: r.role, term: r.term, leader: r.lead };
  return r;
}

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
  readonly metrics: RaftMetrics;
  /** The node's state, shared with the step functions and rules (see raft-state.ts). */
  private readonly r: RaftState<R>;

  /**
   * @param options - context, state machine, configuration
   * @throws {ConfigError} when the configuration is invalid
   */
  constructor(options: RaftNodeOptions<R>) {
    requireNodeContext(options, "RaftNode");
    const r = createRaftState(options);
    this.r = r;
    this.id = r.id;
    this.config = r.config;
    this.metrics = r.metrics;
  }

  // ---------------------------------------------------------------- inspection (read-only)

  /** Current term. */
  get term(): number {
    return this.r.term;
  }
  /** Who this node voted for in the current term. */
  get vote(): NodeId | undefined {
    return this.r.vote;
  }
  /** Current role. */
  get role(): RaftRole {
    return this.r.role;
  }
  /** The leader this node knows of in the current term. */
  get leader(): NodeId | undefined {
    return this.r.lead;
  }
  /** Highest index known committed. */
  get commitIndex(): number {
    return this.r.log.committed;
  }
  /** Highest index applied to the state machine. */
  get appliedIndex(): number {
    return this.r.log.applied;
  }
  /** Index of the last log entry. */
  get lastIndex(): number {
    return this.r.log.lastIndex;
  }
  /** Index covered by the latest snapshot (entries up to it are compacted). */
  get snapshotIndex(): number {
    return this.r.log.snapshotIndex;
  }
  /** The applied configuration. */
  get confState(): ConfState {
    return this.r.conf;
  }
  /** Why this node refuses to run (corrupted storage), or undefined. */
  get halted(): string | undefined {
    return this.r.haltReason;
  }
  /** Ticks this node has counted in this lifetime (its own clock, restarting at 0 on restart). */
  get ticks(): number {
    return this.r.nowTicks;
  }
  /** The voter a leadership transfer is moving leadership to (leader only), or undefined. */
  get leadTransferee(): NodeId | undefined {
    return this.r.leadTransferee;
  }
  /**
   * Leader with readMode "lease": the tick (of {@link ticks}) at which the latest heartbeat round a
   * quorum acknowledged was sent, where its read lease counts from; otherwise undefined.
   */
  get leaseStartTick(): number | undefined {
    const r = this.r;
    return r.role === "leader" && r.config.readMode === "lease" ? leaseStartTick(r) : undefined;
  }
  /** The randomized election timeout currently in force, in ticks. */
  get electionTimeoutTicks(): number {
    return this.r.randomizedElectionTimeoutTicks;
  }
  /** @returns the term of entry `index` (the snapshot's term at its index), undefined when not held */
  entryTerm(index: number): number | undefined {
    return this.r.log.term(index);
  }
  /** @returns the entry at `index`, undefined when compacted or beyond the end */
  entryAt(index: number): Entry | undefined {
    return this.r.log.entry(index);
  }
  /**
   * @returns the entries held in [lo, hi) (clamped to what the log holds; at most 10,000), for
   * inspection and invariant checks
   */
  entriesBetween(lo: number, hi: number): Entry[] {
    const log = this.r.log;
    const from = Math.max(lo, log.firstIndex);
    const to = Math.min(hi, log.lastIndex + 1, from + MAX_ENTRIES_PER_MESSAGE_WIRE);
    return from >= to ? [] : [...(log.slice(from, to, MAX_ENTRIES_PER_MESSAGE_WIRE, Number.MAX_SAFE_INTEGER) ?? [])];
  }

  /**
   * The flow-control window's bookkeeping, for the InflightAboveMatch check: the first follower in
   * `replicate` whose oldest in-flight message ends at or below its match index (an acknowledged
   * message still holding a slot of the window), or undefined when none does (or not leading).
   */
  acknowledgedInflight(): { readonly follower: NodeId; readonly lastIndex: number; readonly match: number } | undefined {
    const r = this.r;
    if (r.role !== "leader") return undefined;
    // Called after every event of a leader by the simulation's checks: the values are walked first
    // (an entries walk allocates a pair per follower), the follower's id looked up only on a find.
    for (const pr of r.progress.values()) {
      if (pr.state !== "replicate") continue;
      const lastIndex = pr.inflights.oldest;
      if (lastIndex === undefined || lastIndex > pr.match) continue;
      for (const [follower, p] of r.progress) if (p === pr) return { follower, lastIndex, match: pr.match };
    }
    return undefined;
  }

  /** @returns a copy of the follower-progress view (leader only; empty otherwise) */
  progressOf(id: NodeId): Readonly<Pick<Progress, "match" | "next" | "state">> | undefined {
    const pr = this.r.progress.get(id);
    return pr === undefined ? undefined : { match: pr.match, next: pr.next, state: pr.state };
  }

  // ---------------------------------------------------------------- inputs

  /** Advance logical time by one tick. */
  tick(): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    const r = this.r;
    if (r.haltReason !== undefined) return this.haltedStep();
    r.nowTicks++;
    maybeApply(r);
    r.tick(r);
    maybeApply(r); // a single-voter leader elected by this tick commits at once
    return finishStep(r);
  }

  /**
   * Handle a decoded message from `from` (its content is a peer's claim: checked, counted and dropped
   * when bad). Its shape is trusted: bytes from a network go to {@link receiveBytes}.
   */
  receive(from: NodeId, message: RaftMessage): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    const r = this.r;
    if (r.haltReason !== undefined) {
      r.metrics.rejected.halted++;
      return this.haltedStep();
    }
    maybeApply(r);
    step(r, from, message);
    maybeApply(r);
    return finishStep(r);
  }

  /** Handle the bytes of a message from `from`: decoded by raftMessageCodec, else counted as malformed and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    const decoded = raftMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.r.reject("malformed");
    return this.r.haltReason !== undefined ? this.haltedStep() : finishStep(this.r);
  }

  /** Handle a client or administrative request (see {@link RaftInput}). */
  request(input: RaftInput): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    if (typeof input !== "object" || input === null) throw new SynodError("usage", `RaftNode.request: an input is an object with a type, got ${String(input)}`);
    const r = this.r;
    if (r.haltReason !== undefined) {
      if ("tag" in input) refuseHalted(r, input.tag);
      return this.haltedStep();
    }
    maybeApply(r);
    switch (input.type) {
      case "propose":
        handlePropose(r, input.tag, [input.data]);
        break;
      case "propose-batch":
        handlePropose(r, input.tag, input.items);
        break;
      case "read":
        handleRead(r, input.tag, input.query);
        break;
      case "campaign":
        hup(r, false);
        break;
      case "transfer-leadership":
        handleTransferLeadership(r, input.tag, input.to);
        break;
      case "change-membership":
        handleChangeMembership(r, input.tag, input.voters, input.learners);
        break;
      case "compact":
        if (r.log.applied > r.log.snapshotIndex) takeSnapshot(r);
        break;
    }
    maybeApply(r);
    return finishStep(r);
  }

  /** A halted node does nothing but report, once, why. */
  private haltedStep(): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    const r = this.r;
    if (!r.alarmReported) {
      r.alarmReported = true;
      r.out.output({ type: "alarm", reason: `${r.id} refuses to run: ${r.haltReason ?? ""}` });
    }
    return r.out.finish();
  }
}
