import { requireNodeContext, ConfigError, emptyStep, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Rng, type Step } from "@synod/core";
import { tune, type TunedParameters } from "./adaptive.js";
import { Awareness } from "./awareness.js";
import { BroadcastQueue } from "./broadcast-queue.js";
import { BuddyPings } from "./buddy-pings.js";
import { resolveGossipConfig, type GossipConfig } from "./config.js";
import { KvStore, type OwnerState } from "./kv-store.js";
import { isDeadOrLeft, type MemberState } from "./member-state.js";
import { memberPositions, MemberView, viewEntry, type ViewEntry } from "./member-view.js";
import { gossipMessageCodec, MAX_KV_KEY_LENGTH, MAX_KV_VALUE_LENGTH } from "./messages.js";
import type { ChangeCause, GossipMessage, GossipOutput, GossipRecord, GossipRequest, MembershipEvent, PushPullEntry, Update } from "./messages.js";
import type { TunedParameter } from "./messages.js";
import type { KvDeltaEntry, KvDigestEntry } from "./messages.js";
import { ProbeOrder } from "./probe-order.js";
import { PushPullState } from "./push-pull.js";
import { Scuttlebutt } from "./scuttlebutt.js";
import { supersedes } from "./supersedes.js";
import { minSuspicionTicks, Suspicion } from "./suspicion.js";
import { SuspicionTable } from "./suspicion-table.js";

type Builder = StepBuilder<GossipMessage, GossipOutput, GossipRecord>;
type GossipStep = Step<GossipMessage, GossipOutput, GossipRecord>;

/**
 * Versions a member skips after recovering from corrupted storage: a write it persisted may be lost
 * there while peers hold it, and reusing its version for another write would never converge.
 */
export const KV_CORRUPTION_VERSION_GAP = 1 << 20;

/** The probe in progress: one target per probe period. */
interface Probe {
  readonly target: number;
  readonly seq: number;
  /** Tick after which, without an ack, the indirect probes go out. */
  readonly indirectAt: number;
  /** A probe of a member held dead: an ack revives it, silence changes nothing (memberlist gossips to the dead too). */
  readonly reclaim: boolean;
  acked: boolean;
  /** Acked before the indirect probes went out (adaptive tuning's loss measurement). */
  ackedDirectly: boolean;
  indirectSent: boolean;
  nacksExpected: number;
  nacks: number;
}

/** An indirect probe this member runs for another (`pingReq`). */
interface Relay {
  readonly origin: number;
  readonly originSeq: number;
  readonly deadline: number;
  readonly nack: boolean;
}

/** What a member rejected or ignored, by reason (bad input is counted, never fatal). */
export interface GossipCounters {
  /** Messages from an id that is not a member (or from this member's own id). */
  unknownSender: number;
  /** Updates about, or claimed by, an id that is not a member. */
  unknownMember: number;
  /** Pings for another target, ping requests about oneself or an unknown target. */
  misdirected: number;
  /** Acks, nacks, push-pull and key-value replies that match no probe, relay, buddy ping or exchange in progress (late or forged). */
  stale: number;
  /** Death claims turned into suspicions (a death is accepted only through the suspicion protocol). */
  deathsAsSuspicions: number;
  /**
   * Messages whose bytes do not decode (receiveBytes: too long, an entry of the wrong shape, a key or
   * value too long, too many entries), and push-pulls and key-value digests whose window is not one of
   * the member order (an unknown first member, a span of 0 or above n): dropped.
   */
  malformed: number;
}

/**
 * A SWIM member with Lifeguard (Das et al. 2002; Dadgar et al. 2018; after hashicorp/memberlist).
 *
 * Every probe period it probes one member (shuffled round robin); without an ack within the probe
 * timeout it asks `indirectChecks` others to probe; without any ack by the end of the period it
 * suspects the target. A suspicion becomes a death when its timeout expires unless the suspected
 * member refutes it with a higher incarnation. Updates ride on probes and acks.
 *
 * Lifeguard: the local health score scales probe periods and timeouts; suspicions start at the
 * maximum timeout and shrink with independent confirmations; relays send nacks; a probe of a
 * suspected member carries the suspicion first (the buddy system), and a suspicion heard by gossip
 * asks the accused itself (a ping) before it expires.
 *
 * A death claimed by another member is never taken on its word: it starts (or hastens to the minimum
 * timeout) a local suspicion, which the accused member can still refute.
 */
export class GossipNode implements ProtocolNode<GossipMessage, GossipRequest, GossipOutput, GossipRecord> {
  readonly id: NodeId;
  readonly config: GossipConfig;
  /** The members, in the cluster's stable order. */
  readonly members: readonly NodeId[];
  /** Lifeguard's local health score. */
  readonly awareness: Awareness;
  /** Rejected and ignored input, by reason. */
  readonly counters: GossipCounters = { unknownSender: 0, unknownMember: 0, misdirected: 0, stale: 0, deathsAsSuspicions: 0, malformed: 0 };
  /**
   * Suspicions started here (by own probes or gossip), deaths declared here by timeout, refutations,
   * probes and messages sent, push-pull exchanges started here and view entries they changed (both ways).
   */
  readonly stats = {
    ...{ suspicionsStarted: 0, deathsDeclared: 0, refutations: 0, probes: 0, messagesSent: 0, pushPulls: 0, pushPullChanges: 0 },
    /** Key-value exchanges started here, and writes taken from them. */
    ...{ kvSyncs: 0, kvApplied: 0 },
  };

