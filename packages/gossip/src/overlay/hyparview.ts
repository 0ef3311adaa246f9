import type { NodeId, Rng } from "@synod/core";
import { BasaltSampler, linkRank } from "./basalt.js";
import type { OverlayConfig } from "./config.js";
import type { NeighborChangeReason, NeighborPriority, OverlayMessage } from "./messages.js";

/** What HyParView needs from the member that runs it: a clock, a way to send, and the active-view hooks (Plumtree's). */
export interface HyParViewHost {
  /** Current tick. */
  readonly now: number;
  send(to: NodeId, message: OverlayMessage): void;
  /** `peer` entered the active view. */
  neighborUp(peer: NodeId, reason: NeighborChangeReason): void;
  /** `peer` left the active view. */
  neighborDown(peer: NodeId, reason: NeighborChangeReason): void;
}

/** A request in progress: a join sent to a seed, or a neighbour request sent to a passive member. */
interface Pending {
  readonly kind: "join" | NeighborPriority;
  readonly peer: NodeId;
  readonly deadline: number;
}

/** HyParView's bad or odd input, by reason (counted, never fatal). */
export interface HyParViewCounters {
  /** Ids in a join, shuffle or sample that are not members (dropped). */
  unknownMember: number;
  /** Neighbour replies and shuffle replies that answer nothing in progress (taken anyway when harmless). */
  stale: number;
  /**
   * Refused for want of admission (`isAdmitted`), by message type: messages from a member not
   * admitted (HyParView's and Plumtree's, see {@link HyParView.refuses}), and joiners, shuffle
   * origins and shuffled ids not admitted (dropped, never answered).
   */
  notAdmitted: Record<OverlayMessage["type"], number>;
}

/** The messages HyParView handles (the others are Plumtree's). */
export type HyParViewMessage = Exclude<OverlayMessage, { type: "gossip" | "iHave" | "graft" | "prune" }>;

/**
 * HyParView (Leitão, Pereira, Rodrigues, DSN 2007): a small symmetric **active view** (the links
 * Plumtree broadcasts over) and a larger **passive view** (a sample of the membership to replace
 * failed neighbours from).
 *
 * - **Join** through a contact (a seed): the contact takes the joiner into its active view (evicting
 *   a random neighbour when full) and starts a `forwardJoin` random walk of `activeWalk` hops from
 *   each other neighbour; the walk puts the joiner in a passive view at `passiveWalk` and in an active
 *   view where it ends (ttl 0, or a member with a single neighbour). Whoever adds the joiner sends it
 *   `connect`, so that the link is symmetric.
 * - **Failure** of an active neighbour (silence for `failTicks`; heartbeats keep quiet links alive,
 *   the paper's TCP) removes it; a member whose active view is not full asks a random passive member
 *   (`neighbor`: `high` when its view is empty — accepted even by a full view — else `low`); a
 *   rejected or unanswered request moves on to another (an unanswered one drops the member from the
 *   passive view). With both views empty it joins again through a seed.
 * - **Shuffle** every `shuffleIntervalTicks`: itself, `shuffleActive` active and `shufflePassive`
 *   passive members walk `activeWalk` hops; where the walk ends the receiver answers with as many of
 *   its passive members and both merge (dropping, when full, what they sent first).
 * - **Symmetry** is restored from either side: a heartbeat from a member not in the active view is
 *   answered with `disconnect`; a member silent for `failTicks` is dropped.
 *
 * Additions to the paper (see {@link OverlayConfig}): every `seedShuffleEvery`-th shuffle goes
 * straight to a random seed, and every `rewireIntervalTicks` a member with a full view swaps a random
 * neighbour for a passive member, so that the sides of a healed partition find each other again.
 */
export class HyParView {
  /** The active view (at most `activeSize`). */
  readonly active: NodeId[] = [];
  /** The passive view (at most `passiveSize`). */
  readonly passive: NodeId[] = [];
  readonly counters: HyParViewCounters = {
    unknownMember: 0,
    stale: 0,
    notAdmitted: {
      join: 0,
      forwardJoin: 0,
      connect: 0,
      neighbor: 0,
      neighborReply: 0,
      disconnect: 0,
      heartbeat: 0,
      shuffle: 0,
      shuffleReply: 0,
      gossip: 0,
      iHave: 0,
      graft: 0,
      prune: 0,
    },
  };
  /** Shuffles, joins and neighbour requests started here. */
  readonly stats = { shuffles: 0, joins: 0, neighborRequests: 0, failures: 0 };

