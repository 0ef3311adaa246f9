import { requireNodeContext,
  ConfigError,
  createCodec,
  StepBuilder,
  SynodError,
  s,
  type NodeContext,
  type Codec,
  type NodeId,
  type ProtocolNode,
  type Schema,
  type Step,
} from "@synod/core";
import type { CausalContextWire } from "./causal-context.js";
import type { Dot } from "./dot.js";
import { VersionVector } from "./version-vector.js";
import { causalContextSchema } from "./causal-crdt.js";
import { DeltaGroupJoin } from "./delta-group-join.js";
import { deltaGroupSchema, ReplicaDocument, type DeltaGroup, type DocumentOp } from "./replica-document.js";
import { MAX_CHECKPOINT_LOCAL_OPS, MAX_DOCUMENT_ELEMENT_LENGTH, MAX_DOCUMENT_INSERT_LENGTH, MAX_DOCUMENT_OP_AMOUNT, MAX_READ_ONLY_REASON_LENGTH } from "./limits.js";

/** Tuning of a {@link CrdtReplicaNode}. */
export interface CrdtReplicaConfig {
  /**
   * Ticks between two anti-entropy rounds (each round sends every peer the delta-interval it has
   * not acknowledged). Shorter: faster convergence, more messages.
   */
  readonly syncIntervalTicks: number;
  /**
   * Most delta groups kept for peers that have not acknowledged them. Beyond it the oldest are
   * dropped and a peer that still needed them gets the full state instead (bounded memory after a
   * long partition, at the price of one larger message).
   */
  readonly maxBufferedDeltas: number;
  /** A delta-interval longer than this many groups is replaced by the full state (bounds message work). */
  readonly maxIntervalDeltas: number;
  /** Durable delta records written before the log is compacted into one checkpoint. */
  readonly checkpointEveryRecords: number;
}

/** Defaults of {@link CrdtReplicaConfig}. */
export const DEFAULT_CRDT_REPLICA_CONFIG: CrdtReplicaConfig = Object.freeze({
  syncIntervalTicks: 5,
  maxBufferedDeltas: 256,
  maxIntervalDeltas: 128,
  checkpointEveryRecords: 64,
});

/**
 * Messages of delta anti-entropy (Almeida et al., Algorithm 2):
 * - `delta`: the join of the sender's deltas `[ackedSeq, seq)` (or its full state when `full`);
 * - `ack`: the receiver has merged (and persisted) everything up to `seq` of the sender's `session`;
 *   `seen` is the receiver's version vector of delivered updates (for causal stability);
 * - `nack`: the receiver could not merge a delta-interval (not causally ready): send the full state.
 */
export type CrdtMessage =
  | { readonly kind: "delta"; readonly session: number; readonly seq: number; readonly full: boolean; readonly group: DeltaGroup }
  | { readonly kind: "ack"; readonly session: number; readonly seq: number; readonly seen?: [NodeId, number][] }
  | { readonly kind: "nack" };

/** Schema of {@link CrdtMessage}. */
export const crdtMessageSchema: Schema<CrdtMessage> = s.variant("kind", {
  delta: { session: s.uint(), seq: s.uint(), full: s.boolean(), group: deltaGroupSchema },
  ack: { session: s.uint(), seq: s.uint(), seen: s.optional(s.array(s.tuple([s.nodeId(), s.uint()] as const), { maxLength: 10_000 })) },
  nack: {},
});

/** @returns whether the entries' replicas strictly increase (each replica once) */
function sortedByReplica(entries: readonly (readonly [NodeId, number])[]): boolean {
  for (let i = 1; i < entries.length; i++) if (!((entries[i - 1] as readonly [NodeId, number])[0] < (entries[i] as readonly [NodeId, number])[0])) return false;
  return true;
}

/** A local operation requested by a client, with the driver's invocation id. */
export interface CrdtRequest {
  readonly invocation: number;
  readonly op: DocumentOp;
}

/**
 * What the application sees: an applied local operation (with the dot that names the update, null
 * for a no-op, and the updates it had observed), a rejected one, or an alarm.
 */
export type CrdtOutput =
  | { readonly type: "applied"; readonly invocation: number; readonly op: DocumentOp; readonly dot: Dot | null; readonly past: CausalContextWire }
  | { readonly type: "rejected"; readonly invocation: number; readonly reason: string }
  | { readonly type: "alarm"; readonly reason: string };