  private readonly rng: Rng;
  private readonly positions: ReadonlyMap<NodeId, number>;
  private readonly self: number;
  private readonly view = new MemberView();
  private readonly queue: BroadcastQueue;
  private readonly suspicions = new SuspicionTable((tick) => this.wake(tick));
  private readonly relays = new Map<number, Relay>();
  private readonly buddyPings: BuddyPings;
  private readonly order: ProbeOrder;
  private readonly pushPullState: PushPullState;
  /** The replicated key-value state: this member's own writes and what it holds of the others'. */
  private readonly kv = new KvStore();
  private readonly scuttlebutt: Scuttlebutt;
  /** This member's last write version (at least every version it ever gave a write). */
  private kvVersion = 0;
  private nextKvSyncTick = Infinity;
  /** The member of the key-value exchange this member started last, until its reply comes (else −1). */
  private kvPeer = -1;
  /** Members whose digest this member answered with a request, until their writes come (member position as the key). */
  private readonly kvAwaited: BuddyPings;
  private readonly minSuspicion: number;
  private readonly maxSuspicion: number;
  private readonly expectedConfirmations: number;
  private own: number;
  private ownState: MemberState = "alive";
  private now = 0;
  private nextSeq = 1;
  private probe: Probe | undefined;
  private nextProbeTick: number;
  private nextPushPullTick = Infinity;
  /**
   * A tick before which a tick has nothing to do but count: no relay deadline, buddy ping or awaited
   * key-value expiry, suspicion timeout, probe, push-pull or key-value exchange is due earlier.
   * Recomputed by each tick that does the work ({@link nextDueTick}), lowered wherever an input
   * schedules something earlier ({@link wake}).
   */
  private quietUntil = 0;
  /** The tick at which the probe in progress asks others to probe its target; Infinity once acked or asked (or with no probe). */
  private indirectDue = Infinity;
  /** The member of the push-pull exchange this member started last, until its reply comes (else −1). */
  private pushPullPeer = -1;
  /** Adaptive tuning: the parameters in force (the configured ones when it is off). */
  private tuned: TunedParameters;
  /** Adaptive tuning: the smoothed one-way loss estimate (undefined until a window measured it). */
  private loss: number | undefined;
  /** Adaptive tuning: the current window's probes by outcome. */
  private readonly window = { probes: 0, direct: 0, indirect: 0, failed: 0 };
  /** The sender of the message being handled when it does not know what is held of it (else −1). */
  private unaware = -1;
  /** Records and outputs owed since construction (the incarnation after a restart, an alarm). */
  private owed: { record?: GossipRecord; alarm?: string; recovered?: boolean } | undefined;

  constructor(ctx: NodeContext<GossipRecord>, config: Partial<GossipConfig> = {}) {
    requireNodeContext({ ctx }, "GossipNode"); // the context as its driver passed it
    this.config = resolveGossipConfig(config);
    this.id = ctx.id;
    this.members = ctx.members;
    this.rng = ctx.rng;
    this.positions = memberPositions(ctx.members);
    const self = this.positions.get(ctx.id);
    if (self === undefined) {
      throw new ConfigError("id", `${ctx.id} is not one of the members (${ctx.members.join(", ")}): give a member's id, or add it to members`);
    }
    this.self = self;
    const n = ctx.members.length;
    this.queue = new BroadcastQueue(this.config.retransmitMult * Math.max(1, Math.ceil(Math.log10(n + 1))));
    this.tuned = { indirectChecks: this.config.indirectChecks, retransmitLimit: this.queue.transmitLimit, probeIntervalTicks: this.config.probeIntervalTicks };
    this.order = new ProbeOrder(n, this.rng.fork("probe-order"));
    this.minSuspicion = minSuspicionTicks(this.config.suspicionMult, n, this.config.probeIntervalTicks);
    this.maxSuspicion = this.config.lifeguard ? this.minSuspicion * this.config.suspicionMaxTimeoutMult : this.minSuspicion;
    this.expectedConfirmations = this.config.lifeguard ? Math.max(0, Math.min(this.config.indirectChecks, n - 2)) : 0;
    this.awareness = new Awareness(this.config.lifeguard ? this.config.awarenessMaxMultiplier : 1);
    this.buddyPings = new BuddyPings(this.config.probeIntervalTicks * this.config.awarenessMaxMultiplier, (tick) => this.wake(tick));
    // Spread the first probes over one period so that members do not probe in lockstep.
    this.nextProbeTick = this.rng.int(1, this.config.probeIntervalTicks + 1);
    this.pushPullState = new PushPullState(ctx.members, self);
    // Likewise for push-pull exchanges (no draw when they are off: runs without them stay as they were).
    if (this.config.pushPullIntervalTicks > 0) this.nextPushPullTick = this.rng.int(1, this.config.pushPullIntervalTicks + 1);
    this.scuttlebutt = new Scuttlebutt(ctx.members);
    this.kvAwaited = new BuddyPings(this.config.probeIntervalTicks * this.config.awarenessMaxMultiplier, (tick) => this.wake(tick));
    if (this.config.kvSyncIntervalTicks > 0) this.nextKvSyncTick = this.rng.fork("kv-sync").int(1, this.config.kvSyncIntervalTicks + 1);

    const { records, corrupted, tornTail } = ctx.recovered;
    let last = -1;
    for (const record of records) {
      last = Math.max(last, record.incarnation);
      if (record.kv === undefined) continue;
      const [key, value, version] = record.kv;
      this.kv.apply(this.self, key, value, version);
      this.kvVersion = Math.max(this.kvVersion, version);
    }
    if (corrupted > 0 && this.kvVersion > 0) this.kvVersion += KV_CORRUPTION_VERSION_GAP;
    // A restart announces a higher incarnation than any it had (a crash may have hidden a refutation).
    this.own = last + 1;
    this.owed = { record: { incarnation: this.own } };
    // The application restarted too: it is told its own keys as recovered (in the first step).
    if (this.kv.ownerCount > 0) this.owed.recovered = true;
    if (corrupted > 0) this.owed.alarm = `recovered storage had ${corrupted} corrupted record(s)${tornTail ? " and a torn tail" : ""}: the incarnation may be stale; peers' replies will make it refute`;
    if (this.own > 0) this.queue.enqueue({ state: "alive", member: this.id, incarnation: this.own, from: this.id });
  }

