import { createCodec, requireNodeContext, s, StepBuilder, SynodError } from "@synod/core";
import type { Codec, NodeContext, NodeId, ProtocolNode, Step } from "@synod/core";
import { byzantine, type ByzantineQuorumSystem } from "@synod/quorum";
import { equalBytes, SIGNATURE_BYTES } from "@synod/security";
import { ReplicaAuthentication } from "./authentication.js";
import { checkpointCertificateIsValid, thresholdPrepared, VerifiedCertificates } from "./certificates.js";
import { batchDigestMatches, checkpointProofDigest, planNewView, primaryOf, viewChangeIsValid, batchIsValid, type CertificateContext } from "./certificates.js";
import { resolvePbftConfig, type PbftConfig } from "./config.js";
import { DisputeOutbox, disputedAt, EvidenceOutbox } from "./dispute-outbox.js";
import { evidenceIsValid, signedStatementOf, StatementLedger, statementIsSigned, type MisbehaviourEvidence } from "./evidence.js";
import type { PbftInput, PbftOutput } from "./io.js";
import type { PbftKeys, PbftThresholdKeys } from "./keys.js";
import { pbftMessageCodec } from "./messages.js";
import type { CheckpointCertificate } from "./messages.js";
import { MAX_PRE_PREPARED_PER_SEQ, type Checkpoint, type Commit, type FetchState, type NewView, type PbftMessage, type PrePrepare, type Prepare } from "./messages.js";
import type { PrePreparedClaim, PreparedCertificate, PreparedClaim } from "./messages.js";
import type { DisputeAck, DisputeMessage, EvidenceMessage, ReadReply, Reply, Request, StateTransfer, ViewChange } from "./messages.js";
import { PbftMetrics, type RejectReason } from "./metrics.js";
import { OrderingPace, type Waiting } from "./ordering-pace.js";
import type { PbftRecord } from "./records.js";
import { replayRecords, type DurableReplica } from "./recovery.js";
import type { PbftService } from "./service.js";
import { batchDigestOf, checkpointCertificateStatement, preparedCertificateStatement, sign, type Unsigned } from "./signing.js";
import { VerifiedRequests } from "./verified-requests.js";

type Out<R> = StepBuilder<PbftMessage, PbftOutput<R>, PbftRecord>;

/** Most clients whose last reply a replica remembers (the least recently executed is forgotten first). */
export const MAX_CLIENT_TABLE = 1 << 16;
/** The view-change timeout doubles on each successive failed view change, at most this many times. */
export const MAX_TIMEOUT_DOUBLINGS = 4;
/** Checkpoint messages kept per peer above the stable checkpoint. */
const CHECKPOINTS_PER_PEER = 4;

/** One sequence number's agreement state in the current view. */
class Slot {
  prePrepare: PrePrepare | undefined;
  readonly prepares = new Map<NodeId, Prepare>();
  readonly commits = new Map<NodeId, Commit>();
  ownPrepare: Prepare | undefined;
  ownCommit: Commit | undefined;
  prepared = false;
  committed = false;
  /** The pace clock's tick when this replica accepted the pre-prepare (-1: not in this life of the slot). */
  acceptedAt = -1;
  constructor(readonly view: number) {}
}

/** A client's last executed request and its reply (encoded), part of the checkpointed state. */
interface ClientRecord {
  readonly timestamp: number;
  readonly result: Uint8Array;
}

/** A request this replica proxies for a client, with the replies collected so far. */
interface ProxiedRequest {
  readonly tag: number;
  readonly request: Request;
  readonly replies: Map<NodeId, Uint8Array>;
  /** Tried as read-only (replies are read replies); false once ordered. */
  readOnly: boolean;
  /** Retransmission rounds it has waited as read-only. */
  rounds: number;
}

/** The state a checkpoint digests: the service's snapshot and the last-reply table (client, timestamp, encoded result). */
export interface CheckpointState {
  readonly service: Uint8Array;
  readonly clients: readonly (readonly [number, number, Uint8Array])[];
}

const stateCodec: Codec<CheckpointState> = createCodec(
  s.object({ service: s.bytes({ maxLength: 1 << 22 }), clients: s.array(s.tuple([s.uint(), s.uint(), s.bytes({ maxLength: 1 << 16 })]), { maxLength: MAX_CLIENT_TABLE }) }),
  { maxBytes: 1 << 23 },
);
/** The codec of a checkpoint's state (what `state` messages carry and checkpoint digests hash), for simulated faulty replicas that make one up. */
export const checkpointStateCodec: Codec<CheckpointState> = stateCodec;

/** Everything a replica is built from. */
export interface PbftNodeOptions<R> {
  readonly ctx: NodeContext<PbftRecord>;
  readonly keys: PbftKeys;
  readonly service: PbftService<R>;
  readonly config?: Partial<PbftConfig>;
}

/**
 * A PBFT replica (Castro & Liskov, OSDI 1999): the normal case (pre-prepare, prepare, commit,
 * execute in order, reply), checkpoints with garbage collection, view changes with prepared
 * certificates, and state transfer. Every replica message is signed; a message changes state only
 * after its signature, its sender, its view and its window have been checked — anything else is
 * counted per peer and dropped. Pure: time is ticks, crypto is the injected provider.
 *
 * n = 3f+1 (or more) members; quorums are `@synod/quorum`'s Byzantine quorums (2f+1 when n = 3f+1).
 * @typeParam R - the service's result type
 */
export class PbftNode<R> implements ProtocolNode<PbftMessage, PbftInput, PbftOutput<R>, PbftRecord> {
  readonly id: NodeId;
  readonly members: readonly NodeId[];
  readonly config: PbftConfig;
  readonly quorum: ByzantineQuorumSystem;
  readonly metrics = new PbftMetrics();
  private readonly f: number;
  private readonly keys: PbftKeys;
  private readonly service: PbftService<R>;
  private readonly certs: CertificateContext;
  private readonly verified: VerifiedRequests;
  private readonly auth: ReplicaAuthentication;

  private viewNo = 0;
  private active = true;
  private low = 0;
  private executed = 0;
  private nextSeq = 0;
  private readonly log = new Map<number, Slot>();
  private readonly preparedCerts = new Map<number, PreparedCertificate>();
  /** `macs` mode: by sequence number, the digests this replica pre-prepared there, each with the latest view it did (the paper's Q set). */
  private readonly prePrepared = new Map<number, { view: number; digest: Uint8Array }[]>();
  private readonly clients = new Map<number, ClientRecord>();
  private readonly pending = new Map<number, Request>();
  /** As backup, by client: since when its pending request waits for a pre-prepare (in arrival order). */
  private readonly waiting = new Map<number, Waiting>();
  private readonly pace: OrderingPace;
  /** The highest sequence number pre-prepared in the current view, as this replica saw it. */
  private highestPrePrepared = 0;
  private readonly assigned = new Set<string>();
  /** By client: the latest request this replica proxies for it (one per client bounds the table by the clients served). */
  private readonly proxied = new Map<number, ProxiedRequest>();
  private stableProof: readonly Checkpoint[] = [];
  /** `threshold` certificate mode: the stable checkpoint's group signature (`stableProof` is then empty). */
  private stableCertificate: CheckpointCertificate | undefined;
  /** `threshold` certificate mode: the threshold group and this replica's share. */
  private readonly threshold: PbftThresholdKeys | undefined;
  /** `threshold` certificates with `signatures` authentication: pre-prepares and prepares carry shares, prepared certificates are one group signature. */
  private readonly preparedShares: boolean;
  private readonly snapshots = new Map<number, { state: Uint8Array; digest: Uint8Array }>();
  private readonly checkpointsByPeer = new Map<NodeId, Checkpoint[]>();
  private ownCheckpoint: Checkpoint | undefined;
  private stateTarget: { seq: number; digest: Uint8Array; from: readonly NodeId[] } | undefined;
  private readonly latestViewChange = new Map<NodeId, ViewChange>();
  private ownViewChange: ViewChange | undefined;
  private currentNewView: NewView | undefined;
  private timerTicks = 0;
  /** Ticks this replica has been active while holding a view-change for a later view (see followReplicaAhead). */
  private aheadTicks = 0;
  private failedViewChanges = 0;
  private retransmitTicks = 0;
  /** Batches committed and executed above the stable checkpoint (durable: a restarted replica re-executes them). */
  private readonly committedBatches = new Map<number, PrePrepare>();
  /** A stable checkpoint with its state was reached in this step: the step replaces the durable log by the current durable state. */
  private compactPending = false;
  /** Why this replica refuses to run (its storage is corrupted), reported once. */
  private haltReason: string | undefined;
  private haltReported = false;
  private recoveredState: DurableReplica | undefined;
  /** What each replica signed, as seen here: a contradiction is misbehaviour evidence (evidence.ts). */
  private readonly statements = new StatementLedger();
  /** Disputes forwarded and sent again until each peer acknowledges them (dispute-outbox.ts). */
  private readonly disputes = new DisputeOutbox();
  /** Evidence forwarded and sent again until each peer acknowledges it (dispute-outbox.ts). */
  private readonly evidenceOutbox = new EvidenceOutbox();
  /** Replicas proven faulty, with the evidence (durable): skipped as primary, rate-limited. */
  private readonly proven = new Map<NodeId, MisbehaviourEvidence>();
  /** A new-view is being installed: a conviction meanwhile skips the convicted primary's view only after (onNewView). */
  private installingNewView = false;
  /** Messages handled this tick from each proven-faulty replica. */
  private readonly provenTraffic = new Map<NodeId, number>();