  private readonly lastHeard = new Map<NodeId, number>();
  private readonly lastSent = new Map<NodeId, number>();
  private readonly seeds: readonly NodeId[];
  /** The eclipse defence's sampler (`basalt`): the passive view is what it holds, less the active view. */
  private readonly sampler: BasaltSampler | undefined;
  private pending: Pending | undefined;
  /** No new neighbour request before this tick (after a rejection). */
  private requestAfter = 0;
  private nextShuffle: number;
  private nextRewire: number;
  private shuffleCount = 0;
  /** What the last shuffle started here carried (dropped first when its reply is merged). */
  private lastShuffle: readonly NodeId[] = [];

  constructor(
    private readonly self: NodeId,
    private readonly members: ReadonlySet<NodeId>,
    private readonly config: OverlayConfig,
    private readonly rng: Rng,
    private readonly host: HyParViewHost,
  ) {
    this.seeds = (config.seeds ?? [...members]).filter((seed) => seed !== self && members.has(seed));
    this.sampler = config.basalt ? new BasaltSampler(config.passiveSize, rng.fork("basalt")) : undefined;
    // Spread the periodic work over the period, so that members started together do not shuffle together.
    this.nextShuffle = config.shuffleIntervalTicks > 0 ? 1 + rng.int(0, config.shuffleIntervalTicks) : Infinity;
    this.nextRewire = config.rewireIntervalTicks > 0 ? 1 + rng.int(0, config.rewireIntervalTicks) : Infinity;
  }

  /** @returns whether the eclipse defence's sampler holds `peer` (false without `basalt`): with `activeDefence`, a neighbour it does not hold ranks worst */
  sampled(peer: NodeId): boolean {
    return this.sampler?.has(peer) === true;
  }

  /** @returns whether `peer` is in the active view */
  isActive(peer: NodeId): boolean {
    return this.active.includes(peer);
  }

  /** Send `message` to `to`, noting the time (a link that carries traffic needs no heartbeat). */
  send(to: NodeId, message: OverlayMessage): void {
    this.lastSent.set(to, this.host.now);
    this.host.send(to, message);
  }

  /** One tick: failed neighbours, heartbeats, requests that timed out, refilling the active view, shuffles, rewiring. */
  tick(): void {
    const now = this.host.now;
    for (const peer of [...this.active]) {
      if (now - (this.lastHeard.get(peer) ?? now) > this.config.failTicks) {
        this.stats.failures++;
        this.removeActive(peer, "failed");
        this.dropPassive(peer);
      }
    }
    for (const peer of this.active) {
      if (now - (this.lastSent.get(peer) ?? -Infinity) >= this.config.heartbeatTicks) this.send(peer, { type: "heartbeat" });
    }
    const pending = this.pending;
    if (pending !== undefined && now >= pending.deadline) {
      this.pending = undefined;
      if (pending.kind !== "join") this.dropPassive(pending.peer);
    }
    this.refill();
    if (now >= this.nextShuffle) {
      this.nextShuffle = now + this.config.shuffleIntervalTicks;
      this.startShuffle();
    }
    if (now >= this.nextRewire) {
      this.nextRewire = now + this.config.rewireIntervalTicks;
      this.rewire();
    }
  }

  /**
   * @returns whether a message of `type` from `from` is refused for want of admission (counted in
   * `notAdmitted`); the member checks every message, HyParView's and Plumtree's, before handling it
   */
  refuses(from: NodeId, type: OverlayMessage["type"]): boolean {
    if (this.admitted(from)) return false;
    this.counters.notAdmitted[type]++;
    return true;
  }

  /** Handle a HyParView message from `from` (a member other than this one). */
  receive(from: NodeId, message: HyParViewMessage): void {
    if (this.refuses(from, message.type)) return;
    if (this.isActive(from)) this.lastHeard.set(from, this.host.now);
    switch (message.type) {
      case "join":
        return this.onJoin(from);
      case "forwardJoin":
        return this.onForwardJoin(from, message.joiner, message.ttl);
      case "connect":
        if (this.pending?.kind === "join") this.pending = undefined;
        else if (!this.admits(from)) return this.addPassive(from);
        this.addActive(from, "connect");
        return;
      case "neighbor":
        return this.onNeighbor(from, message.priority);
      case "neighborReply":
        return this.onNeighborReply(from, message.accepted);
      case "disconnect":
        if (this.isActive(from)) {
          this.removeActive(from, "disconnect");
          this.addPassive(from);
        }
        return;
      case "heartbeat":
        // A link the sender holds and this member does not: drop it at the sender too.
        if (!this.isActive(from)) this.send(from, { type: "disconnect" });
        return;
      case "shuffle":
        return this.onShuffle(from, message.origin, message.ttl, message.nodes);
      case "shuffleReply":
        if (this.lastShuffle.length === 0) this.counters.stale++;
        this.merge(message.nodes, this.lastShuffle);
        this.lastShuffle = [];
        return;
    }
  }