  // ---- read-only API (invariants, metrics, tests) ---------------------------------------------

  /** This member's own incarnation. */
  get incarnation(): number {
    return this.own;
  }

  /** This member's own state: alive, or left after a graceful leave. */
  get state(): MemberState {
    return this.ownState;
  }

  /** Ticks handled since this node started. */
  get ticks(): number {
    return this.now;
  }

  /** @returns what this member holds of `member` (undefined for an unknown id; its own entry for itself) */
  viewOf(member: NodeId): ViewEntry | undefined {
    const position = this.positions.get(member);
    if (position === undefined) return undefined;
    if (position === this.self) return viewEntry(this.ownState, this.own);
    return this.view.get(position);
  }

  /** Other members held in a state other than alive. */
  get notAliveCount(): number {
    return this.view.notAliveCount;
  }

  /** Sum of the incarnations held for the other members. */
  get heldIncarnationSum(): number {
    return this.view.incarnationSum;
  }

  /** The entries of other members that differ from alive at 0, by member position. */
  changedEntries(): IterableIterator<[number, ViewEntry]> {
    return this.view.entries();
  }

  /** Suspicions in progress here. */
  get suspicionCount(): number {
    return this.suspicions.size;
  }

  /** Updates waiting in the piggyback queue. */
  get queuedUpdates(): number {
    return this.queue.size;
  }

  /** The probe fanout, retransmit limit and probe interval in force (adaptive tuning; else as configured). */
  get tunedParameters(): TunedParameters {
    return this.tuned;
  }

  /** Adaptive tuning's smoothed one-way loss estimate (0 when it is off). */
  get lossEstimate(): number {
    return this.loss ?? 0;
  }

  /** The suspicion timeout bounds here, in ticks. */
  get suspicionTimeoutTicks(): { readonly min: number; readonly max: number } {
    return { min: this.minSuspicion, max: this.maxSuspicion };
  }

  /** @returns the value of `key` of `owner`'s key-value state, as held here (undefined: none held) */
  kvGet(owner: NodeId, key: string): string | undefined {
    const position = this.positions.get(owner);
    return position === undefined ? undefined : this.kv.owner(position)?.keys.get(key)?.value;
  }

  /** @returns `owner`'s key-value state as held here: key → value (empty when none held) */
  kvEntries(owner: NodeId): Map<string, string> {
    const position = this.positions.get(owner);
    const state = position === undefined ? undefined : this.kv.owner(position);
    return new Map(Array.from(state?.keys ?? [], ([key, { value }]) => [key, value]));
  }

  /** @returns what is held here of the owner at member position `position` (the simulator compares it with the owner's history) */
  kvOwnerState(position: number): Readonly<OwnerState> | undefined {
    return this.kv.owner(position);
  }

  /** @returns the highest version held here of the owner at member position `position` (0: none) */
  kvMaxVersion(position: number): number {
    return this.kv.maxVersion(position);
  }

  /** Owners of which some key-value state is held here. */
  get kvOwnerCount(): number {
    return this.kv.ownerCount;
  }

  // ---- inputs ----------------------------------------------------------------------------------

  tick(): GossipStep {
    // Most ticks have nothing due: they only count, without a look at the timers' structures (at
    // 10,000 members each look is a cache miss), and answer the empty step the full pass would.
    if (this.now + 1 < this.quietUntil && this.now + 1 < this.indirectDue && this.owed === undefined) {
      this.now++;
      return emptyStep();
    }
    const b = this.begin();
    this.now++;
    let relayDue = Infinity;
    if (this.relays.size > 0) for (const [seq, relay] of this.relays) {
      if (this.now < relay.deadline) {
        relayDue = Math.min(relayDue, relay.deadline);
        continue;
      }
      this.relays.delete(seq);
      if (relay.nack) this.send(b, relay.origin, { type: "nack", seq: relay.originSeq, inc: this.own });
    }
    this.buddyPings.expire(this.now);
    this.kvAwaited.expire(this.now);
    for (const [position, suspicion] of this.suspicions.takeExpired(this.now)) {
      if (suspicion.checksLeft > 0 && this.ownState !== "left") {
        // Heard by gossip only: ask the accused itself before declaring it dead, again if no ack came
        // (a lost ping or ack must not kill a live member: `buddyChecks` attempts, one probe timeout each).
        suspicion.extend(this.awareness.scale(this.config.probeTimeoutTicks));
        this.suspicions.set(position, suspicion);
        this.pingAccused(b, position);
        continue;
      }
      const final = suspicion.final;
      this.stats.deathsDeclared++;
      this.change(b, position, final, suspicion.incarnation, "timeout");
      this.queue.enqueue({ state: final, member: this.members[position] as NodeId, incarnation: suspicion.incarnation, from: this.id });
    }
    if (this.ownState !== "left") {
      const probe = this.probe;
      if (probe !== undefined && !probe.acked && !probe.indirectSent && this.now >= probe.indirectAt) this.probeIndirectly(b, probe);
      if (this.now >= this.nextProbeTick) {
        this.finishProbe(b);
        this.startProbe(b);
      }
      if (this.now >= this.nextPushPullTick) this.startPushPull(b);
      if (this.now >= this.nextKvSyncTick) this.startKvSync(b);
    }
    this.quietUntil = this.nextDueTick(relayDue);
    return b.finish();
  }