/**
 * A local operation as recorded durably with its update: the op, its dot and the updates it had
 * observed. Kept so that a checker can learn an update whose output was lost in a crash right after
 * it was persisted ({@link CrdtReplicaNode.recoveredLocalOps}).
 */
export interface LocalOpRecord {
  readonly op: DocumentOp;
  readonly dot: [NodeId, number];
  readonly past: CausalContextWire;
}

/**
 * Durable records: a checkpoint of the whole document (with the local ops since the previous
 * checkpoint), or one merged delta group (with the local op that made it, if any).
 *
 * A checkpoint written by a read-only replica carries `readOnly` (the reason): the compaction
 * replaces the corrupted records that made it read-only, and its document only knows the replica's
 * own dots that peers gave back — not the ones it issued and lost. Without the mark, the next
 * restart would find a clean log and issue those dots again (two different updates, one dot).
 */
export type CrdtRecord =
  | { readonly kind: "checkpoint"; readonly group: DeltaGroup; readonly local: LocalOpRecord[]; readonly readOnly?: string }
  | { readonly kind: "delta"; readonly group: DeltaGroup; readonly local?: LocalOpRecord };

const documentOpSchema: Schema<DocumentOp> = s.variant("type", {
  increment: { amount: s.int({ min: -MAX_DOCUMENT_OP_AMOUNT, max: MAX_DOCUMENT_OP_AMOUNT }) },
  add: { element: s.string({ maxLength: MAX_DOCUMENT_ELEMENT_LENGTH }) },
  remove: { element: s.string({ maxLength: MAX_DOCUMENT_ELEMENT_LENGTH }) },
  assign: { value: s.string() },
  insert: { index: s.uint(), text: s.string({ minLength: 1, maxLength: MAX_DOCUMENT_INSERT_LENGTH }) },
  delete: { index: s.uint(), count: s.int({ min: 1, max: MAX_DOCUMENT_OP_AMOUNT }) },
});

const localOpSchema: Schema<LocalOpRecord> = s.object({
  op: documentOpSchema,
  dot: s.tuple([s.nodeId(), s.int({ min: 1 })] as const),
  past: causalContextSchema,
});

/** Schema of {@link CrdtRecord}. */
export const crdtRecordSchema: Schema<CrdtRecord> = s.variant("kind", {
  checkpoint: {
    group: deltaGroupSchema,
    local: s.array(localOpSchema, { maxLength: MAX_CHECKPOINT_LOCAL_OPS }),
    readOnly: s.optional(s.string({ maxLength: MAX_READ_ONLY_REASON_LENGTH })),
  },
  delta: { group: deltaGroupSchema, local: s.optional(localOpSchema) },
});

/** Largest encoded replica message or record the codecs accept: 4 MiB. */
export const CRDT_MAX_CODEC_BYTES = 4 << 20;
/** The validating codec of replica messages (what `receiveBytes` decodes with). */
export const crdtMessageCodec: Codec<CrdtMessage> = createCodec(crdtMessageSchema, { maxBytes: CRDT_MAX_CODEC_BYTES });
/** The validating codec of replica durable records. */
export const crdtRecordCodec: Codec<CrdtRecord> = createCodec(crdtRecordSchema, { maxBytes: CRDT_MAX_CODEC_BYTES });

/** Schema of a client request. */
export const crdtRequestSchema: Schema<CrdtRequest> = s.object({ invocation: s.uint(), op: documentOpSchema });

/** The validating codec of client requests (for a driver that takes them from the network). */
export const crdtRequestCodec: Codec<CrdtRequest> = createCodec(crdtRequestSchema, { maxBytes: CRDT_MAX_CODEC_BYTES });

