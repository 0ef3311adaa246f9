import type { Codec, Envelope, NodeId, Rng } from "@synod/core";
import type { Adversary, AdversaryContext } from "../byzantine/adversary.js";
import type { SimulationCounters } from "./counters.js";
import { encodeForWire } from "./encode-for-wire.js";
import { EventKind } from "./event-kind.js";
import type { EventQueue } from "./event-queue.js";
import type { NetworkModel } from "./network.js";
import type { QueueChannels } from "./queue-channels.js";
import type { RunState } from "./run-state.js";
import { TWIN_BOTH, TWIN_CUT, type Twins } from "./twins.js";
import { MessageFate } from "../record/run-recording.js";
import type { RunRecorder } from "../record/run-recorder.js";

// A module-local copy: the hot path compares against a plain const, not a property of the imported
// object (what it buys, measured together with the loop's copies: see simulation.ts).
const DELIVER = EventKind.Deliver;

/** What transmission needs from the run (the simulation wires it). */
export interface TransmissionHost<M> {
  readonly network: NetworkModel;
  /** Draws loss, duplication and arrival times. */
  readonly netRng: Rng;
  readonly queue: EventQueue;
  readonly channels: QueueChannels;
  readonly counters: SimulationCounters;
  readonly state: RunState<unknown>;
  /** Each node's id, by index (a twin's second copy has its member's id). */
  readonly ids: readonly NodeId[];
  /** The member ids (what adversaries address). */
  readonly members: readonly NodeId[];
  /** @returns the index of a member id (a twinned id's first copy), undefined for any other id */
  indexOfId(id: NodeId): number | undefined;
  /** Present when every message is to go through the codec (encode, count the bytes, decode). */
  readonly roundTripCodec: Codec<M> | undefined;
  /** The adversaries' own generator. */
  readonly adversaryRng: Rng;
  /** The protocol's forgery, for adversaries. */
  readonly forge: ((message: M) => M) | undefined;
  /** Present when the run is recorded for a report. */
  readonly recorder: RunRecorder | undefined;
  /** Present when the run has twins: which copy of a twinned id a send reaches. */
  readonly twins: Twins | undefined;
}

/**
 * Puts a node's sends on the network: an envelope whose sender is not the sending node or whose
 * recipient is not a member is counted and dropped; a byzantine node's sends go through its
 * adversary; with twins, the send goes to the copy (or copies) of the recipient on the sender's side,
 * or nowhere ({@link Twins.route}); then the network decides (partition, loss, duplication, arrival
 * time) and the deliveries are queued on the link's in-order channel.
 */
export class Transmission<M> {
  /** The one context handed to adversaries; `nowMs` and `from` are set before each call. */
  private readonly advContext: AdversaryContext<M> & { nowMs: number; self: NodeId; from: number };

  constructor(private readonly host: TransmissionHost<M>) {
    this.advContext = {
      rng: host.adversaryRng,
      nowMs: 0,
      self: "",
      from: 0,
      members: host.members,
      forge: host.forge,
      emit: (to: NodeId, message: M, extraDelayMs = 0) => {
        const toIndex = host.indexOfId(to);
        if (toIndex === undefined) return;
        this.route(this.advContext.from, toIndex, message, extraDelayMs);
      },
    };
  }

  /** Send one envelope of node `from`'s step (through `adversary` when the node has one). */
  send(from: number, envelope: Envelope<M>, adversary: Adversary<M> | undefined): void {
    const host = this.host;
    const to = host.indexOfId(envelope.to);
    if (to === undefined || envelope.from !== host.ids[from]) {
      host.counters.badEnvelopes++;
      return;
    }
    if (adversary === undefined) return this.route(from, to, envelope.message, 0);
    this.advContext.nowMs = host.state.nowMs;
    this.advContext.self = envelope.from;
    this.advContext.from = from;
    adversary.onSend(envelope, this.advContext);
  }

  /** Show `adversary`, in control of node `to`, a message delivered to it from `from` (it may answer through the context). */
  received(to: number, from: NodeId, message: M, adversary: Adversary<M>): void {
    this.advContext.nowMs = this.host.state.nowMs;
    this.advContext.self = this.host.ids[to] as NodeId;
    this.advContext.from = to;
    adversary.onReceive?.(from, message, this.advContext);
  }

  /** Send `message` from node `from` to member `to`: to the copies of `to` that `from` reaches when there are twins. */
  private route(from: number, to: number, message: M, extraDelayMs: number): void {
    const twins = this.host.twins;
    if (twins === undefined) return this.transmit(from, to, message, extraDelayMs);
    const target = twins.route(from, to, this.host.state.nowMs);
    if (target >= 0) return this.transmit(from, target, message, extraDelayMs);
    if (target === TWIN_CUT) {
      twins.cut++;
      this.host.recorder?.sent(from, to, message, -1, MessageFate.Cut);
      return;
    }
    if (target === TWIN_BOTH) {
      this.transmit(from, to, message, extraDelayMs);
      this.transmit(from, twins.copyOf(to), message, extraDelayMs);
    }
  }

  /** Put `message` on the link `from` → `to`, `extraDelayMs` later than the network alone would. */
  transmit(from: number, to: number, message: M, extraDelayMs: number): void {
    const host = this.host;
    const counters = host.counters;
    counters.messagesSent++;
    const codec = host.roundTripCodec;
    if (codec !== undefined) {
      const bytes = encodeForWire(codec, message);
      if (bytes === undefined) {
        counters.decodeErrors++; // a value no decoder accepts: what a faulty sender's bytes would meet
        return;
      }
      counters.bytesSent += bytes.length;
      const decoded = codec.decode(bytes);
      if (!decoded.ok) {
        counters.decodeErrors++;
        return;
      }
      message = decoded.value;
    }
    const network = host.network;
    if (network.isBlocked(from, to)) {
      counters.droppedPartition++;
      host.recorder?.sent(from, to, message, -1, MessageFate.Cut);
      return;
    }
    const conditions = network.now;
    const rng = host.netRng;
    if (conditions.loss > 0 && rng.float() < conditions.loss) {
      counters.droppedLoss++;
      host.recorder?.sent(from, to, message, -1, MessageFate.Lost);
      return;
    }
    const queue = host.queue;
    const link = host.channels.link(from, to);
    const nowMs = host.state.nowMs;
    const recorder = host.recorder;
    const id = recorder === undefined ? -1 : recorder.sent(from, to, message, queue.pushed);
    queue.pushInOrder(link, network.arrivalMs(nowMs, from, to, rng) + extraDelayMs, DELIVER, from, to, message);
    if (conditions.duplicate > 0 && rng.float() < conditions.duplicate) {
      counters.duplicated++;
      recorder?.duplicated(id, queue.pushed);
      queue.pushInOrder(link, network.arrivalMs(nowMs, from, to, rng) + extraDelayMs, DELIVER, from, to, message);
    }
  }
}