  /**
   * Build a replica and recover it from its durable records (a replica whose storage is corrupted
   * halts: it may have forgotten what it prepared, and would then count against f).
   */
  constructor(options: PbftNodeOptions<R>) {
    requireNodeContext(options, "PbftNode");
    this.id = options.ctx.id;
    this.members = options.ctx.members;
    this.config = resolvePbftConfig(options.config);
    this.quorum = byzantine(this.members);
    this.f = this.quorum.f;
    this.keys = options.keys;
    this.service = options.service;
    this.auth = new ReplicaAuthentication(this.keys, this.id, this.members, this.config.authentication);
    this.verified = new VerifiedRequests(this.keys, this.auth);
    this.threshold = this.config.certificates === "threshold" ? checkThresholdKeys(this.keys, this.id, this.members, this.quorum.quorumSize) : undefined;
    this.preparedShares = thresholdPrepared(this.config);
    const { slowPrimaryMinTicks, slowPrimaryFactor, viewChangeTimeoutTicks } = this.config;
    this.pace = new OrderingPace(slowPrimaryMinTicks, slowPrimaryFactor, viewChangeTimeoutTicks, MAX_TIMEOUT_DOUBLINGS);
    this.certs = {
      keys: this.keys,
      members: this.members,
      f: this.f,
      quorumSize: this.quorum.quorumSize,
      authentication: this.config.authentication,
      certificates: this.config.certificates,
      verifiedCertificates: this.config.certificates === "threshold" ? new VerifiedCertificates() : undefined,
      windowSize: this.config.windowSize,
      verified: this.verified,
    };
    const { records, corrupted } = options.ctx.recovered;
    if (corrupted > 0) this.haltReason = `storage holds ${corrupted} corrupted record(s): this replica may have forgotten what it prepared`;
    else if (records.length > 0) this.recover((this.recoveredState = replayRecords(records)));
  }

  /** The current view. */
  get view(): number {
    return this.viewNo;
  }
  /** Whether the current view has started (false while changing views). */
  get viewActive(): boolean {
    return this.active;
  }
  /** The primary of the current view. */
  get primary(): NodeId {
    return primaryOf(this.members, this.viewNo);
  }
  /** The last stable checkpoint (the low watermark h). */
  get stableCheckpoint(): number {
    return this.low;
  }
  /** The last sequence number executed. */
  get lastExecuted(): number {
    return this.executed;
  }
  /** Whether this replica waits for a peer's state (it is behind a stable checkpoint). */
  get transferringState(): boolean {
    return this.stateTarget !== undefined;
  }
  /** Number of sequence numbers held in the log (bounded by the window). */
  get logSize(): number {
    return this.log.size;
  }
  /** What this replica recovered from its durable records at start (undefined: it started fresh). */
  get recovered(): DurableReplica | undefined {
    return this.recoveredState;
  }
  /** Why this replica refuses to run (corrupted storage), or undefined while it runs. */
  get halted(): string | undefined {
    return this.haltReason;
  }
  /** The replicas this one holds proven faulty, with the evidence that proves each. */
  get provenFaulty(): ReadonlyMap<NodeId, MisbehaviourEvidence> {
    return this.proven;
  }
  /** Ticks taken since this replica started (this life): the clock its timeouts are counted in. */
  get ticks(): number {
    return this.pace.now;
  }

  // ---------------------------------------------------------------- inputs

