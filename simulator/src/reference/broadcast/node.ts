import { ConfigError, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { DEFAULT_BROADCAST_CONFIG, type BroadcastConfig } from "./config.js";
import type { BroadcastInput, BroadcastMessage, BroadcastOutput, BroadcastRecord } from "./messages.js";

type BroadcastStep = Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>;

interface PendingEntry {
  readonly origin: NodeId;
  readonly seq: number;
  readonly value: string;
  /** Peers that have not acked yet. */
  readonly waiting: Set<NodeId>;
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
  /** Delivered sequence numbers, by origin's member index. */
  private readonly delivered: Set<number>[];
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
    this.delivered = ctx.members.map(() => new Set<number>());
    this.peers = ctx.members.filter((m) => m !== ctx.id);
    this.halted = ctx.recovered.corrupted > 0;
    if (this.halted) return;
    for (const record of ctx.recovered.records) {
      if (!this.memberIndex.has(record.origin)) continue;
      if (this.markDelivered(record.origin, record.seq)) this.addPending(record.origin, record.seq, record.value);
      if (record.origin === this.id && record.seq >= this.nextSeq) this.nextSeq = record.seq + 1;
    }
  }

  /** @returns whether this node has delivered message (origin, seq) */
  hasDelivered(origin: NodeId, seq: number): boolean {
    const index = this.memberIndex.get(origin);
    return index !== undefined && (this.delivered[index] as Set<number>).has(seq);
  }

  /** @returns the number of distinct messages this node knows it delivered */
  deliveredCount(): number {
    return this.deliveredTotal;
  }

  /** Calls `visit` once per delivered id. */
  forEachDelivered(visit: (origin: NodeId, seq: number) => void): void {
    this.delivered.forEach((seqs, index) => {
      for (const seq of seqs) visit(this.members[index] as NodeId, seq);
    });
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

  receive(from: NodeId, message: BroadcastMessage): BroadcastStep {
    if (this.halted) return this.maybeAlarm();
    if (!this.memberIndex.has(message.origin)) return this.out.finish(); // not a member: a peer's bad claim, dropped
    if (message.type === "msg") this.onMsg(from, message.origin, message.seq, message.value);
    else this.onAck(from, message.origin, message.seq);
    return this.out.finish();
  }

  request(input: BroadcastInput): BroadcastStep {
    if (this.halted) {
      this.out.output({ type: "rejected", invocationId: input.invocationId, reason: "node halted: corrupted storage" });
      return this.out.finish();
    }
    const seq = this.nextSeq++;
    this.markDelivered(this.id, seq);
    this.out.output({ type: "deliver", origin: this.id, seq, value: input.value, invocationId: input.invocationId });
    this.persistDelivery(this.id, seq, input.value);
    this.sendToPeers(this.id, seq, input.value);
    this.addPending(this.id, seq, input.value);
    return this.out.finish();
  }

  private onMsg(from: NodeId, origin: NodeId, seq: number, value: string): void {
    if (this.markDelivered(origin, seq)) {
      this.out.output({ type: "deliver", origin, seq, value });
      this.persistDelivery(origin, seq, value);
      this.sendToPeers(origin, seq, value);
      this.addPending(origin, seq, value);
    }
    this.out.send({ from: this.id, to: from, message: { type: "ack", origin, seq } });
  }

  private onAck(from: NodeId, origin: NodeId, seq: number): void {
    const key = this.idKey(origin, seq);
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    entry.waiting.delete(from);
    if (entry.waiting.size === 0) this.pending.delete(key);
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
      for (const peer of entry.waiting) {
        this.out.send({ from: this.id, to: peer, message: { type: "msg", origin: entry.origin, seq: entry.seq, value: entry.value } });
        this.retransmissions++;
      }
      this.pending.delete(key);
      this.pending.set(key, entry);
    }
  }

  /** A number naming message (origin, seq), exact for every safe seq: seq × members + origin index. */
  private idKey(origin: NodeId, seq: number): number {
    return seq * this.members.length + (this.memberIndex.get(origin) as number);
  }

  private markDelivered(origin: NodeId, seq: number): boolean {
    const seqs = this.delivered[this.memberIndex.get(origin) as number] as Set<number>;
    if (seqs.has(seq)) return false;
    seqs.add(seq);
    this.deliveredTotal++;
    return true;
  }

  private persistDelivery(origin: NodeId, seq: number, value: string): void {
    if (this.config.plantedBug === "forget-delivered") return;
    this.out.persist({ origin, seq, value });
  }

  private sendToPeers(origin: NodeId, seq: number, value: string): void {
    for (const peer of this.peers) this.out.send({ from: this.id, to: peer, message: { type: "msg", origin, seq, value } });
  }

  private addPending(origin: NodeId, seq: number, value: string): void {
    if (this.peers.length === 0) return;
    if (this.pending.size >= this.config.maxPending) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) this.pending.delete(oldest.value);
      this.pendingEvicted++;
    }
    this.pending.set(this.idKey(origin, seq), { origin, seq, value, waiting: new Set(this.peers) });
  }

  private maybeAlarm(): BroadcastStep {
    if (!this.alarmRaised) {
      this.alarmRaised = true;
      this.out.output({ type: "alarm", reason: "recovered storage is corrupted; refusing to run (a delivered message could be delivered again)" });
    }
    return this.out.finish();
  }
}
