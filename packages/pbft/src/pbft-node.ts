import { createCodec, s, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { byzantine, type ByzantineQuorumSystem } from "@synod/quorum";
import { equalBytes } from "@synod/security";
import { checkpointProofDigest, planNewView, primaryOf, viewChangeIsValid, batchIsValid, type CertificateContext } from "./certificates.js";
import { resolvePbftConfig, type PbftConfig } from "./config.js";
import type { PbftInput, PbftOutput } from "./io.js";
import type { PbftKeys } from "./keys.js";
import { pbftMessageCodec } from "./messages.js";
import type { Checkpoint, Commit, FetchState, NewView, PbftMessage, PrePrepare, Prepare, PreparedCertificate, Reply, Request, StateTransfer, ViewChange } from "./messages.js";
import { PbftMetrics, type RejectReason } from "./metrics.js";
import type { PbftService } from "./service.js";
import { batchDigest, sign, verifyRequest, verifySigned, type Unsigned } from "./signing.js";

/** PBFT keeps no durable records in this version (see the README: crash recovery is not implemented). */
export type PbftRecord = never;

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
}

const stateCodec = createCodec(
  s.object({ service: s.bytes({ maxLength: 1 << 22 }), clients: s.array(s.tuple([s.uint(), s.uint(), s.bytes({ maxLength: 1 << 16 })]), { maxLength: MAX_CLIENT_TABLE }) }),
  { maxBytes: 1 << 23 },
);

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

  private viewNo = 0;
  private active = true;
  private low = 0;
  private executed = 0;
  private nextSeq = 0;
  private readonly log = new Map<number, Slot>();
  private readonly preparedCerts = new Map<number, PreparedCertificate>();
  private readonly clients = new Map<number, ClientRecord>();
  private readonly pending = new Map<number, Request>();
  private readonly assigned = new Set<string>();
  /** By client: the latest request this replica proxies for it (one per client bounds the table by the clients served). */
  private readonly proxied = new Map<number, ProxiedRequest>();
  private stableProof: readonly Checkpoint[] = [];
  private readonly snapshots = new Map<number, { state: Uint8Array; digest: Uint8Array }>();
  private readonly checkpointsByPeer = new Map<NodeId, Checkpoint[]>();
  private ownCheckpoint: Checkpoint | undefined;
  private stateTarget: { seq: number; digest: Uint8Array; from: readonly NodeId[] } | undefined;
  private readonly latestViewChange = new Map<NodeId, ViewChange>();
  private ownViewChange: ViewChange | undefined;
  private currentNewView: NewView | undefined;
  private timerTicks = 0;
  private failedViewChanges = 0;
  private retransmitTicks = 0;

  constructor(options: PbftNodeOptions<R>) {
    this.id = options.ctx.id;
    this.members = options.ctx.members;
    this.config = resolvePbftConfig(options.config);
    this.quorum = byzantine(this.members);
    this.f = this.quorum.f;
    this.keys = options.keys;
    this.service = options.service;
    this.certs = { keys: this.keys, members: this.members, f: this.f, windowSize: this.config.windowSize };
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

  // ---------------------------------------------------------------- inputs

  tick(): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const b: Out<R> = new StepBuilder();
    const waiting = !this.active || this.hasUnexecutedRequest();
    if (waiting) {
      this.timerTicks++;
      const timeout = this.config.viewChangeTimeoutTicks * 2 ** Math.min(this.failedViewChanges, MAX_TIMEOUT_DOUBLINGS);
      if (this.timerTicks >= timeout) this.startViewChange(this.viewNo + 1, b);
    } else {
      this.timerTicks = 0;
    }
    if (++this.retransmitTicks >= this.config.retransmitTicks) {
      this.retransmitTicks = 0;
      this.retransmit(b);
    }
    return b.finish();
  }

  request(input: PbftInput): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const b: Out<R> = new StepBuilder();
    const request: Request = { ...input.request, proxy: this.id };
    if (!verifyRequest(this.keys.provider, this.keys.clientKey(request.client), request)) {
      this.metrics.reject("bad-signature", this.id);
      return b.finish();
    }
    const held = this.proxied.get(request.client);
    if (held === undefined || held.request.timestamp < request.timestamp) this.proxied.set(request.client, { tag: input.tag, request, replies: new Map() });
    this.broadcast({ type: "request", request }, b);
    this.onRequest(request, b);
    return b.finish();
  }

  /** Handle the bytes of a message from `from`: decoded by pbftMessageCodec, else counted as malformed (per peer) and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const decoded = pbftMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.metrics.reject("malformed", from);
    return new StepBuilder<PbftMessage, PbftOutput<R>, PbftRecord>().finish();
  }

  receive(from: NodeId, message: PbftMessage): Step<PbftMessage, PbftOutput<R>, PbftRecord> {
    const b: Out<R> = new StepBuilder();
    if (from === this.id || !this.members.includes(from)) {
      this.metrics.reject("unknown-sender", from);
      return b.finish();
    }
    let reason: RejectReason | undefined;
    try {
      reason = this.dispatch(from, message, b);
    } catch {
      // Validated messages never throw; a throw means bytes the schema let through but the logic could not use.
      reason = "malformed";
    }
    if (reason !== undefined) this.metrics.reject(reason, from);
    return b.finish();
  }

  private dispatch(from: NodeId, message: PbftMessage, b: Out<R>): RejectReason | undefined {
    if (typeof message !== "object" || message === null) return "malformed";
    if (message.type === "request") {
      const request = message.request;
      if (!verifyRequest(this.keys.provider, this.keys.clientKey(request.client), request)) return "bad-signature";
      if (!this.members.includes(request.proxy)) return "malformed";
      return this.onRequest(request, b);
    }
    if (message.replica !== from) return "unknown-sender";
    if (!verifySigned(this.keys.provider, this.keys.replicaKey(from), message)) return "bad-signature";
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
      case "fetchState":
        return this.onFetchState(from, message, b);
      case "state":
        return this.onState(message, b);
      default:
        return "malformed";
    }
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
    if (this.active && this.primary === this.id) this.propose(b);
    return undefined;
  }

  /** As primary: assign sequence numbers to waiting requests, in batches, within the window and the in-flight bound. */
  private propose(b: Out<R>): void {
    let batch: Request[] = [];
    const flush = (): boolean => {
      const seq = this.nextSeq + 1;
      if (seq > this.low + this.config.windowSize || seq - this.executed > this.config.maxInFlight) return false;
      this.nextSeq = seq;
      const requests = batch;
      batch = [];
      const pp = sign<PrePrepare>(this.keys.provider, this.keys.secretKey, {
        type: "prePrepare",
        view: this.viewNo,
        seq,
        digest: batchDigest(this.keys.provider, requests),
        requests,
        replica: this.id,
      });
      for (const r of requests) this.assigned.add(requestKey(r));
      const slot = new Slot(this.viewNo);
      slot.prePrepare = pp;
      this.log.set(seq, slot);
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
      return "conflict";
    }
    if (!batchIsValid(this.certs, pp.requests, pp.digest)) return "bad-digest";
    this.acceptPrePrepare(pp, slot, b);
    return undefined;
  }

  private acceptPrePrepare(pp: PrePrepare, slot: Slot, b: Out<R>): void {
    slot.prePrepare = pp;
    for (const r of pp.requests) this.assigned.add(requestKey(r));
    b.output({ type: "prePrepared", view: pp.view, seq: pp.seq, digest: pp.digest });
    if (this.id !== pp.replica) {
      const prepare = sign<Prepare>(this.keys.provider, this.keys.secretKey, { type: "prepare", view: pp.view, seq: pp.seq, digest: pp.digest, replica: this.id });
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
    const slot = this.slotFor(p.seq);
    if (slot.prepares.has(from)) return undefined;
    slot.prepares.set(from, p);
    this.checkPrepared(p.seq, slot, b);
    return undefined;
  }

  private onCommit(from: NodeId, c: Commit, b: Out<R>): RejectReason | undefined {
    if (c.view !== this.viewNo || !this.active) return c.view < this.viewNo ? "stale" : "wrong-view";
    if (!this.inWindow(c.seq)) return c.seq <= this.low ? "stale" : "out-of-window";
    const slot = this.slotFor(c.seq);
    if (slot.commits.has(from)) return undefined;
    slot.commits.set(from, c);
    this.checkCommitted(slot, b);
    return undefined;
  }

  /** prepared(m, v, n): the pre-prepare and 2f matching prepares from distinct backups. */
  private checkPrepared(seq: number, slot: Slot, b: Out<R>): void {
    const pp = slot.prePrepare;
    if (slot.prepared || pp === undefined) return;
    const matching: Prepare[] = [];
    for (const p of slot.prepares.values()) if (equalBytes(p.digest, pp.digest)) matching.push(p);
    if (matching.length < 2 * this.f) return;
    slot.prepared = true;
    this.preparedCerts.set(seq, { prePrepare: pp, prepares: matching.slice(0, 2 * this.f) });
    const commit = sign<Commit>(this.keys.provider, this.keys.secretKey, { type: "commit", view: pp.view, seq, digest: pp.digest, replica: this.id });
    slot.ownCommit = commit;
    slot.commits.set(this.id, commit);
    this.broadcast(commit, b);
    this.checkCommitted(slot, b);
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
      b.output({ type: "committed", view: pp.view, seq, digest: pp.digest, requests: pp.requests.length });
      for (const request of pp.requests) this.executeRequest(seq, request, b);
      this.executed = seq;
      this.metrics.executedBatches++;
      this.timerTicks = 0;
      this.failedViewChanges = 0;
      if (seq % this.config.checkpointInterval === 0) this.takeCheckpoint(seq, b);
    }
    if (this.executed > before && this.active && this.primary === this.id) this.propose(b); // in-flight room freed
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
    if (held !== undefined && held.timestamp <= request.timestamp) this.pending.delete(request.client);
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
    const reply = sign<Reply>(this.keys.provider, this.keys.secretKey, { type: "reply", view: this.viewNo, client, timestamp, result, replica: this.id });
    b.send({ from: this.id, to: proxy, message: reply });
  }

  private onReply(from: NodeId, reply: Reply, b: Out<R>): RejectReason | undefined {
    this.collectReply(from, reply.client, reply.timestamp, reply.result, b);
    return undefined;
  }

  /** As proxy: the client accepts a result once f+1 replicas sent it (at least one of them is honest). */
  private collectReply(from: NodeId, client: number, timestamp: number, result: Uint8Array, b: Out<R>): void {
    const entry = this.proxied.get(client);
    if (entry === undefined || entry.request.timestamp !== timestamp || entry.replies.has(from)) return;
    entry.replies.set(from, result);
    let matching = 0;
    for (const r of entry.replies.values()) if (equalBytes(r, result)) matching++;
    if (matching < this.quorum.weakQuorumSize) return;
    const decoded = this.service.decodeResult(result);
    if (decoded === undefined) return;
    this.proxied.delete(client);
    b.output({ type: "reply", tag: entry.tag, client, timestamp, result: decoded });
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
    const cp = sign<Checkpoint>(this.keys.provider, this.keys.secretKey, { type: "checkpoint", seq, stateDigest: digest, replica: this.id });
    this.ownCheckpoint = cp;
    this.broadcast(cp, b);
    this.addCheckpoint(cp, b);
  }

  private onCheckpoint(cp: Checkpoint, b: Out<R>): RejectReason | undefined {
    if (cp.seq <= this.low) return undefined; // already stable here: nothing to learn
    if (cp.seq % this.config.checkpointInterval !== 0) return "malformed";
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
    this.stabilize(cp.seq, cp.stateDigest, proof, b);
    if (this.active && this.primary === this.id) this.propose(b); // the window moved
  }

  /** A checkpoint proven by 2f+1 replicas becomes the low watermark; everything below it is collected. */
  private stabilize(seq: number, digest: Uint8Array, proof: readonly Checkpoint[], b: Out<R>): void {
    if (seq <= this.low) return;
    this.low = seq;
    this.stableProof = proof;
    this.metrics.stableCheckpoints++;
    for (const key of [...this.log.keys()]) if (key <= seq) this.log.delete(key);
    for (const key of [...this.preparedCerts.keys()]) if (key <= seq) this.preparedCerts.delete(key);
    for (const key of [...this.snapshots.keys()]) if (key < seq) this.snapshots.delete(key);
    for (const [peer, held] of this.checkpointsByPeer) {
      const above = held.filter((c) => c.seq > seq);
      if (above.length > 0) this.checkpointsByPeer.set(peer, above);
      else this.checkpointsByPeer.delete(peer);
    }
    if (this.nextSeq < seq) this.nextSeq = seq;
    const own = this.snapshots.get(seq);
    if (this.executed >= seq && own !== undefined && equalBytes(own.digest, digest)) return;
    if (this.executed >= seq) return; // executed past it without a snapshot there (restored from a later one)
    this.stateTarget = { seq, digest, from: proof.map((c) => c.replica).filter((r) => r !== this.id) };
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

  /** A peer's state is installed only when it hashes to the digest 2f+1 replicas signed for that checkpoint. */
  private onState(message: StateTransfer, b: Out<R>): RejectReason | undefined {
    const target = this.stateTarget;
    if (target === undefined || message.seq !== target.seq) return undefined;
    const digest = this.keys.provider.sha256(message.state);
    if (!equalBytes(digest, target.digest)) return "bad-digest";
    const decoded = stateCodec.decode(message.state);
    if (!decoded.ok) return "malformed";
    this.service.restore(decoded.value.service);
    this.clients.clear();
    for (const [client, timestamp, result] of decoded.value.clients) this.clients.set(client, { timestamp, result });
    for (const [client, request] of [...this.pending]) {
      const last = this.clients.get(client);
      if (last !== undefined && request.timestamp <= last.timestamp) this.pending.delete(client);
    }
    this.snapshots.set(target.seq, { state: message.state, digest });
    this.executed = target.seq;
    this.stateTarget = undefined;
    this.metrics.stateTransfers++;
    b.output({ type: "stateTransferred", seq: target.seq });
    this.executeReady(b);
    return undefined;
  }

  // ---------------------------------------------------------------- view changes

  private startViewChange(view: number, b: Out<R>): void {
    if (view <= this.viewNo) return;
    this.viewNo = view;
    this.active = false;
    this.timerTicks = 0;
    this.failedViewChanges++;
    this.metrics.viewChanges++;
    this.log.clear();
    this.assigned.clear();
    const prepared: PreparedCertificate[] = [];
    for (const [seq, cert] of [...this.preparedCerts].sort((x, y) => x[0] - y[0])) if (seq > this.low) prepared.push(cert);
    const vc = sign<ViewChange>(this.keys.provider, this.keys.secretKey, {
      type: "viewChange",
      view,
      stableSeq: this.low,
      checkpointProof: this.low === 0 ? [] : this.stableProof,
      prepared,
      replica: this.id,
    });
    this.ownViewChange = vc;
    this.latestViewChange.set(this.id, vc);
    this.broadcast(vc, b);
    this.tryNewView(b);
  }

  private onViewChange(from: NodeId, vc: ViewChange, b: Out<R>): RejectReason | undefined {
    if (vc.view < this.viewNo || (vc.view === this.viewNo && this.active)) {
      // A replica still trying to leave a view we already left: show it the new view.
      if (this.active && this.currentNewView !== undefined) b.send({ from: this.id, to: from, message: this.currentNewView });
      return undefined;
    }
    const held = this.latestViewChange.get(from);
    if (held !== undefined && held.view >= vc.view) return undefined;
    if (!viewChangeIsValid(this.certs, vc)) return "invalid-certificate";
    this.latestViewChange.set(from, vc);
    // f+1 replicas want a later view: at least one is honest, so join the smallest of those views.
    const later = [...this.latestViewChange.values()].filter((v) => v.view > this.viewNo && v.replica !== this.id);
    if (later.length >= this.quorum.weakQuorumSize) this.startViewChange(Math.min(...later.map((v) => v.view)), b);
    this.tryNewView(b);
    return undefined;
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
    const chosen = vcs.slice(0, this.quorum.quorumSize);
    const plan = planNewView(this.certs, this.viewNo, chosen);
    const prePrepares = plan.prePrepares.map((pp) => sign<PrePrepare>(this.keys.provider, this.keys.secretKey, pp));
    const nv = sign<NewView>(this.keys.provider, this.keys.secretKey, { type: "newView", view: this.viewNo, viewChanges: chosen, prePrepares, replica: this.id });
    this.broadcast(nv, b);
    this.installNewView(nv, plan.stableSeq, plan.stableProof, b);
  }

  private onNewView(from: NodeId, nv: NewView, b: Out<R>): RejectReason | undefined {
    if (nv.view < this.viewNo || (nv.view === this.viewNo && this.active)) return undefined;
    if (from !== primaryOf(this.members, nv.view)) return "not-primary";
    const seen = new Set<NodeId>();
    for (const vc of nv.viewChanges) {
      if (vc.view !== nv.view || seen.has(vc.replica) || !viewChangeIsValid(this.certs, vc)) return "invalid-certificate";
      seen.add(vc.replica);
    }
    if (seen.size < this.quorum.quorumSize) return "invalid-certificate";
    const plan = planNewView(this.certs, nv.view, nv.viewChanges);
    if (plan.prePrepares.length !== nv.prePrepares.length) return "invalid-certificate";
    for (let i = 0; i < plan.prePrepares.length; i++) {
      const want = plan.prePrepares[i] as Unsigned<PrePrepare>;
      const got = nv.prePrepares[i] as PrePrepare;
      if (got.type !== "prePrepare" || got.view !== nv.view || got.seq !== want.seq || got.replica !== from || !equalBytes(got.digest, want.digest)) return "invalid-certificate";
      if (!verifySigned(this.keys.provider, this.keys.replicaKey(from), got) || !batchIsValid(this.certs, got.requests, got.digest)) return "invalid-certificate";
    }
    if (nv.view > this.viewNo) {
      this.viewNo = nv.view;
      this.log.clear();
      this.assigned.clear();
    }
    this.installNewView(nv, plan.stableSeq, plan.stableProof, b);
    return undefined;
  }

  private installNewView(nv: NewView, stableSeq: number, stableProof: readonly Checkpoint[], b: Out<R>): void {
    this.active = true;
    this.timerTicks = 0;
    this.currentNewView = nv;
    this.metrics.newViews++;
    if (stableSeq > this.low) {
      const digest = checkpointProofDigest(this.certs, stableSeq, stableProof);
      if (digest instanceof Uint8Array) this.stabilize(stableSeq, digest, stableProof, b);
    }
    this.log.clear();
    this.assigned.clear();
    let maxSeq = this.low;
    b.output({ type: "viewChanged", view: nv.view });
    for (const pp of nv.prePrepares) {
      if (pp.seq > maxSeq) maxSeq = pp.seq;
      if (pp.seq <= this.low) continue;
      this.acceptPrePrepare(pp, this.slotFor(pp.seq), b);
    }
    this.nextSeq = maxSeq;
    if (this.primary === this.id) this.propose(b);
  }

  // ---------------------------------------------------------------- retransmission

  /** Lost messages are re-sent: own agreement messages of the current view, the view-change, the last checkpoint, state fetches and proxied requests. */
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
    for (const entry of this.proxied.values()) this.broadcast({ type: "request", request: entry.request }, b);
  }

  private broadcast(message: PbftMessage, b: Out<R>): void {
    for (const member of this.members) if (member !== this.id) b.send({ from: this.id, to: member, message });
  }
}

function requestKey(request: Request): string {
  return `${request.client}:${request.timestamp}`;
}