/**
 * A CRDT replica as a protocol node: it applies local operations at once (`request`), and
 * synchronises with its peers by delta anti-entropy: every `syncIntervalTicks` it sends each peer
 * the join of the delta groups that peer has not acknowledged (a delta-interval), or its full state
 * when those deltas are no longer buffered. Received groups are merged, persisted, re-buffered (so
 * they travel on transitively) and acknowledged. Intervals start at an acknowledged point, so they
 * are causally ready at the receiver (the RGA needs that).
 *
 * Durability: every merged or local group is persisted before any message that depends on it
 * leaves; every `checkpointEveryRecords` records the log is compacted into one checkpoint. After a
 * crash the node rebuilds its document from the records and starts a new session (a random id), so
 * stale acknowledgements of the old session are ignored and peers get the full state first.
 * A node whose records were corrupted stays read-only for good (it could otherwise reuse a dot it
 * had already issued): it still merges and serves peers, but rejects local operations and raises an
 * alarm. The mark survives compaction: its checkpoints carry it (see {@link CrdtRecord}).
 * @example
 * const node = new CrdtReplicaNode({ id: "n1", members: ["n1", "n2"], rng, recovered: FRESH_STATE });
 * const step = node.request({ invocation: 1, op: { type: "add", element: "x" } });
 */
export class CrdtReplicaNode implements ProtocolNode<CrdtMessage, CrdtRequest, CrdtOutput, CrdtRecord> {
  readonly id: NodeId;
  /** The replicated document (read it; never change it from outside). */
  readonly document: ReplicaDocument;
  /** Counters for metrics: messages dropped as invalid, full states and deltas sent. */
  readonly stats = { droppedMessages: 0, fullStatesSent: 0, deltasSent: 0, nacksSent: 0 };
  private readonly config: CrdtReplicaConfig;
  private readonly peers: readonly NodeId[];
  private readonly session: number;
  private readonly buffer = new Map<number, DeltaGroup>();
  /** The last interval joined from each start sequence number (see `intervalFrom`). */
  private readonly intervals = new Map<number, { readonly to: number; readonly join: DeltaGroupJoin; readonly group: DeltaGroup }>();
  private readonly acks = new Map<NodeId, number>();
  /** What each peer reported it has delivered (from its acks): the input of causal stability. */
  private readonly peerSeen = new Map<NodeId, Map<NodeId, number>>();
  private seq = 0;
  private baseSeq = 0;
  private ticks = 0;
  private recordsSinceCheckpoint = 0;
  private readOnlyReason: string | undefined;
  /**
   * Peers whose delta-intervals we must refuse until we merged a full state from them: after
   * losing records, their acknowledgements overstate what we hold, so an interval could name
   * updates (in its dots and state-based parts) whose text operations we no longer have.
   */
  private readonly needsFullFrom = new Set<NodeId>();
  /** Peers that sent a nack: their next sync is our full state. */
  private readonly fullStateRequested = new Set<NodeId>();
  private alarmPending = false;
  /** The entries of the last ack's `seen` vector, and the document revision they were read at. */
  private seenEntries: [NodeId, number][] = [];
  private seenRevision = -1;
  private localSinceCheckpoint: LocalOpRecord[] = [];
  /** Local ops found in the durable records at recovery (see {@link LocalOpRecord}). */
  readonly recoveredLocalOps: readonly LocalOpRecord[];
  private readonly builder = new StepBuilder<CrdtMessage, CrdtOutput, CrdtRecord>();

  /**
   * @param ctx - id, members, rng, recovered records
   * @param config - tuning (defaults: {@link DEFAULT_CRDT_REPLICA_CONFIG})
   * @throws {ConfigError} on a non-positive setting
   */
  constructor(ctx: NodeContext<CrdtRecord>, config: Partial<CrdtReplicaConfig> = {}) {
    requireNodeContext({ ctx }, "CrdtReplicaNode"); // the context as its driver passed it
    this.config = { ...DEFAULT_CRDT_REPLICA_CONFIG, ...config };
    for (const [field, value] of Object.entries(this.config)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(field, `must be a positive integer, got ${String(value)}`);
    }
    this.id = ctx.id;
    this.peers = ctx.members.filter((m) => m !== ctx.id);
    this.session = ctx.rng.nextU32();
    this.document = new ReplicaDocument(ctx.id);
    const { records, corrupted } = ctx.recovered;
    const recoveredLocal: LocalOpRecord[] = [];
    for (const record of records) {
      if (record.kind === "checkpoint") {
        recoveredLocal.push(...record.local);
        // Read-only is for life: the checkpoint replaced the evidence (see CrdtRecord).
        if (record.readOnly !== undefined) this.readOnlyReason = record.readOnly;
      } else if (record.local !== undefined) recoveredLocal.push(record.local);
      const applied = this.document.applyGroup(record.group, "storage");
      if (!applied.ok) this.readOnlyReason = `a durable record does not apply (${applied.error.message})`;
    }
    this.recoveredLocalOps = recoveredLocal;
    if (corrupted > 0) this.readOnlyReason = `${corrupted} durable record(s) corrupted: local updates disabled to avoid reusing a dot`;
    // A read-only node waits for every peer's full state again, not only after finding corrupted
    // records: the wait of its previous incarnation was in memory, and a checkpoint may have replaced
    // the corrupted records before every full state arrived, so a peer's acknowledgements may still
    // cover updates it lost. Merged onto that hole, the peer's next interval would count them (its
    // counter entry is a total): CounterSum broken (found by MCDeltaAntiEntropyCorrupt.cfg, issue 18).
    if (this.readOnlyReason !== undefined) for (const peer of this.peers) this.needsFullFrom.add(peer);
    this.alarmPending = this.readOnlyReason !== undefined;
    if (records.length > 0) {
      // The recovered state is not in the (empty) buffer: every peer gets the full state first.
      this.seq = 1;
      this.baseSeq = 1;
    }
  }

