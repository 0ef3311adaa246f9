import { ConfigError, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { DEFAULT_BROADCAST_CONFIG, type BroadcastConfig } from "./config.js";
import { broadcastMessageCodec, type BroadcastInput, type BroadcastMessage, type BroadcastOutput, type BroadcastRecord } from "./messages.js";
import { SeqSet } from "./seq-set.js";

type BroadcastStep = Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>;

type MsgMessage = Extract<BroadcastMessage, { type: "msg" }>;

interface PendingEntry {
  /** The message, shared by every (re)send: messages are immutable once sent. */
  readonly message: MsgMessage;
  /** Bit i of word i >>> 5: member i has not acked yet. */
  readonly waiting: number[];
  /** Members still waited for. */
  waitingCount: number;
}


/**
 * A node of the reference protocol: eager reliable broadcast with acks over lossy links.
 *
 * - `request(value)`: assign id (origin = this node, seq), deliver locally, persist {id, value},
 *   send Msg(id, value) to every other member.
 * - `receive Msg(id, value)`: if id was not delivered yet, deliver, persist and relay Msg to every
 *   other member; always reply Ack(id) to the sender.
 * - `tick`: every `retransmitTicks`, re-send each un-acked Msg to the peers that have not acked it
 *   (at most `maxRetransmitPerRound` messages per round, longest-waiting first, rotating).
 * - recovery: the delivered set (and the next sequence number) is rebuilt from the persisted
 *   records, and every recovered message is pending again for all peers, so a message whose sends
 *   were lost in a crash is still spread. Corrupted storage halts the node with an alarm, since it
 *   could otherwise deliver a message twice.
 */
export class BroadcastNode implements ProtocolNode<BroadcastMessage, BroadcastInput, BroadcastOutput, BroadcastRecord> {
  readonly id: NodeId;
  /** True when recovery found corrupted storage: the node refuses to act (fail-stop). */
  readonly halted: boolean;
  private readonly peers: readonly NodeId[];
  private readonly config: BroadcastConfig;
  private readonly members: readonly NodeId[];
  private readonly memberIndex = new Map<NodeId, number>();
  /** Member indexes of {@link peers}. */
  private readonly peerIndexes: readonly number[];
  /** The waiting bitmap of a new pending entry: every peer. */
  private readonly allPeersWaiting: readonly number[];
  /** Delivered sequence numbers, by origin's member index. */
  private readonly delivered: SeqSet[];
  /** Un-acked messages by {@link idKey}, in retransmission order. */
  private readonly pending = new Map<number, PendingEntry>();
  private readonly out = new StepBuilder<BroadcastMessage, BroadcastOutput, BroadcastRecord>();
  private nextSeq = 0;
  private ticks = 0;
  private deliveredTotal = 0;
  /** Messages re-sent by retransmission rounds (this incarnation). */
  retransmissions = 0;
  /** Pending entries dropped because {@link BroadcastConfig.maxPending} was reached (this incarnation). */
  pendingEvicted = 0;
  private alarmRaised = false;

  /**
   * @param ctx - id, members, rng, recovered records
   * @param config - protocol knobs (defaults: {@link DEFAULT_BROADCAST_CONFIG})
   * @throws {ConfigError} when a knob is out of range
   */
  constructor(ctx: NodeContext<BroadcastRecord>, config: Partial<BroadcastConfig> = {}) {
    this.id = ctx.id;
    this.config = { ...DEFAULT_BROADCAST_CONFIG, ...config };
    if (!Number.isInteger(this.config.retransmitTicks) || this.config.retransmitTicks < 1) throw new ConfigError("retransmitTicks", "must be an integer >= 1");
    if (!Number.isInteger(this.config.maxPending) || this.config.maxPending < 1) throw new ConfigError("maxPending", "must be an integer >= 1");
    this.members = ctx.members;
    ctx.members.forEach((m, i) => this.memberIndex.set(m, i));
    this.delivered = ctx.members.map(() => new SeqSet());
    this.peers = ctx.members.filter((m) => m !== ctx.id);
    this.peerIndexes = this.peers.map((p) => this.memberIndex.get(p) as number);
    const words = new Array<number>((ctx.members.length + 31) >>> 5).fill(0);
    for (const i of this.peerIndexes) words[i >>> 5] = (words[i >>> 5] as number) | (1 << (i & 31));
    this.allPeersWaiting = words;
    this.halted = ctx.recovered.corrupted > 0;
    if (this.halted) return;
    const records = this.config.plantedBug === "recovery-drops-last" ? ctx.recovered.records.slice(0, -1) : ctx.recovered.records;
    for (const record of records) {
      const origin = this.memberIndex.get(record.origin);
      if (origin === undefined) continue;
      if (this.markDelivered(origin, record.seq)) this.addPending(origin, { type: "msg", origin: record.origin, seq: record.seq, value: record.value });
      if (record.origin === this.id && record.seq >= this.nextSeq) this.nextSeq = record.seq + 1;
    }
  }

  /** @returns whether this node has delivered message (origin, seq) */
  hasDelivered(origin: NodeId, seq: number): boolean {
    const index = this.memberIndex.get(origin);
    return index !== undefined && (this.delivered[index] as SeqSet).has(seq);
  }

  /** @returns the number of distinct messages this node knows it delivered */
  deliveredCount(): number {
    return this.deliveredTotal;
  }

  /** Calls `visit` once per delivered id. */
  forEachDelivered(visit: (origin: NodeId, seq: number) => void): void {
    this.delivered.forEach((seqs, index) => seqs.forEach((seq) => visit(this.members[index] as NodeId, seq)));
  }

  /** @returns the sequence number this node's next broadcast will carry */
  nextSequence(): number {
    return this.nextSeq;
  }

  /** Calls `visit` once per message waiting for acknowledgements, saying whether this node waits on itself (it never should). */
  forEachPending(visit: (origin: NodeId, seq: number, waitsOnSelf: boolean) => void): void {
    const self = this.memberIndex.get(this.id) as number;
    for (const entry of this.pending.values()) {
      const waitsOnSelf = ((entry.waiting[self >>> 5] as number) & (1 << (self & 31))) !== 0;
      visit(entry.message.origin, entry.message.seq, waitsOnSelf);
    }
  }

  /** @returns how many messages wait for acks */
  pendingCount(): number {
    return this.pending.size;
  }

  tick(): BroadcastStep {
    if (this.halted) return this.maybeAlarm();
    this.ticks++;
    if (this.ticks % this.config.retransmitTicks === 0) this.retransmit();
    return this.out.finish();
  }

  /** Handle the bytes of a message: decoded by broadcastMessageCodec, else dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): BroadcastStep {
    const decoded = broadcastMessageCodec.decode(bytes);
    return decoded.ok ? this.receive(from, decoded.value) : this.out.finish();
  }

  receive(from: NodeId, message: BroadcastMessage): BroadcastStep {
    if (this.halted) return this.maybeAlarm();
    const origin = this.memberIndex.get(message.origin);
    if (origin === undefined) return this.out.finish(); // not a member: a peer's bad claim, dropped
    if (message.type === "msg") this.onMsg(from, origin, message);
    else this.onAck(from, origin, message.seq);
    return this.out.finish();
  }

  request(input: BroadcastInput): BroadcastStep {
    if (this.halted) {
      this.out.output({ type: "rejected", invocationId: input.invocationId, reason: "node halted: corrupted storage" });
      return this.out.finish();
    }
    const seq = this.nextSeq++;
    const self = this.memberIndex.get(this.id) as number;
    this.markDelivered(self, seq);
    this.out.output({ type: "deliver", origin: this.id, seq, value: input.value, invocationId: input.invocationId });
    const message: MsgMessage = { type: "msg", origin: this.id, seq, value: input.value };
    this.persistDelivery(message);
    this.sendToPeers(message);
    this.addPending(self, message);
    return this.out.finish();
  }

  private onMsg(from: NodeId, origin: number, message: MsgMessage): void {
    if (this.markDelivered(origin, message.seq)) {
      this.out.output({ type: "deliver", origin: message.origin, seq: message.seq, value: message.value });
      this.persistDelivery(message);
      this.sendToPeers(message);
      this.addPending(origin, message);
    }
    this.out.send({ from: this.id, to: from, message: { type: "ack", origin: message.origin, seq: message.seq } });
  }

  private onAck(from: NodeId, origin: number, seq: number): void {
    const key = this.idKey(origin, seq);
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    const peer = this.memberIndex.get(from);
    if (peer === undefined) return;
    const word = peer >>> 5;
    const bit = 1 << (peer & 31);
    const bits = entry.waiting[word] as number;
    if ((bits & bit) === 0) return;
    entry.waiting[word] = bits & ~bit;
    if (--entry.waitingCount === 0) this.pending.delete(key);
  }

  /**
   * Re-send up to `maxRetransmitPerRound` un-acked messages, the longest-waiting first, then move
   * them to the back of the queue: rounds rotate through the pending set, so messages waiting on a
   * peer that never answers (halted, or down for long) cannot starve the others.
   */
  private retransmit(): void {
    const batch: [number, PendingEntry][] = [];
    for (const item of this.pending) {
      if (batch.length >= this.config.maxRetransmitPerRound) break;
      batch.push(item);
    }
    for (const [key, entry] of batch) {
      for (let k = 0; k < this.peerIndexes.length; k++) {
        const peer = this.peerIndexes[k] as number;
        if (((entry.waiting[peer >>> 5] as number) & (1 << (peer & 31))) === 0) continue;
        this.out.send({ from: this.id, to: this.members[peer] as NodeId, message: entry.message });
        this.retransmissions++;
      }
      this.pending.delete(key);
      this.pending.set(key, entry);
    }
  }

  /** A number naming message (origin, seq), exact for every safe seq: seq × members + origin index. */
  private idKey(origin: number, seq: number): number {
    return seq * this.members.length + origin;
  }

  /** @returns false when (origin's member index, seq) was delivered already */
  private markDelivered(origin: number, seq: number): boolean {
    if (!(this.delivered[origin] as SeqSet).add(seq)) return false;
    this.deliveredTotal++;
    return true;
  }

  private persistDelivery(message: MsgMessage): void {
    if (this.config.plantedBug === "forget-delivered") return;
    this.out.persist({ origin: message.origin, seq: message.seq, value: message.value });
  }

  private sendToPeers(message: MsgMessage): void {
    const peers = this.peers;
    for (let k = 0; k < peers.length; k++) this.out.send({ from: this.id, to: peers[k] as NodeId, message });
  }

  private addPending(origin: number, message: MsgMessage): void {
    if (this.peers.length === 0) return;
    if (this.pending.size >= this.config.maxPending) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) this.pending.delete(oldest.value);
      this.pendingEvicted++;
    }
    this.pending.set(this.idKey(origin, message.seq), { message, waiting: this.allPeersWaiting.slice(), waitingCount: this.peers.length });
  }

  private maybeAlarm(): BroadcastStep {
    if (!this.alarmRaised) {
      this.alarmRaised = true;
      this.out.output({ type: "alarm", reason: "recovered storage is corrupted; refusing to run (a delivered message could be delivered again)" });
    }
    return this.out.finish();
  }
}
