import type { NodeId } from "@synod/core";
import type { OverlayConfig } from "./config.js";
import { broadcastKey, type BroadcastId, type OverlayMessage } from "./messages.js";

/** What Plumtree needs from the member that runs it. */
export interface PlumtreeHost {
  /** Current tick. */
  readonly now: number;
  send(to: NodeId, message: OverlayMessage): void;
  /** Hand broadcast `id` to the application (called once per id per start). */
  deliver(id: BroadcastId, payload: string, round: number): void;
  /** @returns whether `peer` is in the active view (only neighbours are moved between eager and lazy) */
  isNeighbor(peer: NodeId): boolean;
}

/** A broadcast announced by IHave but not received: who announced it, in order, and when to graft next. */
interface Missing {
  readonly id: BroadcastId;
  readonly announcements: Array<{ readonly from: NodeId; readonly round: number }>;
  graftAt: number;
}

type PlumtreeMessage = Extract<OverlayMessage, { type: "gossip" | "iHave" | "graft" | "prune" }>;

/**
 * Plumtree (Leitão, Pereira, Rodrigues, SRDS 2007, "Epidemic broadcast trees") over the active view.
 *
 * Every neighbour starts as an **eager** peer: a broadcast's payload is pushed to the eager peers
 * (`gossip`), and only its id to the **lazy** ones (`iHave`). The first copy of a broadcast received
 * is delivered and forwarded, and its sender becomes eager; a duplicate makes its sender lazy and is
 * answered with `prune`, so that the eager links shrink to a spanning tree. A broadcast announced by
 * an IHave and not received within `graftTimeoutTicks` is asked for (`graft`) from the first member
 * that announced it, which becomes eager — the tree repairs itself — and then from the next announcer
 * every `graftRetryTicks`. A neighbour that leaves the active view leaves both sets and its
 * announcements are forgotten.
 *
 * IHaves go out at once (the paper batches them; not done). Delivered ids are remembered for the
 * life of the member (no garbage collection); payloads for `cacheSize` broadcasts, to answer grafts.
 */
export class Plumtree {
  /** Neighbours pushed payloads (the tree links). */
  readonly eager = new Set<NodeId>();
  /** Neighbours sent only ids. */
  readonly lazy = new Set<NodeId>();
  /** Payload messages, IHaves, grafts and prunes sent; duplicates received. */
  readonly stats = { payloads: 0, iHaves: 0, grafts: 0, prunes: 0, duplicates: 0, delivered: 0 };

  private readonly received = new Set<string>();
  /** Payloads kept to answer grafts, oldest first. */
  private readonly cache = new Map<string, { readonly id: BroadcastId; readonly payload: string; readonly round: number; readonly at: number }>();
  private readonly missing = new Map<string, Missing>();

  constructor(
    private readonly config: OverlayConfig,
    private readonly host: PlumtreeHost,
  ) {}

  /**
   * A neighbour entered the active view: it starts eager, and is sent an IHave for each broadcast
   * delivered here within `announceTicks` (but its own), so that it grafts those it missed: it may
   * have been cut off from the tree, or linked only to members that did not have them yet, while they
   * spread, and no other announcement would ever reach it.
   */
  neighborUp(peer: NodeId): void {
    this.lazy.delete(peer);
    this.eager.add(peer);
    const since = this.host.now - this.config.announceTicks;
    for (const recent of this.cache.values()) {
      if (recent.at < since || recent.id[0] === peer) continue;
      this.stats.iHaves++;
      this.host.send(peer, { type: "iHave", id: recent.id, round: Math.min(recent.round + 1, 0xffff) });
    }
  }

  /** A neighbour left the active view: it leaves both sets, and its announcements are forgotten. */
  neighborDown(peer: NodeId): void {
    this.eager.delete(peer);
    this.lazy.delete(peer);
    for (const missing of this.missing.values()) {
      for (let i = missing.announcements.length - 1; i >= 0; i--) if (missing.announcements[i]?.from === peer) missing.announcements.splice(i, 1);
    }
  }

  /** Broadcast a new message `id` (this member's): delivered here at once, then pushed. */
  broadcast(id: BroadcastId, payload: string): void {
    this.accept(id, payload, 0, undefined);
  }

  /** @returns whether broadcast `id` was delivered here */
  has(id: BroadcastId): boolean {
    return this.received.has(broadcastKey(id));
  }

  /** Broadcasts announced and still missing. */
  get missingCount(): number {
    return this.missing.size;
  }

  /** One tick: graft what was announced and has not come. */
  tick(): void {
    const now = this.host.now;
    for (const missing of this.missing.values()) {
      if (missing.graftAt > now) continue;
      const next = missing.announcements.shift();
      if (next === undefined) {
        missing.graftAt = Infinity; // until another IHave
        continue;
      }
      missing.graftAt = now + this.config.graftRetryTicks;
      if (this.host.isNeighbor(next.from)) {
        this.eager.add(next.from);
        this.lazy.delete(next.from);
      }
      this.stats.grafts++;
      this.host.send(next.from, { type: "graft", id: missing.id, round: next.round });
    }
  }

  /** Handle a Plumtree message from `from`. */
  receive(from: NodeId, message: PlumtreeMessage): void {
    switch (message.type) {
      case "gossip":
        if (this.received.has(broadcastKey(message.id))) {
          this.stats.duplicates++;
          if (this.host.isNeighbor(from)) {
            this.eager.delete(from);
            this.lazy.add(from);
          }
          this.stats.prunes++;
          this.host.send(from, { type: "prune" });
        } else {
          this.accept(message.id, message.payload, message.round, from);
        }
        return;
      case "iHave": {
        const key = broadcastKey(message.id);
        if (this.received.has(key)) return;
        let missing = this.missing.get(key);
        if (missing === undefined) {
          missing = { id: message.id, announcements: [], graftAt: this.host.now + this.config.graftTimeoutTicks };
          this.missing.set(key, missing);
        } else if (missing.graftAt === Infinity) {
          missing.graftAt = this.host.now + this.config.graftTimeoutTicks;
        }
        missing.announcements.push({ from, round: message.round });
        return;
      }
      case "graft": {
        if (this.host.isNeighbor(from)) {
          this.eager.add(from);
          this.lazy.delete(from);
        }
        const cached = this.cache.get(broadcastKey(message.id));
        if (cached !== undefined) this.push(from, cached.id, cached.payload, cached.round + 1);
        return;
      }
      case "prune":
        if (this.eager.delete(from)) this.lazy.add(from);
        return;
    }
  }

  /** First copy of `id`: deliver, remember, push to the eager peers and announce to the lazy ones; its sender joins the tree. */
  private accept(id: BroadcastId, payload: string, round: number, from: NodeId | undefined): void {
    const key = broadcastKey(id);
    this.received.add(key);
    this.missing.delete(key);
    this.cache.set(key, { id, payload, round, at: this.host.now });
    if (this.cache.size > this.config.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.stats.delivered++;
    this.host.deliver(id, payload, round);
    if (from !== undefined && this.host.isNeighbor(from)) {
      this.eager.add(from);
      this.lazy.delete(from);
    }
    for (const peer of this.eager) if (peer !== from) this.push(peer, id, payload, round + 1);
    for (const peer of this.lazy) {
      if (peer === from) continue;
      this.stats.iHaves++;
      this.host.send(peer, { type: "iHave", id, round: round + 1 });
    }
  }

  private push(to: NodeId, id: BroadcastId, payload: string, round: number): void {
    this.stats.payloads++;
    this.host.send(to, { type: "gossip", id, round: Math.min(round, 0xffff), payload });
  }
}