  /** Note that `from` (in the active view) was heard from by a message HyParView does not handle (Plumtree's). */
  heard(from: NodeId): void {
    if (this.isActive(from)) this.lastHeard.set(from, this.host.now);
  }

  private onJoin(joiner: NodeId): void {
    if (!this.admits(joiner)) {
      this.addPassive(joiner);
      for (const peer of this.active) this.send(peer, { type: "forwardJoin", joiner, ttl: this.config.activeWalk });
      return;
    }
    this.addActive(joiner, "join");
    this.send(joiner, { type: "connect" });
    for (const peer of this.active) {
      if (peer !== joiner) this.send(peer, { type: "forwardJoin", joiner, ttl: this.config.activeWalk });
    }
  }

  private onForwardJoin(from: NodeId, joiner: NodeId, ttl: number): void {
    if (!this.members.has(joiner)) {
      this.counters.unknownMember++;
      return;
    }
    if (!this.admitted(joiner)) {
      this.counters.notAdmitted.forwardJoin++;
      return;
    }
    if (joiner === this.self) return;
    if (ttl === 0 || this.active.length <= 1) {
      if (!this.admits(joiner)) return this.addPassive(joiner);
      this.addActive(joiner, "forwardJoin");
      this.send(joiner, { type: "connect" });
      return;
    }
    if (ttl === this.config.passiveWalk) this.addPassive(joiner);
    const next = this.pickExcept(this.active, from, joiner);
    if (next === undefined) {
      if (!this.admits(joiner)) return this.addPassive(joiner);
      this.addActive(joiner, "forwardJoin");
      this.send(joiner, { type: "connect" });
    } else {
      this.send(next, { type: "forwardJoin", joiner, ttl: ttl - 1 });
    }
  }

  private onNeighbor(from: NodeId, priority: NeighborPriority): void {
    // With the active view's defence, the priority does not matter (an attacker may claim any): the link's rank does.
    const accepted = this.config.activeDefence
      ? this.admits(from)
      : (priority !== "low" && this.admits(from)) || this.active.length < this.config.activeSize || this.isActive(from);
    if (accepted) this.addActive(from, "neighbor");
    else this.addPassive(from);
    this.send(from, { type: "neighborReply", accepted });
  }

  private onNeighborReply(from: NodeId, accepted: boolean): void {
    const pending = this.pending;
    const asked = pending !== undefined && pending.kind !== "join" && pending.peer === from;
    if (asked) this.pending = undefined;
    else this.counters.stale++;
    if (accepted) {
      // The other side took the link (even for a request given up on): take it too, so that it is symmetric.
      if (asked && pending.kind === "swap" && !this.isActive(from) && this.active.length >= this.config.activeSize) {
        this.evict(this.config.activeDefence ? this.worstActive().peer : this.rng.pick(this.active));
      }
      this.addActive(from, "neighbor");
    } else if (asked) {
      this.requestAfter = this.host.now + this.config.requestTimeoutTicks;
    }
  }

  private onShuffle(from: NodeId, origin: NodeId, ttl: number, nodes: readonly NodeId[]): void {
    if (!this.members.has(origin)) {
      this.counters.unknownMember++;
      return;
    }
    if (origin === this.self) return;
    if (!this.admitted(origin)) {
      this.counters.notAdmitted.shuffle++;
      return;
    }
    if (ttl > 0 && this.active.length > 1) {
      const next = this.pickExcept(this.active, from, origin);
      // With the active view's defence, a walk's ids are offered to the sampler on the way too: the
      // sampler's share of attackers falls to their share of ids only when it hears of most honest ids.
      if (this.config.activeDefence) {
        for (const node of nodes) if (node !== this.self && this.members.has(node) && this.admitted(node)) this.sampler?.offer(node);
        this.syncPassive();
      }
      if (next !== undefined) {
        this.send(next, { type: "shuffle", origin, ttl: ttl - 1, nodes: [...nodes] });
        return;
      }
    }
    const reply = this.sample(this.passive, nodes.length);
    this.send(origin, { type: "shuffleReply", nodes: reply });
    this.merge(nodes, reply);
  }

