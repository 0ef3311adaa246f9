import { ConfigError, SynodError, requireNodeContext, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Rng, type Step } from "@synod/core";
import { resolveOverlayConfig, type OverlayConfig } from "./config.js";
import { HyParView } from "./hyparview.js";
import { MAX_BROADCAST_PAYLOAD, overlayMessageCodec, type OverlayMessage, type OverlayOutput, type OverlayRecord, type OverlayRequest } from "./messages.js";
import { Plumtree } from "./plumtree.js";

type OverlayStep = Step<OverlayMessage, OverlayOutput, OverlayRecord>;

/**
 * After recovering from corrupted storage (an epoch it persisted may be lost, and reusing it would
 * reuse broadcast ids) a member skips a multiple of this many epochs, drawn in [1, 2^24]: two restarts
 * from the same damaged prefix collide once in 2^24 (drawn in [1, 1024] first, they collided in
 * `pnpm mutants --baseline` swarm seed 1094, 19 restarts of 5 members: `NoCreation`); 2^9 corrupted
 * restarts in a row fit below the largest epoch.
 */
export const OVERLAY_CORRUPTION_EPOCH_GAP = 1 << 20;

/** Largest epoch (a safe integer). */
const MAX_EPOCH = Number.MAX_SAFE_INTEGER;

/** What an overlay member rejected, by reason (bad input is counted and dropped, never fatal). */
export interface OverlayCounters {
  /** Messages from an id that is not a member, or from this member's own id. */
  unknownSender: number;
  /** Bytes that do not decode (receiveBytes): too long, an unknown type, a field of the wrong shape. */
  malformed: number;
}

/**
 * A member of the HyParView overlay that broadcasts with Plumtree over its active view, as a pure
 * deterministic state machine under the `@synod/core` contract: randomness from the context's
 * generator, time in ticks, no I/O.
 *
 * Durable state: one record per start, the broadcast **epoch** (one more than the last one
 * recovered), persisted in the first step, before any broadcast of the epoch leaves; a broadcast's id
 * is `[origin, epoch, seq]`, so a restarted member never reuses one. Nothing else survives a restart:
 * the member joins the overlay again through a seed.
 */
export class OverlayNode implements ProtocolNode<OverlayMessage, OverlayRequest, OverlayOutput, OverlayRecord> {
  readonly id: NodeId;
  readonly config: OverlayConfig;
  readonly hyparview: HyParView;
  readonly plumtree: Plumtree;
  readonly counters: OverlayCounters = { unknownSender: 0, malformed: 0 };
  /** Messages sent, by this member, over its life. */
  readonly stats = { messagesSent: 0, broadcasts: 0 };
  private currentEpoch: number;
  /** Draws the epoch skips after hearing a broadcast of its own above its epoch (a fork: the protocol's draws do not move). */
  private readonly epochRng: Rng;

  private readonly members: ReadonlySet<NodeId>;
  private nowTick = 0;
  private seq = 0;
  private builder: StepBuilder<OverlayMessage, OverlayOutput, OverlayRecord> | undefined;
  private owed: { record: OverlayRecord; alarm?: string } | undefined;

  constructor(ctx: NodeContext<OverlayRecord>, config: Partial<OverlayConfig> = {}) {
    requireNodeContext({ ctx }, "OverlayNode");
    this.config = resolveOverlayConfig(config);
    this.id = ctx.id;
    this.members = new Set(ctx.members);
    if (!this.members.has(ctx.id)) throw new ConfigError("id", `${ctx.id} is not one of the members`);
    const last = ctx.recovered.records.reduce((max, record) => Math.max(max, record.epoch), 0);
    const corrupted = ctx.recovered.corrupted > 0;
    // After corrupted storage the epochs of lost records are unknown: skip a random multiple of the gap
    // (two restarts from the same damaged prefix must not draw the same epoch), and learn any that
    // was still used from the broadcasts heard (`receive`).
    const skip = corrupted ? OVERLAY_CORRUPTION_EPOCH_GAP * ctx.rng.int(1, (1 << 24) + 1) : 0;
    this.currentEpoch = Math.min(MAX_EPOCH, last + 1 + skip);
    const alarm = `recovered ${ctx.recovered.corrupted} corrupted records: skipping to broadcast epoch ${this.currentEpoch}`;
    this.owed = { record: { epoch: this.currentEpoch }, ...(corrupted ? { alarm } : {}) };
    this.epochRng = ctx.rng.fork("epoch");
    const rng: Rng = ctx.rng;
    const node = this;
    this.plumtree = new Plumtree(this.config, {
      get now() {
        return node.nowTick;
      },
      send: (to, message) => this.hyparview.send(to, message),
      deliver: (id, payload, round) => this.out().output({ type: "deliver", id, payload, round }),
      isNeighbor: (peer) => this.hyparview.isActive(peer),
    });
    this.hyparview = new HyParView(ctx.id, this.members, this.config, rng, {
      get now() {
        return node.nowTick;
      },
      send: (to, message) => {
        this.stats.messagesSent++;
        this.out().send({ from: this.id, to, message });
      },
      neighborUp: (peer, reason) => {
        this.plumtree.neighborUp(peer);
        this.out().output({ type: "neighbor", peer, change: "up", reason });
      },
      neighborDown: (peer, reason) => {
        this.plumtree.neighborDown(peer);
        this.out().output({ type: "neighbor", peer, change: "down", reason });
      },
    });
  }