  tick(): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const b: Out<R> = new StepBuilder();
    if (this.haltReason !== undefined) return this.haltedStep(b);
    this.pace.tick(this.primaryBlocked()); // this replica's clock (`ticks`), and the slow-primary check's
    this.provenTraffic.clear();
    // Castro & Liskov §4.5.2: in a view change the timer runs only once 2f+1 replicas want this view
    // (or a later one). A replica alone in a view change waits there instead of racing ahead on its
    // own timeouts; with the doubling capped, a lone runner (a restarted replica whose doubling
    // starts again) would otherwise stay views ahead of the rest for good (seed 1000 of the 10 s
    // f = 1 chaos run: views 6, 6 and 8 after healing, and no progress).
    const timerRuns = this.active ? this.hasUnexecutedRequest() : this.viewChangeUnderWay();
    if (timerRuns) {
      this.timerTicks++;
      const timeout = this.config.viewChangeTimeoutTicks * 2 ** Math.min(this.failedViewChanges, MAX_TIMEOUT_DOUBLINGS);
      if (this.timerTicks >= timeout) this.startViewChange(this.viewNo + 1, b);
    } else if (this.active) {
      this.timerTicks = 0;
    }
    if (this.proven.size > 0) this.skipProvenPrimary(b); // e.g. restarted in a view it recovered, led by a replica it holds proven faulty
    if (this.active) this.followReplicaAhead(b);
    if (this.active) this.checkOrderingPace(b);
    if (++this.retransmitTicks >= this.config.retransmitTicks) {
      this.retransmitTicks = 0;
      this.retransmit(b);
    }
    return this.finish(b);
  }

  request(input: PbftInput): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    if (typeof input?.request !== "object" || input.request === null) {
      throw new SynodError("usage", "PbftNode.request: an input is { tag, request } with a signed client request");
    }
    const b: Out<R> = new StepBuilder();
    if (this.haltReason !== undefined) return this.haltedStep(b);
    const request: Request = { ...input.request, proxy: this.id };
    if (!this.verified.verify(request)) {
      this.metrics.reject(this.badAuthentication(request.sig), this.id);
      return b.finish();
    }
    const held = this.proxied.get(request.client);
    // Only a command the service can answer without ordering goes the read-only way: a client that
    // marks a write read-only gets it ordered (never a read-only request its peers would reject).
    const readOnly = this.config.readOnly && input.readOnly === true && this.service.isReadOnly(request.command);
    if (held === undefined || held.request.timestamp < request.timestamp) {
      this.proxied.set(request.client, { tag: input.tag, request, replies: new Map(), readOnly, rounds: 0 });
    }
    if (readOnly) {
      this.broadcast({ type: "readRequest", request }, b);
      this.onReadRequest(request, b);
    } else {
      this.broadcast({ type: "request", request }, b);
      this.onRequest(request, b);
    }
    return this.finish(b);
  }

  /** Handle the bytes of a message from `from`: decoded by pbftMessageCodec, else counted as malformed (per peer) and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const decoded = pbftMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.metrics.reject("malformed", from);
    return new StepBuilder<PbftMessage, PbftOutput<R>, PbftRecord>().finish();
  }

  /**
   * Handle a decoded message. A message the replica refuses is counted against its sender (by
   * reason) and dropped. An exception thrown while handling it is this replica's bug, never the
   * peer's fault: it is counted (`metrics.internalErrors`) and reported as an `internalError` output
   * (an alarm; the simulator fails the run on it), and the step so far is kept.
   */
  receive(from: NodeId, message: PbftMessage): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const b: Out<R> = new StepBuilder();
    if (this.haltReason !== undefined) return this.haltedStep(b);
    if (from === this.id || !this.members.includes(from)) {
      this.metrics.reject("unknown-sender", from);
      return b.finish();
    }
    if (this.proven.has(from)) {
      const handled = (this.provenTraffic.get(from) ?? 0) + 1;
      this.provenTraffic.set(from, handled);
      if (handled > this.config.provenFaultyMessagesPerTick) {
        this.metrics.reject("rate-limited", from); // before any check: a proven-faulty replica's flood costs nothing
        return b.finish();
      }
    }
    let reason: RejectReason | undefined;
    try {
      reason = this.dispatch(from, message, b);
    } catch (error) {
      this.metrics.internalErrors++;
      const what = error instanceof Error ? error.message : String(error);
      const kind = typeof message === "object" && message !== null ? message.type : typeof message;
      b.output({ type: "internalError", reason: `${this.id} threw handling ${kind} from ${from}: ${what}` });
    }
    if (reason !== undefined) this.metrics.reject(reason, from);
    return this.finish(b);
  }

  /** Close a step: when a stable checkpoint with its state was reached, the durable log is replaced by the current durable state. */
  private finish(b: Out<R>): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    if (this.compactPending) {
      this.compactPending = false;
      const records = this.durableState();
      if (records !== undefined) b.compact(records);
    }
    return b.finish();
  }

  private haltedStep(b: Out<R>): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    if (!this.haltReported) {
      this.haltReported = true;
      b.output({ type: "halted", reason: `${this.id} refuses to run: ${this.haltReason ?? ""}` });
    }
    return b.finish();
  }

  private dispatch(from: NodeId, message: PbftMessage, b: Out<R>): RejectReason | undefined {
    if (typeof message !== "object" || message === null) return "malformed";
    if (message.type === "request") {
      const request = message.request;
      if (this.clientBusy(request)) return "rate-limited"; // before its authentication is checked: a flood costs nothing
      if (!this.verified.verify(request)) return this.badAuthentication(request.sig);
      if (!this.members.includes(request.proxy)) return "malformed";
      if (from !== request.proxy) this.resendPrePrepareFor(from, request, b);
      return this.onRequest(request, b);
    }
    if (message.type === "readRequest") {
      const request = message.request;
      if (!this.verified.verify(request)) return this.badAuthentication(request.sig);
      if (!this.members.includes(request.proxy) || request.proxy !== from) return "malformed";
      return this.onReadRequest(request, b);
    }
    if (message.replica !== from) return "unknown-sender";
    // A reply this replica does not wait for could change nothing: dropped before its signature is
    // checked (as proxy, f+1 matching replies complete a request, and the later ones all come here).
    const isReply = message.type === "reply" || message.type === "readReply";
    if (isReply && !this.awaitsReply(from, message.client, message.timestamp, message.type === "readReply")) return undefined;
    if (!this.auth.check(from, message)) return this.usesMacs(message.type) ? this.badAuthentication(message.sig) : "bad-signature";
    switch (message.type) {
      case "prePrepare":
        return this.onPrePrepare(from, message, b);
      case "prepare":
        return this.onPrepare(from, message, b);
      case "commit":
        return this.onCommit(from, message, b);
      case "checkpoint":
        return this.onCheckpoint(message, b);
      case "viewChange":
        return this.onViewChange(from, message, b);
      case "newView":
        return this.onNewView(from, message, b);
      case "reply":
        return this.onReply(from, message, b);
      case "readReply":
        this.collectReadReply(from, message.client, message.timestamp, message.result, b);
        return undefined;
      case "fetchState":
        return this.onFetchState(from, message, b);
      case "state":
        return this.onState(message, b);
      case "evidence":
        return this.onEvidence(from, message, b);
      case "dispute":
        return this.onDispute(from, message, b);
      case "disputeAck":
        if (message.kind === "evidence") this.evidenceOutbox.acknowledge(from, message.signer);
        else this.disputes.acknowledge(from, message.kind, message.signer, message.at);
        return undefined;
      default:
        return "malformed";
    }
  }

  /** Why an authentication failed: a bad MAC (a tag that is no signature, in `macs` mode), else a bad signature. */
  private badAuthentication(tag: Uint8Array): RejectReason {
    return this.config.authentication === "macs" && tag?.length !== SIGNATURE_BYTES ? "bad-mac" : "bad-signature";
  }

  private usesMacs(type: PbftMessage["type"]): boolean {
    return this.auth.usesMacs(type);
  }

  // ---------------------------------------------------------------- normal case

  private onRequest(request: Request, b: Out<R>): RejectReason | undefined {
    const last = this.clients.get(request.client);
    if (last !== undefined && request.timestamp <= last.timestamp) {
      // Exactly once per timestamp: the last reply is sent again, an older request is dropped.
      if (request.timestamp === last.timestamp) this.sendReply(request.client, request.timestamp, request.proxy, last.result, b);
      return undefined;
    }
    const held = this.pending.get(request.client);
    if (held !== undefined && held.timestamp >= request.timestamp) return undefined;
    if (held === undefined && this.pending.size >= this.config.maxPendingClients) return "rate-limited";
    this.pending.set(request.client, request);
    this.waiting.delete(request.client);
    this.waiting.set(request.client, this.pace.startWaiting());
    if (this.active && this.primary === this.id) this.propose(b);
    return undefined;
  }

  /**
   * Per-client rate limit (Aardvark): a client has one request in the protocol at a time. A later
   * request from a client whose previous one still waits here to be ordered (no pre-prepare holds
   * it), for less than the view-change timeout, is dropped before any work is spent on it: an honest
   * client sends its next request only after the last completed, which takes its ordering (or after
   * its own, longer, timeout). So a flooding client gets at most one request checked per ordering of
   * its previous one. A forged request in a client's name is dropped the same way, and while the
   * client waits for nothing it is checked (and refused) as before. Applied to requests relayed by
   * other replicas only: a proxy always takes its own client's request (it may itself be behind, its
   * copy of the last request never ordered here, and the client would be refused for nothing).
   */
  private clientBusy(request: Request): boolean {
    const held = this.pending.get(request.client);
    if (held === undefined || request.timestamp <= held.timestamp || this.assigned.has(requestKey(held))) return false;
    const waiting = this.waiting.get(request.client);
    return waiting !== undefined && this.pace.now - waiting.since < this.config.viewChangeTimeoutTicks;
  }

  /** As primary: assign sequence numbers to waiting requests, in batches, within the window and the in-flight bound. */
  private propose(b: Out<R>): void {
    // Nothing can be assigned while the window or the in-flight bound is full: return before the
    // scan of every pending request (each request arriving at a busy primary scanned them all, a
    // quadratic cost per batch). The same outcome as scanning and failing to flush: the scan alone changes nothing.
    if (!this.canAssign()) return;
    let batch: Request[] = [];
    const flush = (): boolean => {
      const seq = this.nextSeq + 1;
      if (!this.canAssign()) return false;
      this.nextSeq = seq;
      const requests = batch;
      batch = [];
      const pp = this.withShare(
        this.auth.seal<PrePrepare>({
          type: "prePrepare",
          view: this.viewNo,
          seq,
          digest: batchDigestOf(this.keys.provider, requests.map((r) => this.verified.digest(r))),
          requests,
          replica: this.id,
        }),
      );
      for (const r of requests) this.assigned.add(requestKey(r));
      const slot = new Slot(this.viewNo);
      slot.prePrepare = pp;
      this.log.set(seq, slot);
      b.persist({ type: "prePrepare", prePrepare: pp });
      this.notePrePrepared(pp);
      b.output({ type: "prePrepared", view: pp.view, seq, digest: pp.digest });
      this.broadcast(pp, b);
      this.checkPrepared(seq, slot, b);
      return true;
    };
    for (const request of this.pending.values()) {
      if (this.assigned.has(requestKey(request))) continue;
      batch.push(request);
      if (batch.length >= this.config.batchMax && !flush()) return;
    }
    if (batch.length > 0) flush();
  }

  /** Whether the next sequence number is within the window and the in-flight bound (the primary may assign it). */
  private canAssign(): boolean {
    const seq = this.nextSeq + 1;
    return seq <= this.low + this.config.windowSize && seq - this.executed <= this.config.maxInFlight;
  }

  private inWindow(seq: number): boolean {
    return seq > this.low && seq <= this.low + this.config.windowSize;
  }

  private slotFor(seq: number): Slot {
    let slot = this.log.get(seq);
    if (slot === undefined || slot.view !== this.viewNo) {
      slot = new Slot(this.viewNo);
      this.log.set(seq, slot);
    }
    return slot;
  }

  private onPrePrepare(from: NodeId, pp: PrePrepare, b: Out<R>): RejectReason | undefined {
    if (pp.view !== this.viewNo || !this.active) return "wrong-view";
    if (from !== this.primary) return "not-primary";
    if (!this.inWindow(pp.seq)) return "out-of-window";
    const slot = this.slotFor(pp.seq);
    if (slot.prePrepare !== undefined) {
      if (equalBytes(slot.prePrepare.digest, pp.digest)) return undefined;
      this.metrics.equivocations++;
      this.noteStatement(pp, b);
      return "conflict";
    }
    if (!batchIsValid(this.certs, pp.requests, pp.digest)) return "bad-digest";
    const shareless = this.shareMismatch(pp);
    if (shareless !== undefined) return shareless;
    this.acceptPrePrepare(pp, slot, b);
    return undefined;
  }

  private acceptPrePrepare(pp: PrePrepare, slot: Slot, b: Out<R>): void {
    this.noteStatement(pp, b);
    slot.prePrepare = pp;
    slot.acceptedAt = this.pace.now;
    if (pp.seq > this.highestPrePrepared) this.highestPrePrepared = pp.seq;
    b.persist({ type: "prePrepare", prePrepare: pp }); // before the prepare leaves: never a conflicting one after a restart
    this.notePrePrepared(pp);
    for (const r of pp.requests) this.assigned.add(requestKey(r));
    b.output({ type: "prePrepared", view: pp.view, seq: pp.seq, digest: pp.digest });
    if (this.id !== pp.replica) {
      const prepare = this.withShare(this.auth.seal<Prepare>({ type: "prepare", view: pp.view, seq: pp.seq, digest: pp.digest, replica: this.id }));
      slot.ownPrepare = prepare;
      slot.prepares.set(this.id, prepare);
      this.broadcast(prepare, b);
    }
    this.checkPrepared(pp.seq, slot, b);
  }

  private onPrepare(from: NodeId, p: Prepare, b: Out<R>): RejectReason | undefined {
    if (p.view !== this.viewNo || !this.active) return p.view < this.viewNo ? "stale" : "wrong-view";
    if (!this.inWindow(p.seq)) return p.seq <= this.low ? "stale" : "out-of-window";
    if (from === this.primary) return "not-primary";
    this.noteStatement(p, b);
    const shareless = this.shareMismatch(p);
    if (shareless !== undefined) return shareless;
    const slot = this.slotFor(p.seq);
    if (slot.prepares.has(from)) return undefined;
    slot.prepares.set(from, p);
    this.checkPrepared(p.seq, slot, b);
    return undefined;
  }

  private onCommit(from: NodeId, c: Commit, b: Out<R>): RejectReason | undefined {
    if (c.view !== this.viewNo || !this.active) return c.view < this.viewNo ? "stale" : "wrong-view";
    if (!this.inWindow(c.seq)) return c.seq <= this.low ? "stale" : "out-of-window";
    this.noteStatement(c, b);
    const slot = this.slotFor(c.seq);
    if (slot.commits.has(from)) return undefined;
    slot.commits.set(from, c);
    this.checkCommitted(slot, b);
    return undefined;
  }

  /**
   * prepared(m, v, n): the pre-prepare and q−1 matching prepares from distinct backups — a quorum
   * with the primary, which is the paper's 2f prepares when n = 3f+1 and more for other n. Two
   * quorums meet in a correct replica, so no two batches prepare at one (view, sequence number):
   * what the new view's rules rely on, with certificates (signatures mode) and with claims (`macs`
   * mode, certificates.ts, decideFromClaims). With 2f prepares of n = 6 (f = 1), an equivocating
   * primary prepared two batches at one sequence number with disjoint backups, and the next view
   * re-proposed one while the other had committed (ViewChangeSafety, seed 1040 of the 6-node
   * Byzantine run); with 2f+1 of n = 5 in `macs` mode the claims decided neither, for good (seed
   * 1038 of the pbft-mac swarm: no progress).
   */
  private checkPrepared(seq: number, slot: Slot, b: Out<R>): void {
    const pp = slot.prePrepare;
    if (slot.prepared || pp === undefined) return;
    const matching: Prepare[] = [];
    for (const p of slot.prepares.values()) if (equalBytes(p.digest, pp.digest)) matching.push(p);
    if (matching.length + 1 < this.quorum.quorumSize) return;
    const signature = this.preparedShares ? this.combinePrepared(pp, matching, slot) : undefined;
    if (this.preparedShares && signature === undefined) return;
    slot.prepared = true;
    if (slot.acceptedAt >= 0 && pp.replica !== this.id) this.pace.agreementTook(this.pace.now - slot.acceptedAt);
    const certificate: PreparedCertificate =
      signature === undefined
        ? { prePrepare: pp, prepares: matching.slice(0, this.quorum.quorumSize - 1) }
        : { prePrepare: withoutShare(pp), prepares: [], signature };
    this.preparedCerts.set(seq, certificate);
    b.persist({ type: "prepared", certificate }); // before the commit leaves, and for every later view-change
    const commit = this.auth.seal<Commit>({ type: "commit", view: pp.view, seq, digest: pp.digest, replica: this.id });
    slot.ownCommit = commit;
    slot.commits.set(this.id, commit);
    this.broadcast(commit, b);
    this.checkCommitted(slot, b);
  }

  /**
   * Threshold prepared certificates: combine the primary's share (on its pre-prepare) and the shares
   * of q−1 matching prepares into the group's signature of (view, seq, digest). A backup's share
   * that does not verify is its sender's fault: that prepare is dropped and counted against it
   * (`bad-share`), so that a correct one from it, or another backup's, can take its place. A bad
   * share on the pre-prepare is the primary's: counted, and the slot does not prepare in this view
   * (the request times out into a view change, as when a faulty primary sends too few pre-prepares).
   * @returns the group signature, or undefined (fewer than q good shares so far)
   */
  private combinePrepared(pp: PrePrepare, matching: readonly Prepare[], slot: Slot): Uint8Array | undefined {
    const threshold = this.threshold as PbftThresholdKeys;
    const partial = (m: PrePrepare | Prepare) => ({ index: this.members.indexOf(m.replica) + 1, signature: m.share ?? new Uint8Array(0) });
    const partials = [partial(pp), ...matching.slice(0, this.quorum.quorumSize - 1).map(partial)];
    const combined = threshold.scheme.combine(preparedCertificateStatement(pp.view, pp.seq, pp.digest), partials);
    const bad = combined.ok ? combined.value.rejectedIndices : ((combined.error.details.badIndices as readonly number[] | undefined) ?? []);
    for (const index of bad) {
      const peer = this.members[index - 1];
      if (peer === undefined || peer === this.id) continue;
      if (peer !== pp.replica) slot.prepares.delete(peer);
      this.metrics.reject("bad-share", peer);
    }
    if (!combined.ok) return undefined;
    this.metrics.thresholdPrepared++;
    return combined.value.signature;
  }

  /**
   * Threshold prepared certificates decide whether a pre-prepare or prepare carries a share: one
   * without is no use (`bad-share`); with one in another mode, a mode mismatch (`malformed`).
   */
  private shareMismatch(m: PrePrepare | Prepare): RejectReason | undefined {
    if (this.preparedShares) return m.share === undefined ? "bad-share" : undefined;
    return m.share === undefined ? undefined : "malformed";
  }

  /** `message` with this replica's share of its prepared certificate (threshold prepared certificates; otherwise as it is). */
  private withShare<T extends PrePrepare | Prepare>(message: T): T {
    const threshold = this.threshold;
    if (!this.preparedShares || threshold === undefined) return message;
    const statement = preparedCertificateStatement(message.view, message.seq, message.digest);
    return { ...message, share: threshold.scheme.signShare(threshold.share, statement).signature };
  }

  /** committed-local(m, v, n, i): prepared and 2f+1 matching commits from distinct replicas (its own included). */
  private checkCommitted(slot: Slot, b: Out<R>): void {
    const pp = slot.prePrepare;
    if (slot.committed || !slot.prepared || pp === undefined) return;
    let matching = 0;
    for (const c of slot.commits.values()) if (equalBytes(c.digest, pp.digest)) matching++;
    if (matching < this.quorum.quorumSize) return;
    slot.committed = true;
    this.executeReady(b);
  }

  /** Execute committed sequence numbers in order, from the one after the last executed. */
  private executeReady(b: Out<R>): void {
    const before = this.executed;
    for (;;) {
      const seq = this.executed + 1;
      const slot = this.log.get(seq);
      if (slot === undefined || !slot.committed || slot.prePrepare === undefined || this.stateTarget !== undefined) break;
      const pp = slot.prePrepare;
      b.persist({ type: "committed", prePrepare: pp });
      b.output({ type: "committed", view: pp.view, seq, digest: pp.digest, requests: pp.requests.length });
      this.executeBatch(pp, b);
      this.timerTicks = 0;
      this.failedViewChanges = 0;
    }
    if (this.executed > before && this.active && this.primary === this.id) this.propose(b); // in-flight room freed
  }

  /** Execute a committed batch at its sequence number (and take the checkpoint there, every K). */
  private executeBatch(pp: PrePrepare, b: Out<R>): void {
    for (const request of pp.requests) this.executeRequest(pp.seq, request, b);
    this.executed = pp.seq;
    this.committedBatches.set(pp.seq, pp);
    this.metrics.executedBatches++;
    if (pp.seq % this.config.checkpointInterval === 0) this.takeCheckpoint(pp.seq, b);
  }

  private executeRequest(seq: number, request: Request, b: Out<R>): void {
    const last = this.clients.get(request.client);
    if (last !== undefined && request.timestamp <= last.timestamp) return; // executed already: at most once
    const result = this.service.execute(seq, request.command);
    const encoded = this.service.encodeResult(result);
    this.clients.delete(request.client);
    this.clients.set(request.client, { timestamp: request.timestamp, result: encoded });
    if (this.clients.size > MAX_CLIENT_TABLE) this.clients.delete(this.clients.keys().next().value as number);
    const held = this.pending.get(request.client);
    if (held !== undefined && held.timestamp <= request.timestamp) {
      this.pending.delete(request.client);
      this.waiting.delete(request.client);
    }
    this.assigned.delete(requestKey(request));
    this.metrics.executedRequests++;
    b.output({ type: "execute", seq, client: request.client, timestamp: request.timestamp, command: request.command, result });
    this.sendReply(request.client, request.timestamp, request.proxy, encoded, b);
  }

  private sendReply(client: number, timestamp: number, proxy: NodeId, result: Uint8Array, b: Out<R>): void {
    if (proxy === this.id) {
      this.collectReply(this.id, client, timestamp, result, b);
      return;
    }
    if (!this.members.includes(proxy)) return;
    const reply = this.auth.sealFor<Reply>(proxy, { type: "reply", view: this.viewNo, client, timestamp, result, replica: this.id });
    b.send({ from: this.id, to: proxy, message: reply });
  }

  private onReply(from: NodeId, reply: Reply, b: Out<R>): RejectReason | undefined {
    this.collectReply(from, reply.client, reply.timestamp, reply.result, b);
    return undefined;
  }

  /** As proxy: the client accepts a result once f+1 replicas sent it (at least one of them is honest). */
  private collectReply(from: NodeId, client: number, timestamp: number, result: Uint8Array, b: Out<R>): void {
    const entry = this.proxied.get(client);
    if (entry === undefined || !this.awaitsReply(from, client, timestamp, false)) return;
    entry.replies.set(from, result);
    if (entry.readOnly) return;
    let matching = 0;
    for (const r of entry.replies.values()) if (equalBytes(r, result)) matching++;
    if (matching < (this.config.readOnly ? this.quorum.quorumSize : this.quorum.weakQuorumSize)) return;
    this.complete(entry, result, b);
  }

  /** Whether, as proxy, this replica waits for `from`'s reply (a read reply: `readOnly`) to client's request at `timestamp`. */
  private awaitsReply(from: NodeId, client: number, timestamp: number, readOnly: boolean): boolean {
    const entry = this.proxied.get(client);
    return entry !== undefined && entry.request.timestamp === timestamp && (!readOnly || entry.readOnly) && !entry.replies.has(from);
  }

  private complete(entry: ProxiedRequest, result: Uint8Array, b: Out<R>): void {
    const decoded = this.service.decodeResult(result);
    if (decoded === undefined) return;
    const { client, timestamp } = entry.request;
    this.proxied.delete(client);
    b.output({ type: "reply", tag: entry.tag, client, timestamp, result: decoded });
  }

  // ---------------------------------------------------------------- read-only optimisation (§5.1.3)

  /**
   * Answer a read-only request at once from this replica's state. Every request it reflects is
   * committed (this replica executes only committed batches), so the paper's wait for the tentative
   * state to commit is met. A replica fetching a checkpoint's state does not answer.
   */
  private onReadRequest(request: Request, b: Out<R>): RejectReason | undefined {
    if (this.stateTarget !== undefined) return undefined;
    const result = this.service.query(request.command);
    if (result === undefined) return "malformed"; // not read-only: the client must order it
    const encoded = this.service.encodeResult(result);
    if (request.proxy === this.id) {
      this.collectReadReply(this.id, request.client, request.timestamp, encoded, b);
      return undefined;
    }
    const { client, timestamp } = request;
    const reply = this.auth.sealFor<ReadReply>(request.proxy, { type: "readReply", view: this.viewNo, client, timestamp, result: encoded, replica: this.id });
    b.send({ from: this.id, to: request.proxy, message: reply });
    return undefined;
  }

  /** As proxy: a read completes on 2f+1 matching read replies; once that cannot happen any more, it is ordered instead. */
  private collectReadReply(from: NodeId, client: number, timestamp: number, result: Uint8Array, b: Out<R>): void {
    const entry = this.proxied.get(client);
    if (entry === undefined || !this.awaitsReply(from, client, timestamp, true)) return;
    entry.replies.set(from, result);
    let best = 0;
    for (const r of entry.replies.values()) {
      let matching = 0;
      for (const other of entry.replies.values()) if (equalBytes(r, other)) matching++;
      if (matching > best) best = matching;
      if (matching >= this.quorum.quorumSize) {
        this.metrics.readOnlyCompleted++;
        return this.complete(entry, r, b);
      }
    }
    if (best + (this.members.length - entry.replies.size) < this.quorum.quorumSize) this.orderRead(entry, b);
  }

  /** The read-only attempt failed (replies disagree, or too few came): retry the request through the ordered path. */
  private orderRead(entry: ProxiedRequest, b: Out<R>): void {
    entry.readOnly = false;
    entry.replies.clear();
    this.metrics.readOnlyFallbacks++;
    this.broadcast({ type: "request", request: entry.request }, b);
    this.onRequest(entry.request, b);
  }

  private hasUnexecutedRequest(): boolean {
    return this.pending.size > 0;
  }

  // ---------------------------------------------------------------- checkpoints and state transfer

  private encodeState(): Uint8Array {
    const clients: [number, number, Uint8Array][] = [];
    for (const [client, record] of this.clients) clients.push([client, record.timestamp, record.result]);
    return stateCodec.encode({ service: this.service.snapshot(), clients });
  }

  private takeCheckpoint(seq: number, b: Out<R>): void {
    const state = this.encodeState();
    const digest = this.keys.provider.sha256(state);
    this.snapshots.set(seq, { state, digest });
    const cp = this.signCheckpoint(seq, digest);
    this.ownCheckpoint = cp;
    this.broadcast(cp, b);
    this.disputeCheckpoints(seq, digest, b);
    this.addCheckpoint(cp, b);
  }

  /** This replica's signed checkpoint message for `seq` (in `threshold` mode with its share of the certificate). */
  private signCheckpoint(seq: number, stateDigest: Uint8Array): Checkpoint {
    const threshold = this.threshold;
    const share = threshold === undefined ? undefined : threshold.scheme.signShare(threshold.share, checkpointCertificateStatement(seq, stateDigest)).signature;
    const unsigned: Unsigned<Checkpoint> =
      share === undefined ? { type: "checkpoint", seq, stateDigest, replica: this.id } : { type: "checkpoint", seq, stateDigest, share, replica: this.id };
    return sign<Checkpoint>(this.keys.provider, this.keys.secretKey, unsigned);
  }

  private onCheckpoint(cp: Checkpoint, b: Out<R>): RejectReason | undefined {
    if (cp.seq % this.config.checkpointInterval !== 0) return "malformed";
    this.noteCheckpoint(cp, b); // the stable one too: a faulty replica's other digest for it may still come
    if (cp.seq <= this.low) return undefined; // already stable here: nothing to learn
    // The certificate mode decides whether a checkpoint carries a share: one without is no use to a
    // `threshold` cluster (its share is refused as `bad-share`), one with it a mode mismatch.
    if (this.threshold !== undefined ? cp.share === undefined : cp.share !== undefined) return this.threshold !== undefined ? "bad-share" : "malformed";
    this.addCheckpoint(cp, b);
    return undefined;
  }

  private addCheckpoint(cp: Checkpoint, b: Out<R>): void {
    const held = this.checkpointsByPeer.get(cp.replica) ?? [];
    if (held.some((c) => c.seq === cp.seq)) return;
    held.push(cp);
    held.sort((x, y) => y.seq - x.seq);
    if (held.length > CHECKPOINTS_PER_PEER) held.length = CHECKPOINTS_PER_PEER;
    this.checkpointsByPeer.set(cp.replica, held);
    const proof: Checkpoint[] = [];
    for (const member of this.members) {
      const c = this.checkpointsByPeer.get(member)?.find((x) => x.seq === cp.seq);
      if (c !== undefined && equalBytes(c.stateDigest, cp.stateDigest)) proof.push(c);
    }
    if (proof.length < this.quorum.quorumSize) return;
    if (this.threshold !== undefined) {
      const certificate = this.combineCheckpoint(cp.seq, cp.stateDigest, proof);
      if (certificate === undefined) return;
      this.stabilize(cp.seq, cp.stateDigest, [], certificate, proof.map((c) => c.replica), b);
    } else {
      this.stabilize(cp.seq, cp.stateDigest, proof, undefined, proof.map((c) => c.replica), b);
    }
    if (this.active && this.primary === this.id) this.propose(b); // the window moved
  }

  /**
   * `threshold` mode: combine the shares of q matching checkpoint messages into the checkpoint's
   * certificate (the group's threshold is q). A share that does not verify is its sender's fault:
   * that checkpoint message is dropped and counted against it (`bad-share`), so that a correct one
   * from it can take its place; with fewer than q good shares left there is no certificate yet.
   * @returns the certificate, or undefined
   */
  private combineCheckpoint(seq: number, stateDigest: Uint8Array, proof: readonly Checkpoint[]): CheckpointCertificate | undefined {
    const threshold = this.threshold as PbftThresholdKeys;
    const partials = proof.map((c) => ({ index: this.members.indexOf(c.replica) + 1, signature: c.share ?? new Uint8Array(0) }));
    const combined = threshold.scheme.combine(checkpointCertificateStatement(seq, stateDigest), partials);
    const bad = combined.ok ? combined.value.rejectedIndices : ((combined.error.details.badIndices as readonly number[] | undefined) ?? []);
    for (const index of bad) {
      const peer = this.members[index - 1];
      if (peer === undefined || peer === this.id) continue;
      const held = this.checkpointsByPeer.get(peer)?.filter((c) => c.seq !== seq) ?? [];
      if (held.length > 0) this.checkpointsByPeer.set(peer, held);
      else this.checkpointsByPeer.delete(peer);
      this.metrics.reject("bad-share", peer);
    }
    if (!combined.ok) return undefined;
    this.metrics.thresholdCertificates++;
    return { seq, stateDigest, signature: combined.value.signature };
  }

  /**
   * A checkpoint proven by a quorum (q signed checkpoint messages, or in `threshold` mode one group
   * signature) becomes the low watermark; everything below it is collected. `from`: replicas that
   * signed it (the state is fetched from them when this replica is behind).
   */
  private stabilize(
    seq: number,
    digest: Uint8Array,
    proof: readonly Checkpoint[],
    certificate: CheckpointCertificate | undefined,
    from: readonly NodeId[],
    b: Out<R>,
  ): void {
    if (seq <= this.low) return;
    this.low = seq;
    this.statements.forgetThrough(seq);
    this.stableProof = proof;
    this.stableCertificate = certificate;
    this.metrics.stableCheckpoints++;
    if (this.active) this.pace.progressed();
    for (const key of [...this.log.keys()]) if (key <= seq) this.log.delete(key);
    for (const key of [...this.preparedCerts.keys()]) if (key <= seq) this.preparedCerts.delete(key);
    for (const key of [...this.prePrepared.keys()]) if (key <= seq) this.prePrepared.delete(key);
    for (const key of [...this.snapshots.keys()]) if (key < seq) this.snapshots.delete(key);
    for (const key of [...this.committedBatches.keys()]) if (key <= seq) this.committedBatches.delete(key);
    for (const [peer, held] of this.checkpointsByPeer) {
      const above = held.filter((c) => c.seq > seq);
      if (above.length > 0) this.checkpointsByPeer.set(peer, above);
      else this.checkpointsByPeer.delete(peer);
    }
    if (this.nextSeq < seq) this.nextSeq = seq;
    const own = this.snapshots.get(seq);
    if (this.executed >= seq && own !== undefined && equalBytes(own.digest, digest)) {
      this.compactPending = true; // the proven state is here: it replaces the durable log
      return;
    }
    if (this.executed >= seq) return; // executed past it without a snapshot there (restored from a later one)
    this.stateTarget = { seq, digest, from: (from.length > 0 ? from : this.members).filter((r) => r !== this.id) };
    this.requestState(b);
  }

  private requestState(b: Out<R>): void {
    const target = this.stateTarget;
    if (target === undefined) return;
    const fetch = sign<FetchState>(this.keys.provider, this.keys.secretKey, { type: "fetchState", seq: target.seq, replica: this.id });
    for (const peer of target.from) b.send({ from: this.id, to: peer, message: fetch });
  }

  private onFetchState(from: NodeId, fetch: FetchState, b: Out<R>): RejectReason | undefined {
    const snapshot = this.snapshots.get(fetch.seq);
    if (snapshot === undefined) return undefined;
    const state = sign<StateTransfer>(this.keys.provider, this.keys.secretKey, { type: "state", seq: fetch.seq, state: snapshot.state, replica: this.id });
    b.send({ from: this.id, to: from, message: state });
    return undefined;
  }

  /** Replace the service's state and the last-reply table by a checkpoint's. */
  private installState(state: CheckpointState): void {
    this.service.restore(state.service);
    this.clients.clear();
    for (const [client, timestamp, result] of state.clients) this.clients.set(client, { timestamp, result });
  }

  /** A peer's state is installed only when it hashes to the digest 2f+1 replicas signed for that checkpoint. */
  private onState(message: StateTransfer, b: Out<R>): RejectReason | undefined {
    const target = this.stateTarget;
    if (target === undefined || message.seq !== target.seq) return undefined;
    const digest = this.keys.provider.sha256(message.state);
    if (!equalBytes(digest, target.digest)) return "bad-digest";
    const decoded = stateCodec.decode(message.state);
    if (!decoded.ok) return "malformed";
    this.installState(decoded.value);
    for (const [client, request] of [...this.pending]) {
      const last = this.clients.get(client);
      if (last !== undefined && request.timestamp <= last.timestamp) this.pending.delete(client);
    }
    this.snapshots.set(target.seq, { state: message.state, digest });
    this.disputeCheckpoints(target.seq, digest, b);
    this.executed = target.seq;
    this.committedBatches.clear();
    this.stateTarget = undefined;
    this.compactPending = target.seq === this.low;
    this.metrics.stateTransfers++;
    b.output({ type: "stateTransferred", seq: target.seq, stateDigest: digest });
    this.executeReady(b);
    return undefined;
  }

  // ---------------------------------------------------------------- view changes

  private startViewChange(target: number, b: Out<R>): void {
    const view = this.nextViewWithUnprovenPrimary(target);
    if (view <= this.viewNo) return;
    this.viewNo = view;
    this.active = false;
    this.timerTicks = 0;
    this.aheadTicks = 0;
    this.failedViewChanges++;
    this.metrics.viewChanges++;
    this.log.clear();
    this.assigned.clear();
    const prepared: PreparedCertificate[] = [];
    for (const [seq, cert] of [...this.preparedCerts].sort((x, y) => x[0] - y[0])) if (seq > this.low) prepared.push(cert);
    const macs = this.config.authentication === "macs";
    const vc = sign<ViewChange>(this.keys.provider, this.keys.secretKey, {
      type: "viewChange",
      view,
      stableSeq: this.low,
      checkpointProof: this.low === 0 ? [] : this.stableProof,
      ...(this.low > 0 && this.stableCertificate !== undefined ? { checkpointCertificate: this.stableCertificate } : {}),
      // `macs` mode: the prepares of a certificate carry MACs, which prove nothing to the new primary;
      // this replica states what it prepared and pre-prepared instead, under its signature.
      prepared: macs ? [] : prepared,
      preparedClaims: macs ? prepared.map(({ prePrepare: { view: v, seq, digest, requests } }): PreparedClaim => ({ view: v, seq, digest, requests })) : [],
      prePrepared: macs ? this.prePreparedClaims() : [],
      replica: this.id,
    });
    this.ownViewChange = vc;
    this.latestViewChange.set(this.id, vc);
    b.persist({ type: "viewChange", viewChange: vc }); // the view left is never re-entered after a restart
    this.broadcast(vc, b);
    this.tryNewView(b);
  }

  private onViewChange(from: NodeId, vc: ViewChange, b: Out<R>): RejectReason | undefined {
    this.noteView(vc, b); // whatever becomes of it: its signer signed it
    // Forwarded to the others, once: a replica that got another view-change for this view from its
    // signer finds the contradiction (an equivocator's two halves meet at once, not only in a new-view).
    if (vc.view >= this.viewNo && !this.proven.has(vc.replica) && this.statements.takeViewChangeToDispute(vc)) this.forwardDispute(vc, b);
    if (vc.view < this.viewNo || (vc.view === this.viewNo && this.active)) {
      // A replica still trying to leave a view we already left: show it the new view.
      if (this.active && this.currentNewView !== undefined) b.send({ from: this.id, to: from, message: this.currentNewView });
      return undefined;
    }
    const held = this.latestViewChange.get(from);
    if (held !== undefined && held.view >= vc.view) return undefined;
    if (this.badThresholdCertificate(vc)) return "bad-threshold-signature";
    if (!viewChangeIsValid(this.certs, vc)) return "invalid-certificate";
    this.noteCertificates(vc, b);
    this.latestViewChange.set(from, vc);
    // f+1 replicas want a later view: at least one is honest, so join the smallest of those views.
    const later = [...this.latestViewChange.values()].filter((v) => v.view > this.viewNo && v.replica !== this.id);
    if (later.length >= this.quorum.weakQuorumSize) this.startViewChange(Math.min(...later.map((v) => v.view)), b);
    this.tryNewView(b);
    return undefined;
  }

  /**
   * A replica alone in a later view cannot come back: its signed view-change for that view may still
   * go into that view's new-view, so it must never prepare anything in an earlier one. It left because
   * its timer ran out while it was cut off, or it persisted the view-change just before every replica
   * restarted; the others, active and with no request stuck, never time out, and f+1 view-changes are
   * needed to take them along, so it would stay out of the protocol until the next fault. The others
   * go to it instead: an active replica that has held some replica's view-change for a later view
   * through the longest view-change timeout moves to the next view, and f+1 of them take the rest
   * along. A faulty replica can force at most one view change per that period this way; the next view
   * is the rotation's, never one it names.
   */
  private followReplicaAhead(b: Out<R>): void {
    let held = false;
    for (const vc of this.latestViewChange.values()) if (vc.view > this.viewNo && vc.replica !== this.id) held = true;
    if (!held) {
      this.aheadTicks = 0;
      return;
    }
    if (++this.aheadTicks >= this.config.viewChangeTimeoutTicks * 2 ** MAX_TIMEOUT_DOUBLINGS) this.startViewChange(this.viewNo + 1, b);
  }

  /** Whether 2f+1 replicas (this one included) have sent a view-change for the current view or a later one. */
  private viewChangeUnderWay(): boolean {
    let wanting = 0;
    for (const vc of this.latestViewChange.values()) if (vc.view >= this.viewNo) wanting++;
    return wanting >= this.quorum.quorumSize;
  }

  /** As the primary of the view being entered: with 2f+1 view-changes for it, send the new-view and start it. */
  private tryNewView(b: Out<R>): void {
    if (this.active || primaryOf(this.members, this.viewNo) !== this.id) return;
    const vcs: ViewChange[] = [];
    for (const member of this.members) {
      const vc = this.latestViewChange.get(member);
      if (vc !== undefined && vc.view === this.viewNo) vcs.push(vc);
    }
    if (vcs.length < this.quorum.quorumSize) return;
    // With certificates any quorum of view-changes decides every sequence number; with claims
    // (`macs` mode) some may stay undecided until more view-changes arrive, so all at hand are used.
    const chosen = this.config.authentication === "macs" ? vcs : vcs.slice(0, this.quorum.quorumSize);
    const plan = planNewView(this.certs, this.viewNo, chosen);
    if (plan === undefined) return; // undecided: wait for more view-changes
    const prePrepares = plan.prePrepares.map((pp) => this.withShare(sign<PrePrepare>(this.keys.provider, this.keys.secretKey, pp)));
    const nv = sign<NewView>(this.keys.provider, this.keys.secretKey, { type: "newView", view: this.viewNo, viewChanges: chosen, prePrepares, replica: this.id });
    this.broadcast(nv, b);
    this.installNewView(nv, plan.stableSeq, plan.stableProof, plan.stableCertificate, b);
  }

  private onNewView(from: NodeId, nv: NewView, b: Out<R>): RejectReason | undefined {
    this.noteView(nv, b);
    if (nv.view < this.viewNo || (nv.view === this.viewNo && this.active)) return undefined;
    if (from !== primaryOf(this.members, nv.view)) return "not-primary";
    const seen = new Set<NodeId>();
    for (const vc of nv.viewChanges) {
      if (this.badThresholdCertificate(vc)) return "bad-threshold-signature";
      if (vc.view !== nv.view || seen.has(vc.replica) || !viewChangeIsValid(this.certs, vc)) return "invalid-certificate";
      seen.add(vc.replica);
    }
    if (seen.size < this.quorum.quorumSize) return "invalid-certificate";
    const plan = planNewView(this.certs, nv.view, nv.viewChanges);
    if (plan === undefined || plan.prePrepares.length !== nv.prePrepares.length) return "invalid-certificate";
    for (let i = 0; i < plan.prePrepares.length; i++) {
      const want = plan.prePrepares[i] as Unsigned<PrePrepare>;
      const got = nv.prePrepares[i] as PrePrepare;
      if (got.type !== "prePrepare" || got.view !== nv.view || got.seq !== want.seq || got.replica !== from || !equalBytes(got.digest, want.digest)) return "invalid-certificate";
      if (got.sig.length !== SIGNATURE_BYTES || !this.auth.check(from, got)) return "invalid-certificate";
      // `macs` mode: the batch was chosen on f+1 claims of having pre-prepared it (one correct replica
      // checked its clients' authenticators), and no third replica can check a client's MAC for another.
      if (!(this.config.authentication === "macs" ? batchDigestMatches(this.certs, got.requests, got.digest) : batchIsValid(this.certs, got.requests, got.digest))) return "invalid-certificate";
    }
    // The statements the new-view carries are noted before anything of it is installed, and a
    // conviction among them moves views only after: moved on in the middle of the install, the
    // replica started the new view as active in the next one, without its new-view (seed 1032 of
    // `pnpm sim pbft --byzantine 1 --strategy equivocate-signed --faults all`: that view's primary
    // ordered there without one). A new-view whose own statements convict its primary is not
    // installed: its view is skipped as one whose new-view never came (no prepare sent in it that a
    // compaction in this step would leave without its pre-prepare: seed 1000 of the 7-node run).
    this.installingNewView = true;
    try {
      for (const vc of nv.viewChanges) this.noteCertificates(vc, b);
      if (this.proven.has(from)) {
        this.installingNewView = false;
        this.startViewChange(nv.view + 1, b);
        return undefined;
      }
      if (nv.view > this.viewNo) {
        this.viewNo = nv.view;
        this.log.clear();
        this.assigned.clear();
      }
      this.installNewView(nv, plan.stableSeq, plan.stableProof, plan.stableCertificate, b);
    } finally {
      this.installingNewView = false;
    }
    this.skipProvenPrimary(b);
    return undefined;
  }

  /** `threshold` mode: whether a view-change carries a checkpoint certificate whose group signature does not verify (its own reject reason). */
  private badThresholdCertificate(vc: ViewChange): boolean {
    const certificate = vc.checkpointCertificate;
    return this.threshold !== undefined && certificate !== undefined && !checkpointCertificateIsValid(this.certs, certificate);
  }

  private installNewView(
    nv: NewView,
    stableSeq: number,
    stableProof: readonly Checkpoint[],
    stableCertificate: CheckpointCertificate | undefined,
    b: Out<R>,
  ): void {
    this.active = true;
    this.timerTicks = 0;
    this.aheadTicks = 0;
    this.currentNewView = nv;
    this.metrics.newViews++;
    this.log.clear();
    this.assigned.clear();
    b.persist({ type: "newView", view: nv.view, newView: nv });
    if (stableSeq > this.low) {
      const digest = checkpointProofDigest(this.certs, stableSeq, stableProof, stableCertificate);
      if (digest instanceof Uint8Array) this.stabilize(stableSeq, digest, stableProof, stableCertificate, stableProof.map((c) => c.replica), b);
    }
    let maxSeq = this.low;
    b.output({ type: "viewChanged", view: nv.view });
    for (const pp of nv.prePrepares) {
      if (pp.seq > maxSeq) maxSeq = pp.seq;
      if (pp.seq <= this.low) continue;
      this.acceptPrePrepare(pp, this.slotFor(pp.seq), b);
    }
    this.nextSeq = maxSeq;
    this.highestPrePrepared = maxSeq;
    // The new primary's time to order starts now, for every request already waiting.
    for (const client of [...this.waiting.keys()]) this.waiting.set(client, this.pace.startWaiting());
    if (this.primary === this.id) this.propose(b);
  }

  // ---------------------------------------------------------------- misbehaviour evidence

  /** Note a signed pre-prepare, prepare or commit (its signature checked): one contradicting an earlier one convicts its signer. */
  private noteStatement(message: PrePrepare | Prepare | Commit, b: Out<R>): void {
    if (message.sig.length !== SIGNATURE_BYTES) return; // MAC-authenticated: the ledger would not note it (no statement built)
    const evidence = this.statements.note(signedStatementOf(message));
    if (evidence !== undefined) this.convict(evidence, b);
  }

  /**
   * Note the statements a verified view-change carries: itself (a new-view's V set), its checkpoint
   * proof and its prepared certificates (signatures mode).
   */
  private noteCertificates(vc: ViewChange, b: Out<R>): void {
    this.noteView(vc, b);
    for (const cp of vc.checkpointProof) {
      const evidence = this.statements.noteCheckpoint(cp);
      if (evidence !== undefined) this.convict(evidence, b);
    }
    for (const cert of vc.prepared) {
      this.noteStatement(cert.prePrepare, b);
      for (const p of cert.prepares) this.noteStatement(p, b);
    }
  }

  /** Note a signed view-change or new-view (its signature checked): one contradicting an earlier one for its view convicts its signer. */
  private noteView(statement: ViewChange | NewView, b: Out<R>): void {
    const evidence = this.statements.noteView(statement, this.viewNo);
    if (evidence !== undefined) this.convict(evidence, b);
  }

  /**
   * Note a peer's signed checkpoint (its signature checked): one contradicting an earlier one of its
   * signer for that sequence number convicts the signer; one whose state digest is not this
   * replica's own there is forwarded as disputed.
   */
  private noteCheckpoint(cp: Checkpoint, b: Out<R>): void {
    const evidence = this.statements.noteCheckpoint(cp);
    if (evidence !== undefined) return this.convict(evidence, b);
    const own = this.snapshots.get(cp.seq);
    if (own !== undefined) this.disputeCheckpoints(cp.seq, own.digest, b);
  }

  /**
   * This replica's state at `seq` has digest `stateDigest`: every peer's checkpoint noted there with
   * another digest is forwarded, once, to every replica (a dispute). A correct replica signs the
   * digest every correct one does, so the signer is faulty; it is proven so when it told another
   * replica something else, which that replica then holds beside the forwarded one. Correct replicas
   * agree on their states, so this sends nothing unless a replica lies about its own.
   */
  private disputeCheckpoints(seq: number, stateDigest: Uint8Array, b: Out<R>): void {
    for (const statement of this.statements.takeDisputed(seq, stateDigest)) {
      if (statement.replica === this.id || this.proven.has(statement.replica)) continue;
      this.forwardDispute(statement, b);
    }
  }

  /**
   * Forward a peer's signed checkpoint or view-change to every other replica but its signer, and keep
   * forwarding it each retransmission period to those that have not acknowledged it (a dispute lost
   * to the network would keep the proof from the replica holding the other half). A disputed
   * checkpoint is persisted (a `dispute` record: a restart forwards it again); a view-change is not —
   * a restarted replica notes its peers' view-changes afresh as they retransmit them.
   */
  private forwardDispute(statement: DisputeMessage["statement"], b: Out<R>): void {
    const peers = this.members.filter((m) => m !== this.id && m !== statement.replica);
    const message = sign<DisputeMessage>(this.keys.provider, this.keys.secretKey, { type: "dispute", statement, replica: this.id });
    if (!this.disputes.add(message, peers)) return;
    if (statement.type === "checkpoint") b.persist({ type: "dispute", statement });
    this.metrics.disputesForwarded++;
    for (const to of peers) b.send({ from: this.id, to, message });
  }

  /**
   * A checkpoint or view-change another replica disputes: noted beside what this replica holds from
   * its signer when it carries its signer's signature (else `invalid-evidence`, counted against the
   * forwarder), and acknowledged to the forwarder (which then stops sending it to this replica). A
   * checkpoint whose digest is not this replica's state there either is forwarded in turn, once (as
   * it would be when it arrived from its signer); a view-change never is.
   */
  private onDispute(from: NodeId, message: DisputeMessage, b: Out<R>): RejectReason | undefined {
    if (message.statement.type === "viewChange") return this.onViewChangeDispute(from, message.statement, b);
    const cp = message.statement;
    if (!this.members.includes(cp.replica) || cp.seq % this.config.checkpointInterval !== 0) return "invalid-evidence";
    if (cp.replica === this.id || this.proven.has(cp.replica)) return this.acknowledgeDispute(from, cp, b); // nothing to learn
    if (!statementIsSigned(this.keys, cp)) return "invalid-evidence";
    const evidence = this.statements.noteCheckpoint(cp);
    if (evidence !== undefined) this.convict(evidence, b);
    // Not this replica's state either: it forwards the checkpoint in turn, once (more paths to the
    // replica holding the other half while the network loses messages).
    const own = this.snapshots.get(cp.seq);
    if (evidence === undefined && own !== undefined) this.disputeCheckpoints(cp.seq, own.digest, b);
    return this.acknowledgeDispute(from, cp, b);
  }

  /** A disputed view-change: noted (for the current view or a later one) beside the one held from its signer, then acknowledged. */
  private onViewChangeDispute(from: NodeId, vc: ViewChange, b: Out<R>): RejectReason | undefined {
    if (!this.members.includes(vc.replica)) return "invalid-evidence";
    if (vc.replica !== this.id && !this.proven.has(vc.replica) && vc.view >= this.viewNo) {
      if (!statementIsSigned(this.keys, vc)) return "invalid-evidence";
      this.noteView(vc, b);
    }
    return this.acknowledgeDispute(from, vc, b);
  }

  private acknowledgeDispute(to: NodeId, statement: DisputeMessage["statement"], b: Out<R>): undefined {
    const ack = sign<DisputeAck>(this.keys.provider, this.keys.secretKey, { type: "disputeAck", kind: statement.type, signer: statement.replica, at: disputedAt(statement), replica: this.id });
    b.send({ from: this.id, to, message: ack });
    return undefined;
  }

  /**
   * Forwarded evidence: believed only when it proves itself (both statements signed by the culprit,
   * contradicting), then acknowledged to the forwarder (which stops sending it here) — at once,
   * unchecked, when the culprit is proven faulty here already.
   */
  private onEvidence(from: NodeId, message: EvidenceMessage, b: Out<R>): RejectReason | undefined {
    const culprit = message.first.replica;
    if (!this.proven.has(culprit)) {
      const evidence: MisbehaviourEvidence = { first: message.first, second: message.second };
      if (!evidenceIsValid(this.keys, this.members, evidence)) return "invalid-evidence";
      this.convict(evidence, b);
    }
    const ack = sign<DisputeAck>(this.keys.provider, this.keys.secretKey, { type: "disputeAck", kind: "evidence", signer: culprit, at: 0, replica: this.id });
    b.send({ from: this.id, to: from, message: ack });
    return undefined;
  }

  /**
   * `evidence` proves its culprit faulty: kept durably, reported, forwarded to every other replica
   * but the culprit until each acknowledges it (each correct replica forwards it on first sight, and
   * sends it again each retransmission period: a partition that cuts every copy does not keep it
   * from the replicas beyond), and the culprit's views as primary are skipped from now on.
   */
  private convict(evidence: MisbehaviourEvidence, b: Out<R>): void {
    const culprit = evidence.first.replica;
    if (culprit === this.id || this.proven.has(culprit)) return;
    this.proven.set(culprit, evidence);
    this.metrics.provenFaulty++;
    b.persist({ type: "evidence", evidence });
    b.output({ type: "misbehaviour", culprit, evidence });
    const message = this.forwardEvidence(evidence);
    for (const to of this.members) if (to !== this.id && to !== culprit) b.send({ from: this.id, to, message });
    if (!this.installingNewView) this.skipProvenPrimary(b); // else once the new view is installed (onNewView)
  }

  /** @returns the signed evidence message, kept in the outbox for every other replica but the culprit */
  private forwardEvidence(evidence: MisbehaviourEvidence): EvidenceMessage {
    const culprit = evidence.first.replica;
    const message = sign<EvidenceMessage>(this.keys.provider, this.keys.secretKey, { type: "evidence", ...evidence, replica: this.id });
    this.evidenceOutbox.add(culprit, message, this.members.filter((m) => m !== this.id && m !== culprit));
    return message;
  }

  /**
   * A proven-faulty primary is not waited for: the replica moves on to the next view whose primary
   * is not proven faulty. Safe as any view change is; the others follow on f+1 view-changes, or on
   * the evidence this replica forwarded.
   */
  private skipProvenPrimary(b: Out<R>): void {
    if (this.proven.has(primaryOf(this.members, this.viewNo))) this.startViewChange(this.viewNo + 1, b);
  }

  /** The first view from `view` on whose primary is not proven faulty (at most f are: never more than n views on). */
  private nextViewWithUnprovenPrimary(view: number): number {
    let next = view;
    while (this.proven.has(primaryOf(this.members, next)) && next < view + this.members.length) next++;
    return next;
  }

  // ---------------------------------------------------------------- slow primaries (Aardvark)

  /**
   * As an active backup, once per tick: is the oldest request still waiting for its pre-prepare
   * overdue (`ordering-pace.ts`)? Then it goes to the primary once more; overdue a second time, the
   * primary is too slow and this replica moves to the next view.
   */
  private checkOrderingPace(b: Out<R>): void {
    if (!this.config.replaceSlowPrimary || this.primary === this.id) return;
    for (const [client, waiting] of this.waiting) {
      const request = this.pending.get(client);
      if (request === undefined) {
        this.waiting.delete(client);
        continue;
      }
      if (this.assigned.has(requestKey(request))) continue;
      const verdict = this.pace.verdict(waiting);
      if (verdict === "on-time") return; // the rest arrived later
      if (verdict === "forward") {
        this.waiting.delete(client);
        this.waiting.set(client, this.pace.startWaiting(true));
        b.send({ from: this.id, to: this.primary, message: { type: "request", request } });
        continue;
      }
      this.metrics.slowPrimaryViewChanges++;
      this.pace.replaced();
      b.output({ type: "slowPrimary", view: this.viewNo, primary: this.primary, expectedTicks: this.pace.expectedTicks() });
      this.startViewChange(this.viewNo + 1, b);
      return;
    }
  }

  /** Whether the primary could not order now, as far as this replica sees (its window or in-flight bound full, or this replica behind). */
  private primaryBlocked(): boolean {
    return (
      this.stateTarget !== undefined ||
      this.highestPrePrepared - this.executed >= this.config.maxInFlight ||
      this.highestPrePrepared >= this.low + this.config.windowSize
    );
  }

  /** As primary: a backup forwarded a request it has waited for; if it was ordered in this view (executed or not), the backup missed the pre-prepare. */
  private resendPrePrepareFor(backup: NodeId, request: Request, b: Out<R>): void {
    if (!this.active || this.primary !== this.id) return;
    for (const slot of this.log.values()) {
      const pp = slot.prePrepare;
      if (slot.view !== this.viewNo || pp === undefined || pp.replica !== this.id) continue;
      if (pp.requests.some((r) => r.client === request.client && r.timestamp === request.timestamp)) {
        b.send({ from: this.id, to: backup, message: pp });
        return;
      }
    }
  }

  /** `macs` mode: remember that this replica pre-prepared `pp` (its digest at its sequence number, in its view). */
  private notePrePrepared(pp: PrePreparedClaim): void {
    if (this.config.authentication !== "macs") return;
    const held = this.prePrepared.get(pp.seq) ?? [];
    const same = held.find((e) => equalBytes(e.digest, pp.digest));
    if (same !== undefined) same.view = Math.max(same.view, pp.view);
    else held.push({ view: pp.view, digest: pp.digest });
    held.sort((x, y) => y.view - x.view);
    if (held.length > MAX_PRE_PREPARED_PER_SEQ) held.length = MAX_PRE_PREPARED_PER_SEQ; // the oldest views' are forgotten: fewer claims, never false ones
    this.prePrepared.set(pp.seq, held);
  }

  /** `macs` mode: the pre-prepared claims of a view-change (the paper's Q set), above the stable checkpoint; every prepared batch among them. */
  private prePreparedClaims(): PrePreparedClaim[] {
    for (const cert of this.preparedCerts.values()) this.notePrePrepared(cert.prePrepare);
    const claims: PrePreparedClaim[] = [];
    for (const [seq, held] of [...this.prePrepared].sort((x, y) => x[0] - y[0])) {
      if (seq <= this.low || seq > this.low + this.config.windowSize) continue;
      for (const { view, digest } of held) claims.push({ view, seq, digest });
    }
    return claims;
  }

  // ---------------------------------------------------------------- durability and recovery

  /** The records that rebuild this replica's durable state now (a compaction), or undefined when its stable checkpoint's state is not here. */
  private durableState(): PbftRecord[] | undefined {
    const records: PbftRecord[] = [];
    if (this.low > 0) {
      const snapshot = this.snapshots.get(this.low);
      if (snapshot === undefined) return undefined;
      const certificate = this.stableCertificate;
      const proven = certificate !== undefined ? { certificate } : {};
      records.push({ type: "checkpoint", seq: this.low, proof: this.stableProof, ...proven, state: snapshot.state });
    }
    if (this.active) records.push({ type: "newView", view: this.viewNo, newView: this.currentNewView });
    else if (this.ownViewChange !== undefined && this.ownViewChange.view === this.viewNo) records.push({ type: "viewChange", viewChange: this.ownViewChange });
    else return undefined;
    // `macs` mode: the Q set, earlier views' pre-prepares included (their `prePrepare` records go).
    const claims = this.prePreparedClaims();
    if (claims.length > 0) records.push({ type: "prePrepared", claims });
    for (const [seq, slot] of this.log) {
      if (seq > this.low && slot.view === this.viewNo && slot.prePrepare !== undefined) records.push({ type: "prePrepare", prePrepare: slot.prePrepare });
    }
    for (const certificate of this.preparedCerts.values()) records.push({ type: "prepared", certificate });
    for (const prePrepare of this.committedBatches.values()) records.push({ type: "committed", prePrepare });
    for (const evidence of this.proven.values()) records.push({ type: "evidence", evidence });
    for (const statement of this.disputes.statements()) if (statement.type === "checkpoint") records.push({ type: "dispute", statement });
    return records;
  }

  /**
   * Rebuild from durable state: the stable checkpoint's state, the batches committed after it
   * (executed again, silently: their replies were sent in the previous life and are kept in the
   * last-reply table), the view, the own view-change, and the slots of the current view with this
   * replica's prepare and commit as they were. Messages of others are re-sent to it by their
   * retransmissions, or it catches up by state transfer.
   */
  private recover(d: DurableReplica): void {
    const scratch: Out<R> = new StepBuilder();
    if (d.checkpoint !== undefined) {
      const decoded = stateCodec.decode(d.checkpoint.state);
      if (!decoded.ok) {
        this.haltReason = `its durable checkpoint at ${d.checkpoint.seq} does not decode`;
        return;
      }
      this.installState(decoded.value);
      this.low = this.executed = this.nextSeq = d.checkpoint.seq;
      this.statements.forgetThrough(this.low);
      this.stableProof = d.checkpoint.proof;
      this.stableCertificate = d.checkpoint.certificate;
      const digest = this.keys.provider.sha256(d.checkpoint.state);
      this.snapshots.set(this.low, { state: d.checkpoint.state, digest });
      // `threshold` mode keeps no checkpoint messages: this replica's own is signed again (the same bytes).
      this.ownCheckpoint = this.threshold !== undefined ? this.signCheckpoint(this.low, digest) : d.checkpoint.proof.find((c) => c.replica === this.id);
    }
    for (let pp = d.committed.get(this.executed + 1); pp !== undefined; pp = d.committed.get(this.executed + 1)) this.executeBatch(pp, scratch);
    this.viewNo = d.view;
    this.active = d.active;
    if (d.active) this.currentNewView = d.newView;
    if (!d.active && d.viewChange !== undefined) {
      this.ownViewChange = d.viewChange;
      this.latestViewChange.set(this.id, d.viewChange);
    }
    for (const [seq, cert] of d.prepared) this.preparedCerts.set(seq, cert);
    // The evidence is forwarded again to every peer from the next retransmission period on (a peer
    // that holds it already acknowledges at once).
    for (const evidence of d.evidence) {
      this.proven.set(evidence.first.replica, evidence);
      this.forwardEvidence(evidence);
    }
    // Checkpoint disputes not yet acknowledged by every peer: noted again, and forwarded again to every
    // peer from the next retransmission period on.
    for (const cp of d.disputes) {
      if (cp.seq < this.low || this.proven.has(cp.replica)) continue;
      this.statements.noteCheckpoint(cp, true); // forwarded from the outbox below, not taken again
      const peers = this.members.filter((m) => m !== this.id && m !== cp.replica);
      this.disputes.add(sign<DisputeMessage>(this.keys.provider, this.keys.secretKey, { type: "dispute", statement: cp, replica: this.id }), peers);
    }
    for (const claim of d.prePreparedClaims) this.notePrePrepared(claim); // earlier views' too: the next view-change still claims them
    for (const [seq, pp] of [...d.prePrepares].sort((x, y) => x[0] - y[0])) this.restoreSlot(seq, pp);
  }

  /** A slot of the current view as it was before the crash: the pre-prepare, this replica's own prepare and (when it prepared) commit. */
  private restoreSlot(seq: number, pp: PrePrepare): void {
    const slot = new Slot(this.viewNo);
    slot.prePrepare = pp;
    this.log.set(seq, slot);
    if (seq > this.nextSeq) this.nextSeq = seq;
    for (const r of pp.requests) this.assigned.add(requestKey(r));
    if (pp.replica !== this.id) {
      slot.ownPrepare = this.withShare(this.auth.seal<Prepare>({ type: "prepare", view: pp.view, seq, digest: pp.digest, replica: this.id }));
      slot.prepares.set(this.id, slot.ownPrepare);
    }
    const cert = this.preparedCerts.get(seq);
    if (cert === undefined || cert.prePrepare.view !== this.viewNo || !equalBytes(cert.prePrepare.digest, pp.digest)) return;
    slot.prepared = true;
    slot.ownCommit = this.auth.seal<Commit>({ type: "commit", view: pp.view, seq, digest: pp.digest, replica: this.id });
    slot.commits.set(this.id, slot.ownCommit);
    slot.committed = seq <= this.executed;
  }

  // ---------------------------------------------------------------- retransmission

  /**
   * Lost messages are re-sent: own agreement messages of the current view, the view-change, the last
   * checkpoint, state fetches, disputes and evidence not yet acknowledged, and proxied requests.
   */
  private retransmit(b: Out<R>): void {
    if (this.active) {
      for (const slot of this.log.values()) {
        if (slot.view !== this.viewNo) continue;
        if (slot.prePrepare !== undefined && slot.prePrepare.replica === this.id) this.broadcast(slot.prePrepare, b);
        if (slot.ownPrepare !== undefined) this.broadcast(slot.ownPrepare, b);
        if (slot.ownCommit !== undefined) this.broadcast(slot.ownCommit, b);
      }
    } else if (this.ownViewChange !== undefined && this.ownViewChange.view === this.viewNo) {
      this.broadcast(this.ownViewChange, b);
    }
    if (this.ownCheckpoint !== undefined) this.broadcast(this.ownCheckpoint, b);
    this.requestState(b);
    for (const { message, to } of this.disputes.due(this.low, this.viewNo, (id) => this.proven.has(id))) {
      this.metrics.disputesResent += to.length;
      for (const peer of to) b.send({ from: this.id, to: peer, message });
    }
    for (const { message, to } of this.evidenceOutbox.due()) for (const peer of to) b.send({ from: this.id, to: peer, message });
    for (const entry of [...this.proxied.values()]) {
      if (!entry.readOnly) this.broadcast({ type: "request", request: entry.request }, b);
      else if (++entry.rounds >= 2) this.orderRead(entry, b); // a full retransmission period without 2f+1 matching replies
    }
  }

  private broadcast(message: PbftMessage, b: Out<R>): void {
    for (const member of this.members) if (member !== this.id) b.send({ from: this.id, to: member, message });
  }
}