  /**
   * @param relayDue - the earliest deadline of the relays in progress (Infinity: none)
   * @returns the first tick at which a tick may have work (but the indirect probe: {@link indirectDue}); every
   *   condition `tick` tests is "now ≥ some tick"
   */
  private nextDueTick(relayDue: number): number {
    const due = Math.min(relayDue, this.buddyPings.nextExpiry, this.kvAwaited.nextExpiry, this.suspicions.nextExpiry);
    return this.ownState === "left" ? due : Math.min(due, this.nextProbeTick, this.nextPushPullTick, this.nextKvSyncTick);
  }

  /** Something an input scheduled is due at tick `due`: the tick then does the work. */
  private wake(due: number): void {
    if (due < this.quietUntil) this.quietUntil = due;
  }

  /** Handle the bytes of a message from `from`: decoded by gossipMessageCodec, else counted in `malformed` and dropped. */
  receiveBytes(from: NodeId, bytes: Uint8Array): GossipStep {
    const decoded = gossipMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.counters.malformed++;
    return this.begin().finish();
  }

  receive(from: NodeId, message: GossipMessage): GossipStep {
    const sender = this.positions.get(from);
    if (sender === undefined || sender === this.self) {
      this.counters.unknownSender++;
      return this.begin().finish();
    }
    const windowed = message.type === "pushPull" || message.type === "kvDigest";
    const first = windowed ? this.positions.get(message.first) : undefined;
    if (windowed && (first === undefined || message.span < 1 || message.span > this.members.length)) {
      this.counters.malformed++;
      return this.begin().finish();
    }
    const b = this.begin();
    this.directEvidence(b, sender, message.inc);
    if ("updates" in message) for (const update of message.updates) this.applyUpdate(b, update);
    switch (message.type) {
      case "ping":
        if (message.target !== this.id) {
          this.counters.misdirected++;
          break;
        }
        this.send(b, sender, { type: "ack", seq: message.seq, inc: this.own, updates: this.piggyback(sender) });
        break;
      case "pingReq":
        this.relay(b, sender, message);
        break;
      case "ack": {
        const relay = this.relays.get(message.seq);
        if (this.probe !== undefined && this.probe.seq === message.seq) {
          this.probeAcked(this.probe);
        } else if (relay !== undefined) {
          this.relays.delete(message.seq);
          this.send(b, relay.origin, { type: "ack", seq: relay.originSeq, inc: this.own, updates: this.piggyback(relay.origin) });
        } else if (!this.buddyPings.answered(message.seq)) {
          this.counters.stale++;
        }
        break;
      }
      case "nack":
        if (this.probe !== undefined && this.probe.seq === message.seq && this.probe.indirectSent) this.probe.nacks++;
        else this.counters.stale++;
        break;
      case "pushPull":
        this.answerPushPull(b, sender, first as number, message);
        break;
      case "pushPullReply":
        if (this.pushPullPeer !== sender) {
          this.counters.stale++;
          break;
        }
        this.pushPullPeer = -1;
        this.mergePushPull(b, sender, message.entries);
        break;
      case "kvDigest":
      case "kvReply":
      case "kvDelta":
        this.receiveKv(b, sender, first ?? -1, message);
        break;
    }
    this.unaware = -1;
    return b.finish();
  }

  /** A ping request from `sender`: probe its target on the sender's behalf (a nack at the deadline when asked, without an ack by then). */
  private relay(b: Builder, sender: number, message: Extract<GossipMessage, { type: "pingReq" }>): void {
    const target = this.positions.get(message.target);
    if (target === undefined || target === this.self || target === sender) {
      this.counters.misdirected++;
      return;
    }
    const seq = this.nextSeq++;
    const deadline = this.now + this.config.probeTimeoutTicks;
    this.relays.set(seq, { origin: sender, originSeq: message.seq, deadline, nack: message.nack });
    this.wake(deadline);
    this.send(b, target, { type: "ping", seq, target: message.target, inc: this.own, updates: this.piggyback(target) });
  }

  request(input: GossipRequest): GossipStep {
    const b = this.begin();
    if (input.type === "set") {
      this.setKey(b, input.key, input.value);
      return b.finish();
    }
    if (input.type === "leave" && this.ownState !== "left") {
      this.ownState = "left";
      this.probe = undefined;
      this.indirectDue = Infinity;
      const update: Update = { state: "left", member: this.id, incarnation: this.own, from: this.id };
      this.queue.enqueue(update);
      // Tell a few members directly; the rest learn it by gossip from them.
      for (const position of this.sample(this.config.indirectChecks + 1, -1)) {
        this.send(b, position, { type: "ping", seq: this.nextSeq++, target: this.members[position] as NodeId, inc: this.own, updates: [update] });
      }
    }
    return b.finish();
  }