  /** @returns how many delta groups are buffered for peers */
  get bufferedDeltas(): number {
    return this.buffer.size;
  }

  /**
   * The causally stable frontier: the pointwise minimum of this replica's version vector of
   * delivered updates and the last one each peer reported. An update below it has been delivered
   * by every replica (stability is the condition for collecting metadata about it).
   * @returns the frontier (all zero until every peer has reported)
   */
  stableVersionVector(): VersionVector {
    let frontier = this.document.updates.versionVector();
    for (const peer of this.peers) frontier = frontier.meet(new VersionVector(this.peerSeen.get(peer) ?? []));
    return frontier;
  }

  /**
   * The anti-entropy bookkeeping, read only (for trace validation against DeltaAntiEntropy.tla):
   * `seq` is the number of delta groups buffered so far (the next group's sequence number), `acks`
   * the sequence number each peer acknowledged, `session` this incarnation's id; `needsFullFrom` the
   * peers whose full state it waits for, `fullStateRequested` the peers that nacked it, `alarmPending`
   * whether its next tick raises the alarm of a read-only recovery (and nacks every peer).
   * @returns a copy of it
   */
  antiEntropyState(): {
    readonly seq: number;
    readonly baseSeq: number;
    readonly session: number;
    readonly acks: ReadonlyMap<NodeId, number>;
    readonly needsFullFrom: ReadonlySet<NodeId>;
    readonly fullStateRequested: ReadonlySet<NodeId>;
    readonly alarmPending: boolean;
  } {
    return {
      seq: this.seq,
      baseSeq: this.baseSeq,
      session: this.session,
      acks: new Map(this.acks),
      needsFullFrom: new Set(this.needsFullFrom),
      fullStateRequested: new Set(this.fullStateRequested),
      alarmPending: this.alarmPending,
    };
  }

  /** @returns whether local operations are refused (corrupted storage) */
  get readOnly(): boolean {
    return this.readOnlyReason !== undefined;
  }

  /** Advance the HLC; every `syncIntervalTicks`, send each peer its delta-interval or the full state. */
  tick(): Step<CrdtMessage, CrdtOutput, CrdtRecord> {
    this.ticks++;
    this.document.clock.tick();
    const alarm = this.alarmPending;
    if (alarm) {
      this.alarmPending = false;
      this.builder.output({ type: "alarm", reason: this.readOnlyReason ?? "" });
      // Peers' acknowledgements may cover updates we lost: ask every peer for its full state.
      for (const peer of this.peers) {
        this.stats.nacksSent++;
        this.builder.send({ from: this.id, to: peer, message: { kind: "nack" } });
      }
    }
    if (this.ticks % this.config.syncIntervalTicks === 0) {
      // A nack can be lost: keep asking, one per round, until that peer's full state arrives.
      // (Its acks of our previous incarnation may cover everything it has, so it sends nothing otherwise.)
      if (!alarm) for (const peer of this.needsFullFrom) {
        this.stats.nacksSent++;
        this.builder.send({ from: this.id, to: peer, message: { kind: "nack" } });
      }
      for (const peer of this.peers) this.syncPeer(peer);
    }
    return this.builder.finish();
  }