/**
 * `threshold` mode: the replica's threshold keys, checked against the cluster — a group of n shares
 * whose threshold is the quorum size q (a group signature must prove that a quorum signed), and this
 * replica's share at its position + 1.
 * @throws {SynodError} `usage` when they are missing or do not fit
 */
function checkThresholdKeys(keys: PbftKeys, id: NodeId, members: readonly NodeId[], quorumSize: number): PbftThresholdKeys {
  const threshold = keys.threshold;
  if (threshold === undefined) throw new SynodError("usage", "pbft certificates: \"threshold\" needs PbftKeys.threshold (the group and this replica's share)");
  const { scheme, share } = threshold;
  if (scheme.size !== members.length || scheme.threshold !== quorumSize) {
    const want = `${quorumSize}-of-${members.length} (the quorum of n)`;
    throw new SynodError("usage", `pbft threshold group must be ${want}, got ${scheme.threshold}-of-${scheme.size}`);
  }
  const index = members.indexOf(id) + 1;
  if (share.index !== index) throw new SynodError("usage", `pbft threshold share of ${id} must have index ${index} (its position + 1), got ${share.index}`);
  return threshold;
}

function requestKey(request: Request): string {
  return `${request.client}:${request.timestamp}`;
}

/** A pre-prepare without its share: what a threshold prepared certificate carries (the signature does not cover the share). */
function withoutShare(pp: PrePrepare): PrePrepare {
  if (pp.share === undefined) return pp;
  const { share: _share, ...rest } = pp;
  return rest;
}