  // ---- probing ----------------------------------------------------------------------------------

  private startProbe(b: Builder): void {
    const period = this.awareness.scale(this.tuned.probeIntervalTicks);
    this.nextProbeTick = this.now + period;
    const target = this.nextTarget();
    if (target === undefined) return;
    const seq = this.nextSeq++;
    const reclaim = this.view.get(target).state === "dead";
    this.probe = { target, seq, reclaim, indirectAt: reclaim ? Infinity : this.now + this.awareness.scale(this.config.probeTimeoutTicks), acked: false, ackedDirectly: false, indirectSent: false, nacksExpected: 0, nacks: 0 };
    this.indirectDue = this.probe.indirectAt;
    this.stats.probes++;
    this.send(b, target, { type: "ping", seq, target: this.members[target] as NodeId, inc: this.own, updates: this.piggyback(target, this.config.lifeguard) });
  }

  /** An ack of the probe in progress (direct, or relayed); adaptive tuning counts whether it came before the relays were asked. */
  private probeAcked(probe: Probe): void {
    if (!probe.acked) probe.ackedDirectly = !probe.indirectSent;
    probe.acked = true;
    this.indirectDue = Infinity;
  }

  private probeIndirectly(b: Builder, probe: Probe): void {
    probe.indirectSent = true;
    this.indirectDue = Infinity;
    const helpers = this.sample(this.tuned.indirectChecks, probe.target);
    const target = this.members[probe.target] as NodeId;
    for (const helper of helpers) {
      this.send(b, helper, { type: "pingReq", seq: probe.seq, target, nack: this.config.lifeguard, inc: this.own, updates: this.piggyback(helper) });
    }
    if (this.config.lifeguard) probe.nacksExpected = helpers.length;
  }

  /** The probe period ended: an unanswered probe makes the target suspect; health follows the outcome. */
  private finishProbe(b: Builder): void {
    const probe = this.probe;
    if (probe === undefined) return;
    this.probe = undefined;
    this.indirectDue = Infinity;
    if (probe.reclaim) return;
    if (this.config.adaptive) this.observe(b, probe);
    if (probe.acked) {
      this.health(b, -1);
      return;
    }
    // Lifeguard: missing nacks mean the problem may be here, not at the target.
    this.health(b, probe.nacksExpected > 0 ? probe.nacksExpected - probe.nacks : 1);
    const entry = this.view.get(probe.target);
    if (entry.state === "alive") this.suspect(b, probe.target, entry.incarnation, this.id, "probe");
    else if (entry.state === "suspect" && this.suspicions.get(probe.target)?.confirm(this.id) === true) {
      this.suspicions.reschedule(probe.target);
      // Lifeguard: our own failed probe of a member already suspected is an independent confirmation;
      // spread it under our name so that the others' timeouts shrink too.
      this.queue.enqueue({ state: "suspect", member: this.members[probe.target] as NodeId, incarnation: entry.incarnation, from: this.id });
    }
  }

  /**
   * Adaptive tuning: count the probe's outcome; at the end of a window, re-choose the parameters
   * from the window (`tune`) and output each change with the measured inputs.
   */
  private observe(b: Builder, probe: Probe): void {
    const w = this.window;
    w.probes++;
    if (!probe.acked) w.failed++;
    else if (probe.ackedDirectly) w.direct++;
    else w.indirect++;
    if (w.probes < this.config.adaptiveWindowProbes) return;
    const members = this.members.length - this.view.deadOrLeftCount;
    const { parameters, loss, windowLoss } = tune(this.config, this.loss, { ...w, members });
    if (windowLoss !== undefined || this.loss !== undefined) this.loss = loss;
    const reason = { ...w, ...(windowLoss === undefined ? {} : { windowLoss }), loss, members };
    for (const parameter of ["indirectChecks", "retransmitLimit", "probeIntervalTicks"] as const satisfies readonly TunedParameter[]) {
      const from = this.tuned[parameter];
      const to = parameters[parameter];
      if (from !== to) b.output({ type: "tuned", parameter, from, to, reason });
    }
    if (parameters.retransmitLimit !== this.tuned.retransmitLimit) this.queue.setLimit(parameters.retransmitLimit);
    this.tuned = parameters;
    w.probes = w.direct = w.indirect = w.failed = 0;
  }

  /**
   * @returns the next member to probe, or undefined when there is none: any member but this one and
   * those that left. Members held dead are probed too, once per pass: two members that each hold the
   * other dead after a partition would otherwise never speak again once the refutations stopped
   * being gossiped (the ack or the ping carries the newer incarnation; see `directEvidence`).
   */
  private nextTarget(): number | undefined {
    for (let tries = 0; tries < this.members.length; tries++) {
      const position = this.order.next();
      if (position !== this.self && this.view.get(position).state !== "left") return position;
    }
    return undefined;
  }

  /** @returns up to `count` distinct members other than this one and `exclude` that are not dead */
  private sample(count: number, exclude: number): number[] {
    const n = this.members.length;
    const out: number[] = [];
    for (let tries = 0; out.length < count && tries < 4 * count + 8; tries++) {
      const position = this.rng.int(0, n);
      if (position === this.self || position === exclude || out.includes(position)) continue;
      if (isDeadOrLeft(this.view.get(position).state)) continue;
      out.push(position);
    }
    return out;
  }

  // ---- push-pull anti-entropy ------------------------------------------------------------------