  /** Ask for a neighbour when the active view is not full: a passive member, or (both views empty) a seed. */
  private refill(): void {
    if (this.pending !== undefined || this.active.length >= this.config.activeSize) return;
    // A rejection delays the next low-priority request; with an empty view, ask at once (high priority).
    // With the active view's defence, never: attackers push for every free place, so a slow refill leaves them the place.
    if (this.active.length > 0 && this.host.now < this.requestAfter && !this.config.activeDefence) return;
    if (this.passive.length > 0) {
      this.request(this.rng.pick(this.passive), this.active.length === 0 ? "high" : "low");
    } else {
      // No passive member to ask (a member whose views were emptied, or a small component formed by
      // simultaneous joins): join again through a seed not already a neighbour, whose walks reach further.
      const seeds = this.seeds.filter((seed) => !this.isActive(seed) && this.admitted(seed));
      if (seeds.length === 0) return;
      const seed = this.rng.pick(seeds);
      this.stats.joins++;
      this.pending = { kind: "join", peer: seed, deadline: this.host.now + this.config.requestTimeoutTicks };
      this.send(seed, { type: "join" });
    }
  }

  private request(peer: NodeId, priority: NeighborPriority): void {
    this.stats.neighborRequests++;
    this.pending = { kind: priority, peer, deadline: this.host.now + this.config.requestTimeoutTicks };
    this.send(peer, { type: "neighbor", priority });
  }

  /**
   * With a full active view, ask a passive member to swap in for an active one: a random one; with
   * the active view's defence, one whose link ranks lower than the worst active one (none: nothing).
   */
  private rewire(): void {
    if (this.pending !== undefined || this.active.length < this.config.activeSize || this.passive.length === 0) return;
    const candidates = this.config.activeDefence ? this.passive.filter((p) => linkRank(this.self, p) < this.worstActive().score) : this.passive;
    if (candidates.length > 0) this.request(this.rng.pick(candidates), "swap");
  }

  private startShuffle(): void {
    this.shuffleCount++;
    if (this.sampler !== undefined) {
      this.sampler.reseed(1, [...this.active, ...this.sampler.ids()]);
      this.syncPassive();
    }
    const toSeed = this.config.seedShuffleEvery > 0 && this.shuffleCount % this.config.seedShuffleEvery === 0;
    const target = toSeed ? (this.seeds.length > 0 ? this.rng.pick(this.seeds) : undefined) : this.active.length > 0 ? this.rng.pick(this.active) : undefined;
    if (target === undefined) return;
    this.stats.shuffles++;
    const actives = this.sample(this.active.filter((p) => p !== target), this.config.shuffleActive);
    const nodes = [this.self, ...actives, ...this.sample(this.passive, this.config.shufflePassive)];
    this.lastShuffle = nodes;
    this.send(target, { type: "shuffle", origin: this.self, ttl: toSeed ? 0 : this.config.activeWalk, nodes });
  }

  /** Merge a shuffle's sample into the passive view; when full, drop first what was sent to the other side (`sent`). */
  private merge(nodes: readonly NodeId[], sent: readonly NodeId[]): void {
    if (this.sampler !== undefined) {
      for (const node of nodes) this.addPassive(node);
      return;
    }
    const droppable = sent.filter((p) => this.passive.includes(p));
    for (const node of nodes) {
      if (!this.members.has(node)) {
        this.counters.unknownMember++;
        continue;
      }
      if (!this.admitted(node)) {
        this.counters.notAdmitted.shuffle++;
        continue;
      }
      if (node === this.self || this.isActive(node) || this.passive.includes(node)) continue;
      if (this.passive.length >= this.config.passiveSize) {
        const drop = droppable.pop() ?? this.rng.pick(this.passive);
        remove(this.passive, drop);
      }
      this.passive.push(node);
    }
  }

  /** Put `peer` in the active view (evicting a random neighbour when full); a no-op for itself or a neighbour. */
  private addActive(peer: NodeId, reason: NeighborChangeReason): void {
    if (peer === this.self || this.isActive(peer)) return;
    if (!this.members.has(peer)) {
      this.counters.unknownMember++;
      return;
    }
    if (!this.admitted(peer)) return;
    if (this.active.length >= this.config.activeSize) this.evict(this.config.activeDefence ? this.worstActive().peer : this.rng.pick(this.active));
    remove(this.passive, peer);
    this.active.push(peer);
    this.sampler?.offer(peer);
    this.lastHeard.set(peer, this.host.now);
    this.host.neighborUp(peer, reason);
  }