  /** Handle the bytes of a message from a peer: decoded by {@link crdtMessageCodec}, else counted in `droppedMessages` and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<CrdtMessage, CrdtOutput, CrdtRecord> {
    const decoded = crdtMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.stats.droppedMessages++;
    return this.builder.finish();
  }

  /**
   * Handle a decoded delta, ack or nack from a peer (its shape is trusted: bytes from a network go
   * to `receiveBytes`); messages from non-members or that do not apply are counted and dropped.
   */
  receive(from: NodeId, message: CrdtMessage): Step<CrdtMessage, CrdtOutput, CrdtRecord> {
    if (!this.peers.includes(from)) {
      this.stats.droppedMessages++;
      return this.builder.finish();
    }
    switch (message.kind) {
      case "delta":
        this.onDelta(from, message);
        break;
      case "ack":
        if (message.seen !== undefined) this.onSeen(from, message.seen);
        this.onAck(from, message.session, message.seq);
        break;
      case "nack":
        this.acks.delete(from);
        this.fullStateRequested.add(from);
        break;
    }
    return this.builder.finish();
  }

  /**
   * Apply a local operation at once (persisted, buffered for the peers, reported as `applied`). An
   * operation the document refuses (a text index outside the text: {@link RgaIndexError}; a bad
   * amount) is reported as `rejected` with the error's message, and changes nothing.
   */
  request(input: CrdtRequest): Step<CrdtMessage, CrdtOutput, CrdtRecord> {
    if (this.readOnlyReason !== undefined) {
      this.builder.output({ type: "rejected", invocation: input.invocation, reason: this.readOnlyReason });
      return this.builder.finish();
    }
    let applied;
    try {
      applied = this.document.applyLocal(input.op);
    } catch (error) {
      if (!(error instanceof SynodError && error.code === "usage")) throw error;
      this.builder.output({ type: "rejected", invocation: input.invocation, reason: error.message });
      return this.builder.finish();
    }
    const past = this.document.updates.toWire();
    if (applied !== undefined) {
      const local: LocalOpRecord = { op: input.op, dot: [applied.dot[0], applied.dot[1]], past };
      this.localSinceCheckpoint.push(local);
      this.record(applied.group, local);
    }
    this.builder.output({ type: "applied", invocation: input.invocation, op: input.op, dot: applied?.dot ?? null, past });
    this.maybeCheckpoint();
    return this.builder.finish();
  }

  private onDelta(from: NodeId, message: Extract<CrdtMessage, { kind: "delta" }>): void {
    if (!message.full && this.needsFullFrom.has(from)) {
      this.stats.droppedMessages++;
      this.stats.nacksSent++;
      this.builder.send({ from: this.id, to: from, message: { kind: "nack" } });
      return;
    }
    const applied = this.document.applyGroup(message.group);
    if (!applied.ok) {
      this.stats.droppedMessages++;
      if (!message.full) {
        this.stats.nacksSent++;
        this.builder.send({ from: this.id, to: from, message: { kind: "nack" } });
      }
      return;
    }
    if (message.full) this.needsFullFrom.delete(from);
    if (applied.value.fresh) this.record(applied.value.effective);
    this.maybeCheckpoint();
    // The vector changes only with the document's revision: acks in between share one entries array.
    if (this.seenRevision !== this.document.revision) {
      this.seenRevision = this.document.revision;
      this.seenEntries = this.document.updates.vectorEntries();
    }
    const seen = this.seenEntries;
    this.builder.send({ from: this.id, to: from, message: { kind: "ack", session: message.session, seq: message.seq, seen } });
  }