  /**
   * Every `pushPullIntervalTicks`: send what we hold (a window of the member order when it does not
   * all fit one message; see `PushPullState`) to one random member that is not held dead or left; it
   * merges and replies with what it holds newer. Piggybacked rumours die out after λ·log(n)
   * transmissions, and a member they missed otherwise learns only when its round robin reaches the
   * member concerned (n probe periods); an exchange with a random member corrects it within a few intervals.
   */
  private startPushPull(b: Builder): void {
    this.nextPushPullTick = this.now + this.config.pushPullIntervalTicks;
    const [peer] = this.sample(1, -1);
    if (peer === undefined) return;
    const first = this.rng.int(0, this.members.length);
    const { span, entries } = this.pushPullState.push(this.view, first, peer);
    this.pushPullPeer = peer;
    this.stats.pushPulls++;
    this.send(b, peer, { type: "pushPull", inc: this.own, first: this.members[first] as NodeId, span, entries });
  }

  /** Answer a push-pull from what was held before merging it (memberlist's order): what supersedes the push. */
  private answerPushPull(b: Builder, sender: number, first: number, message: Extract<GossipMessage, { type: "pushPull" }>): void {
    const theirs = new Map<number, ViewEntry>();
    for (const [member, incarnation, state] of message.entries) {
      const position = this.positions.get(member);
      if (position !== undefined) theirs.set(position, viewEntry(state, incarnation));
    }
    const entries = this.pushPullState.reply(this.view, first, message.span, theirs, sender, message.inc);
    this.mergePushPull(b, sender, message.entries);
    this.send(b, sender, { type: "pushPullReply", inc: this.own, entries });
  }

  /**
   * Merge the entries of a push-pull from `sender` by the override rule (`supersedes`), so a stale
   * entry never overrides a newer one. An alive entry is taken as a piggybacked alive is. Suspect,
   * dead and left are what the sender holds, not what it saw: each starts a suspicion here at that
   * incarnation (memberlist's mergeState does so with dead), which the accused can refute and, under
   * Lifeguard, is asked about before it expires; it ends as the entry's death or leave; it is not
   * gossiped on (the sender need not have accused: see `suspect`). A suspicion
   * already held is neither confirmed nor hastened (the sender may hold it by hearsay; Lifeguard counts
   * independent accusers only). An accusation of this member is refuted; what the sender says of
   * itself is its `inc`, so its own entry is skipped.
   */
  private mergePushPull(b: Builder, sender: number, entries: readonly PushPullEntry[]): void {
    const accuser = this.members[sender] as NodeId;
    for (const [member, incarnation, state] of entries) {
      const position = this.positions.get(member);
      if (position === undefined) {
        this.counters.unknownMember++;
        continue;
      }
      if (position === sender) continue;
      if (position === this.self) {
        this.aboutSelf(b, { state, member, incarnation, from: accuser });
        continue;
      }
      const before = this.view.get(position);
      if (state === "alive") {
        this.applyUpdate(b, { state, member, incarnation, from: member }, "pushPull");
      } else {
        const suspicion = this.suspect(b, position, incarnation, accuser, "pushPull");
        if (suspicion !== undefined && state !== "suspect") {
          suspicion.final = state;
          this.counters.deathsAsSuspicions++;
        }
      }
      if (this.view.get(position) !== before) this.stats.pushPullChanges++;
    }
  }

  // ---- Scuttlebutt anti-entropy of the key-value state --------------------------------------------

  /** A write of this member's own state: the next version, persisted before it can be gossiped. */
  private setKey(b: Builder, key: string, value: string): void {
    const reason =
      this.ownState === "left"
        ? "this member left"
        : typeof key !== "string" || key.length > MAX_KV_KEY_LENGTH
          ? `keys are at most ${MAX_KV_KEY_LENGTH} characters`
          : typeof value !== "string" || value.length > MAX_KV_VALUE_LENGTH
            ? `values are at most ${MAX_KV_VALUE_LENGTH} characters`
            : undefined;
    if (reason !== undefined) {
      b.output({ type: "kvRejected", key: String(key), reason });
      return;
    }
    const version = ++this.kvVersion;
    b.persist({ incarnation: this.own, kv: [key, value, version] });
    this.kv.apply(this.self, key, value, version);
    b.output({ type: "kvUpdated", owner: this.id, key, value, version, cause: "local" });
  }

  /** Every `kvSyncIntervalTicks`: send the digest to one random member that is not held dead or left. */
  private startKvSync(b: Builder): void {
    this.nextKvSyncTick = this.now + this.config.kvSyncIntervalTicks;
    const [peer] = this.sample(1, -1);
    if (peer === undefined) return;
    const first = this.rng.int(0, this.members.length);
    const { span, digest } = this.scuttlebutt.digest(this.kv, first);
    this.kvPeer = peer;
    this.stats.kvSyncs++;
    this.send(b, peer, { type: "kvDigest", inc: this.own, first: this.members[first] as NodeId, span, digest });
  }

  /** A Scuttlebutt message from `sender` (`first`: the position of a digest's window start). */
  private receiveKv(b: Builder, sender: number, first: number, message: Extract<GossipMessage, { type: "kvDigest" | "kvReply" | "kvDelta" }>): void {
    if (message.type === "kvDigest") return this.answerKvDigest(b, sender, first, message.span, message.digest);
    if (message.type === "kvReply" ? this.kvPeer !== sender : !this.kvAwaited.answered(sender)) {
      this.counters.stale++;
      return;
    }
    this.mergeKv(b, message.deltas);
    if (message.type !== "kvReply") return;
    this.kvPeer = -1;
    if (message.request.length > 0) this.answerKvRequest(b, sender, message.request);
  }