  private evict(peer: NodeId): void {
    this.removeActive(peer, "evicted");
    this.send(peer, { type: "disconnect" });
    this.addPassive(peer);
  }

  private removeActive(peer: NodeId, reason: NeighborChangeReason): void {
    if (!remove(this.active, peer)) return;
    this.lastHeard.delete(peer);
    this.lastSent.delete(peer);
    this.syncPassive();
    this.host.neighborDown(peer, reason);
  }

  private addPassive(peer: NodeId): void {
    if (!this.admitted(peer)) {
      this.counters.notAdmitted.shuffle++;
      return;
    }
    if (this.sampler !== undefined) {
      if (peer === this.self) return;
      if (!this.members.has(peer)) {
        this.counters.unknownMember++;
        return;
      }
      this.sampler.offer(peer);
      return this.syncPassive();
    }
    if (peer === this.self || this.isActive(peer) || this.passive.includes(peer)) return;
    if (this.passive.length >= this.config.passiveSize) remove(this.passive, this.rng.pick(this.passive));
    this.passive.push(peer);
  }

  /** Drop `peer` from the passive view (dead or unresponsive): with the sampler, from its slots. */
  private dropPassive(peer: NodeId): void {
    if (this.sampler === undefined) {
      remove(this.passive, peer);
      return;
    }
    this.sampler.evict(peer);
    this.syncPassive();
  }

  /** The passive view: the sampler's ids, less itself and the active view. */
  private syncPassive(): void {
    const sampler = this.sampler;
    if (sampler === undefined) return;
    this.passive.length = 0;
    for (const id of sampler.ids()) if (id !== this.self && !this.isActive(id)) this.passive.push(id);
  }

  /**
   * Whether `peer`, unasked, may take a place in a full active view by eviction (always, without the
   * eclipse defence; with `basalt`, only when it holds a slot of the sampler, whose ranks do not
   * depend on how often a member asks; with `activeDefence`, only when its link ranks lower than the
   * view's worst). With `basalt` alone, admitting only sampled members into free places too was tried: the
   * attackers' share of active views rose (34.3% against 31.7% at 20% of ids, `pnpm bench plumtree`'s
   * eclipse rows) and honest views shrank.
   */
  private admits(peer: NodeId): boolean {
    if (this.sampler === undefined || this.isActive(peer)) return true;
    if (this.active.length < this.config.activeSize) return true;
    // With the active view's defence the link's rank decides, sampled or not (gating on the sampler
    // too was measured: 25.5% against 24.0% of honest active views at 20% attacker ids, seeds 1–4).
    if (this.config.activeDefence) return linkRank(this.self, peer) < this.worstActive().score;
    return this.sampler.has(peer);
  }

  /** @returns whether `peer` is admitted (`isAdmitted`; every member without it) */
  private admitted(peer: NodeId): boolean {
    return this.config.isAdmitted === undefined || this.config.isAdmitted(peer);
  }

  /**
   * @returns the active member of worst link (the active view's defence): highest {@link linkRank},
   * a member the sampler no longer holds ranking above all (Infinity); ties to the first in the view
   */
  private worstActive(): { peer: NodeId; score: number } {
    let worst = { peer: this.active[0] as NodeId, score: -1 };
    for (const peer of this.active) {
      const score = this.sampler?.has(peer) === true ? linkRank(this.self, peer) : Infinity;
      if (score > worst.score) worst = { peer, score };
    }
    return worst;
  }

  /** @returns a random member of `list` other than `a` and `b`, or undefined */
  private pickExcept(list: readonly NodeId[], a: NodeId, b: NodeId): NodeId | undefined {
    const candidates = list.filter((p) => p !== a && p !== b);
    return candidates.length === 0 ? undefined : this.rng.pick(candidates);
  }

  /** @returns up to `k` distinct random members of `list` */
  private sample(list: readonly NodeId[], k: number): NodeId[] {
    return this.rng.shuffle([...list]).slice(0, k);
  }
}

/** Remove `item` from `list` (order not kept). @returns whether it was there */
function remove(list: NodeId[], item: NodeId): boolean {
  const i = list.indexOf(item);
  if (i < 0) return false;
  list[i] = list[list.length - 1] as NodeId;
  list.pop();
  return true;
}