  /**
   * A peer reported the updates it has delivered. When they cover every update we have, it needs
   * nothing we buffered (it got them from others): treat our whole buffer as acknowledged, so the
   * next interval starts here. Safe for the RGA's causal readiness: the peer's state includes ours.
   */
  private onSeen(from: NodeId, entries: readonly (readonly [NodeId, number])[]): void {
    // The vector the entries stand for (as `new VersionVector(entries)` reads them: zeros dropped,
    // a later entry of a replica replacing an earlier one), joined into the peer's in place: an ack
    // arrives for every delta delivered.
    if (sortedByReplica(entries)) {
      // What an honest peer sends (its vectorEntries): one entry per replica, so no map is needed.
      let known = this.peerSeen.get(from);
      if (known === undefined) this.peerSeen.set(from, (known = new Map()));
      for (const [replica, counter] of entries) if (counter > 0 && counter > (known.get(replica) ?? 0)) known.set(replica, counter);
      if (this.document.updates.coveredByEntries(entries)) this.onAck(from, this.session, this.seq);
      return;
    }
    const seen = new Map<NodeId, number>();
    for (const [replica, counter] of entries) if (counter > 0) seen.set(replica, counter);
    const known = this.peerSeen.get(from);
    if (known === undefined) this.peerSeen.set(from, seen);
    else for (const [replica, counter] of seen) if (counter > (known.get(replica) ?? 0)) known.set(replica, counter);
    if (this.document.updates.coveredBy(seen)) this.onAck(from, this.session, this.seq);
  }

  private onAck(from: NodeId, session: number, seq: number): void {
    if (session !== this.session || seq > this.seq) return;
    if (seq > (this.acks.get(from) ?? 0)) this.acks.set(from, seq);
    let floor = this.seq;
    for (const peer of this.peers) floor = Math.min(floor, this.acks.get(peer) ?? 0);
    for (let s = this.baseSeq; s < floor; s++) this.buffer.delete(s);
    if (floor > this.baseSeq) this.baseSeq = floor;
  }

  /** Buffer a new group for the peers and persist it. */
  private record(group: DeltaGroup, local?: LocalOpRecord): void {
    this.buffer.set(this.seq++, group);
    while (this.buffer.size > this.config.maxBufferedDeltas) this.buffer.delete(this.baseSeq++);
    this.builder.persist(local === undefined ? { kind: "delta", group } : { kind: "delta", group, local });
    this.recordsSinceCheckpoint++;
  }

  private maybeCheckpoint(): void {
    if (this.recordsSinceCheckpoint < this.config.checkpointEveryRecords) return;
    this.recordsSinceCheckpoint = 0;
    const group = this.document.toGroup();
    const reason = this.readOnlyReason;
    this.builder.compact([
      reason === undefined
        ? { kind: "checkpoint", group, local: this.localSinceCheckpoint }
        : { kind: "checkpoint", group, local: this.localSinceCheckpoint, readOnly: reason.slice(0, MAX_READ_ONLY_REASON_LENGTH) },
    ]);
    this.localSinceCheckpoint = [];
  }

  /**
   * The join of the buffered groups `[from, seq)`. The join last sent from `from` is extended by the
   * groups buffered since, not rebuilt: while a peer does not acknowledge (a partition, a crash), every
   * round would otherwise join the same growing interval again. (Joins are associative; the text
   * operations keep their order.)
   */
  private intervalFrom(from: number): DeltaGroup {
    const cached = this.intervals.get(from);
    if (cached !== undefined && cached.to === this.seq) return cached.group;
    if (cached === undefined && from + 1 === this.seq) return this.buffer.get(from) as DeltaGroup;
    const join = cached?.join ?? new DeltaGroupJoin();
    for (let s = cached?.to ?? from; s < this.seq; s++) join.add(this.buffer.get(s) as DeltaGroup);
    const group = join.toGroup();
    this.intervals.set(from, { to: this.seq, join, group });
    for (const key of this.intervals.keys()) if (key < this.baseSeq) this.intervals.delete(key);
    return group;
  }

  private syncPeer(peer: NodeId): void {
    const acked = this.acks.get(peer) ?? 0;
    const requested = this.fullStateRequested.delete(peer);
    if (acked >= this.seq && !requested) return;
    if (requested || acked < this.baseSeq || this.seq - acked > this.config.maxIntervalDeltas) {
      this.stats.fullStatesSent++;
      this.builder.send({ from: this.id, to: peer, message: { kind: "delta", session: this.session, seq: this.seq, full: true, group: this.document.toGroup() } });
      return;
    }
    const group = this.intervalFrom(acked);
    this.stats.deltasSent++;
    this.builder.send({ from: this.id, to: peer, message: { kind: "delta", session: this.session, seq: this.seq, full: false, group } });
  }
}