  /** Answer a digest: the writes the sender lacks, and a request for what it holds newer (then awaited). */
  private answerKvDigest(b: Builder, sender: number, first: number, span: number, digest: readonly KvDigestEntry[]): void {
    const theirs = new Map<number, number>();
    for (const [owner, version] of digest) {
      const position = this.positions.get(owner);
      if (position === undefined) this.counters.unknownMember++;
      else theirs.set(position, version);
    }
    const { deltas, request } = this.scuttlebutt.reply(this.kv, first, span, theirs);
    if (request.length > 0) this.kvAwaited.add(sender, this.now);
    this.send(b, sender, { type: "kvReply", inc: this.own, deltas, request });
  }

  /** Answer a reply's request: the writes newer than each version asked about. */
  private answerKvRequest(b: Builder, sender: number, request: readonly KvDigestEntry[]): void {
    const wanted: Array<[number, number]> = [];
    for (const [owner, version] of request) {
      const position = this.positions.get(owner);
      if (position === undefined) this.counters.unknownMember++;
      else wanted.push([position, version]);
    }
    this.send(b, sender, { type: "kvDelta", inc: this.own, deltas: this.scuttlebutt.deltas(this.kv, wanted) });
  }

  /**
   * Take the writes of a delta (per owner oldest first, as sent). A write of this member's own that it
   * does not hold (lost with corrupted storage) is taken back too, and its version is never reused.
   */
  private mergeKv(b: Builder, deltas: readonly KvDeltaEntry[]): void {
    for (const [owner, key, value, version] of deltas) {
      const position = this.positions.get(owner);
      if (position === undefined) {
        this.counters.unknownMember++;
        continue;
      }
      if (position === this.self) this.kvVersion = Math.max(this.kvVersion, version);
      if (!this.kv.apply(position, key, value, version)) continue;
      this.stats.kvApplied++;
      b.output({ type: "kvUpdated", owner, key, value, version, cause: "gossip" });
    }
  }

  // ---- membership updates -----------------------------------------------------------------------

  /**
   * A message from `sender` proves it runs at incarnation `inc`: newer than what is held, it is
   * alive there. Older than what is held (it restarted from damaged storage), or not newer while it
   * is held suspect or dead, it does not know: what we hold of it rides first on our reply, and it refutes.
   */
  private directEvidence(b: Builder, sender: number, inc: number): void {
    const entry = this.view.get(sender);
    this.unaware = -1;
    if (inc > entry.incarnation) {
      this.suspicions.delete(sender);
      this.change(b, sender, "alive", inc, "gossip");
      this.queue.enqueue({ state: "alive", member: this.members[sender] as NodeId, incarnation: inc, from: this.members[sender] as NodeId });
    } else if (inc < entry.incarnation || entry.state !== "alive") {
      this.unaware = sender;
    }
  }

  /** Apply a claim about a member (`cause`: piggybacked by gossip, or an entry of a push-pull exchange). */
  private applyUpdate(b: Builder, update: Update, cause: ChangeCause = "gossip"): void {
    const member = this.positions.get(update.member);
    if (member === undefined || !this.positions.has(update.from)) {
      this.counters.unknownMember++;
      return;
    }
    if (member === this.self) return this.aboutSelf(b, update);
    const entry = this.view.get(member);
    switch (update.state) {
      case "alive":
        if (!supersedes("alive", update.incarnation, entry.state, entry.incarnation)) return;
        this.suspicions.delete(member);
        this.change(b, member, "alive", update.incarnation, cause);
        this.queue.enqueue(update);
        return;
      case "suspect": {
        const suspicion = this.suspicions.get(member);
        if (entry.state === "suspect" && entry.incarnation === update.incarnation && suspicion !== undefined) {
          if (suspicion.confirm(update.from)) {
            this.suspicions.reschedule(member);
            this.queue.enqueue(update);
          }
          return;
        }
        this.suspect(b, member, update.incarnation, update.from, cause);
        return;
      }
      case "dead":
      case "left": {
        if (update.state === "left" && update.from === update.member && supersedes("left", update.incarnation, entry.state, entry.incarnation)) {
          // A member's own leave: `from` names the member, and a leave claimed for another is only a suspicion.
          this.suspicions.delete(member);
          this.change(b, member, "left", update.incarnation, cause);
          this.queue.enqueue(update);
          return;
        }
        if (!this.config.deathAsSuspicion) {
          if (!supersedes(update.state, update.incarnation, entry.state, entry.incarnation)) return;
          this.suspicions.delete(member);
          this.change(b, member, update.state, update.incarnation, cause);
          this.queue.enqueue(update);
          return;
        }
        const suspicion = this.suspicions.get(member);
        if (entry.state === "suspect" && entry.incarnation === update.incarnation && suspicion !== undefined) {
          suspicion.confirm(update.from);
          suspicion.final = update.state;
          suspicion.hasten();
          this.suspicions.reschedule(member);
          return;
        }
        if (!supersedes("suspect", update.incarnation, entry.state, entry.incarnation)) return;
        this.counters.deathsAsSuspicions++;
        const started = this.suspect(b, member, update.incarnation, update.from, cause);
        if (started !== undefined) {
          started.final = update.state;
          started.hasten();
          this.suspicions.reschedule(member);
        }
        return;
      }
    }
  }