  /** This member's broadcast epoch: one per start, and a new one when a broadcast of its own at this epoch or above is heard. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** Current tick (ticks since this start). */
  get now(): number {
    return this.nowTick;
  }

  /** The active view (read-only by contract). */
  get active(): readonly NodeId[] {
    return this.hyparview.active;
  }

  /** The passive view (read-only by contract). */
  get passive(): readonly NodeId[] {
    return this.hyparview.passive;
  }

  tick(): OverlayStep {
    this.begin();
    this.nowTick++;
    this.hyparview.tick();
    this.plumtree.tick();
    this.afterTick();
    return this.finish();
  }

  /** Handle the bytes of a message: decoded by overlayMessageCodec, else counted in `malformed` and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): OverlayStep {
    const decoded = overlayMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.counters.malformed++;
    this.begin();
    return this.finish();
  }

  receive(from: NodeId, message: OverlayMessage): OverlayStep {
    this.begin();
    if (from === this.id || !this.members.has(from)) {
      this.counters.unknownSender++;
      return this.finish();
    }
    switch (message.type) {
      case "gossip":
      case "iHave":
      case "graft":
      case "prune":
        // From a member not admitted: dropped before anything is learnt from it (not even an epoch
        // of its own, which a forged broadcast id would make this member skip past). HyParView's
        // messages are checked the same way in `hyparview.receive`.
        if (this.hyparview.refuses(from, message.type)) break;
        if (message.type !== "prune" && message.id[0] === this.id && message.id[1] >= this.currentEpoch) this.newEpoch(message.id[1]);
        this.hyparview.heard(from);
        this.plumtree.receive(from, message);
        break;
      default:
        this.hyparview.receive(from, message);
    }
    return this.finish();
  }

  request(input: OverlayRequest): OverlayStep {
    this.begin();
    if (input.type === "broadcast") this.broadcastNow(input.payload);
    return this.finish();
  }

  /**
   * A broadcast of this member's own at `heard` ≥ its epoch is about (an epoch lost with corrupted
   * storage, or its own echoed back): move past it — by a random skip when above its epoch —
   * persisted before any broadcast of the new epoch leaves.
   */
  private newEpoch(heard: number): void {
    // Above its epoch: a lost start used `heard`, and maybe `heard + 1` and on (it moves up one each
    // time it hears its own) — skip a random multiple of the gap, as after corrupted storage. (Taking
    // `heard + 1` reused n5's epoch 6670094696451 in `pnpm sim plumtree --nodes 5 --seed 1 --duration
    // 30000 --faults all` once recent broadcasts were announced on new links: `NoCreation`.)
    const skip = heard > this.currentEpoch ? OVERLAY_CORRUPTION_EPOCH_GAP * this.epochRng.int(1, (1 << 24) + 1) : 0;
    this.currentEpoch = Math.min(MAX_EPOCH, heard + 1 + skip);
    this.seq = 0;
    this.out().persist({ epoch: this.currentEpoch });
    this.out().output({ type: "alarm", reason: `heard a broadcast of its own at epoch ${heard}: moving to epoch ${this.currentEpoch}` });
  }

  /** A subclass's work at the end of each tick, inside the tick's step (the simulation's application broadcasts here). */
  protected afterTick(): void {}

  /** Broadcast `payload` within the step being built (or refuse it: too long). */
  protected broadcastNow(payload: string): void {
    if (typeof payload !== "string" || payload.length > MAX_BROADCAST_PAYLOAD) {
      this.out().output({ type: "broadcastRejected", reason: `payload must be a string of at most ${MAX_BROADCAST_PAYLOAD} characters` });
      return;
    }
    this.stats.broadcasts++;
    this.plumtree.broadcast([this.id, this.currentEpoch, this.seq++], payload);
  }

  private begin(): StepBuilder<OverlayMessage, OverlayOutput, OverlayRecord> {
    const b = (this.builder = new StepBuilder());
    const owed = this.owed;
    if (owed !== undefined) {
      this.owed = undefined;
      b.persist(owed.record);
      if (owed.alarm !== undefined) b.output({ type: "alarm", reason: owed.alarm });
    }
    return b;
  }

  private out(): StepBuilder<OverlayMessage, OverlayOutput, OverlayRecord> {
    if (this.builder === undefined) throw new SynodError("invariant", "OverlayNode: output outside a step");
    return this.builder;
  }

  private finish(): OverlayStep {
    const b = this.out();
    this.builder = undefined;
    return b.finish();
  }
}