  /**
   * Suspect `member` at `incarnation` on `from`'s word, when that supersedes what is held, and spread
   * the suspicion under `from`'s name — except one taken from a push-pull: its sender holds it, but
   * need not have accused, and others count every name a suspicion reaches them under as an
   * independent confirmation (Lifeguard), which would shorten the accuser's timeout below the time
   * the accused needs to hear it and refute.
   */
  private suspect(b: Builder, member: number, incarnation: number, from: NodeId, cause: ChangeCause): (Suspicion) | undefined {
    const entry = this.view.get(member);
    if (!supersedes("suspect", incarnation, entry.state, entry.incarnation)) return undefined;
    const suspicion = new Suspicion(incarnation, this.now, from, this.expectedConfirmations, this.minSuspicion, this.maxSuspicion);
    this.suspicions.set(member, suspicion);
    this.stats.suspicionsStarted++;
    this.change(b, member, "suspect", incarnation, cause);
    if (cause !== "pushPull") this.queue.enqueue({ state: "suspect", member: this.members[member] as NodeId, incarnation, from });
    if (cause !== "probe" && this.config.lifeguard) suspicion.checksLeft = this.config.buddyChecks;
    return suspicion;
  }

  /**
   * Lifeguard's buddy system, as a last check: a suspicion heard only from other members is sent to
   * the accused in a ping of its own when it would expire (and waits one probe timeout more), instead
   * of waiting for our round robin to reach the accused (n probe periods). Its ack carries the
   * accused's incarnation, refuted if need be, which ends the suspicion here (`directEvidence`).
   * Without it, a suspicion the accused already refuted (or never heard of) keeps being renewed by
   * gossip after the refutation's own rumour has died out — each member that times it out spreads the
   * death again — and live members are declared dead long after the network healed. Asked at expiry,
   * not at once: a suspicion heard by everyone would otherwise bring n pings down on the accused.
   */
  private pingAccused(b: Builder, member: number): void {
    const seq = this.nextSeq++;
    this.buddyPings.add(seq, this.now);
    this.send(b, member, { type: "ping", seq, target: this.members[member] as NodeId, inc: this.own, updates: this.piggyback(member) });
  }

  /** A claim about this member: refute any accusation at or above the current incarnation. */
  private aboutSelf(b: Builder, update: Update): void {
    if (this.ownState === "left") return;
    if (update.state === "alive" ? update.incarnation <= this.own : update.incarnation < this.own) return;
    const next = Math.max(this.own, update.incarnation) + 1;
    this.own = next;
    this.stats.refutations++;
    b.persist({ incarnation: next });
    this.queue.enqueue({ state: "alive", member: this.id, incarnation: next, from: this.id });
    b.output({ type: "refuted", incarnation: next, accusedIncarnation: update.incarnation });
    // Lifeguard: having to refute means others could not hear us in time.
    if (update.state !== "alive") this.health(b, 1);
  }

  /** The one place a view entry changes, so that every change is output as an event. */
  private change(b: Builder, member: number, state: MemberState, incarnation: number, cause: ChangeCause): void {
    const before = this.view.get(member);
    this.view.set(member, viewEntry(state, incarnation));
    const type: MembershipEvent["type"] =
      state === "alive" ? (isDeadOrLeft(before.state) ? "joined" : "updated") : state === "suspect" ? "suspected" : state === "dead" ? "failed" : "left";
    b.output({ type, member: this.members[member] as NodeId, incarnation, previous: before.state, previousIncarnation: before.incarnation, cause });
  }

  private health(b: Builder, delta: number): void {
    if (!this.config.lifeguard || delta === 0) return;
    if (this.awareness.apply(delta)) b.output({ type: "health", score: this.awareness.score });
  }

  // ---- sending ----------------------------------------------------------------------------------

  /**
   * Updates for a message to `to`: what we hold of `to` first when it is suspected or dead here
   * (Lifeguard's buddy system, on probes when `buddy`) or when `to` just showed it does not know
   * (a rejoin with a stale incarnation), then the least-sent queued updates.
   */
  private piggyback(to: number, buddy = true): Update[] {
    const entry = this.view.get(to);
    const max = this.config.maxPiggyback;
    if ((buddy && entry.state !== "alive") || to === this.unaware) {
      const state = entry.state === "left" ? "dead" : entry.state;
      const claim: Update = { state, member: this.members[to] as NodeId, incarnation: entry.incarnation, from: state === "alive" ? (this.members[to] as NodeId) : this.id };
      return [claim, ...this.queue.take(max - 1, claim.member)];
    }
    return this.queue.take(max);
  }

  private send(b: Builder, to: number, message: GossipMessage): void {
    this.stats.messagesSent++;
    b.send({ from: this.id, to: this.members[to] as NodeId, message });
  }

  /** A builder for one input, with what is owed since construction. */
  private begin(): Builder {
    const b: Builder = new StepBuilder();
    const owed = this.owed;
    if (owed !== undefined) {
      this.owed = undefined;
      if (owed.record !== undefined) b.persist(owed.record);
      if (owed.alarm !== undefined) b.output({ type: "alarm", reason: owed.alarm });
      if (owed.recovered === true) {
        for (const [key, { value, version }] of this.kv.newerThan(this.self, 0)) {
          b.output({ type: "kvUpdated", owner: this.id, key, value, version, cause: "recovered" });
        }
      }
    }
    return b;
  }
}
