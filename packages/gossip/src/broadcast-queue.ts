import type { Update } from "./messages.js";

interface Queued {
  readonly update: Update;
  transmits: number;
  /** Insertion order, so that equally-sent updates go out oldest first. */
  readonly order: number;
  /** Replaced by a newer update about the same member, or sent `limit` times: left in its tier until reached. */
  gone: boolean;
}

/**
 * The piggyback queue (memberlist's TransmitLimitedQueue): each update rides on outgoing messages
 * until it has been sent `limit` times; updates sent least go first, oldest first among equals. A
 * newer update about a member replaces the queued one (only the latest claim about a member is
 * worth spreading).
 *
 * Held in one tier per transmission count, each in insertion order: an update enters tier 0 and
 * moves one tier up each time it is sent, so taking `max` updates costs O(max) (plus the replaced
 * updates skipped on the way), with no comparisons — at thousands of members a heap's
 * O(max · log size) per message was the simulation's largest cost.
 */
export class BroadcastQueue {
  private readonly byMember = new Map<string, Queued>();
  /** `tiers[t]`: the updates sent t times, by insertion order (created when first used: a member of 10,000 seldom needs all). */
  private readonly tiers: Array<Tier | undefined> = [];
  /** Entries in the tiers, replaced ones included. */
  private entries = 0;
  private order = 0;

  /** @param limit - transmissions per update (λ · ⌈log10(n + 1)⌉) */
  constructor(private limit: number) {}

  /** Transmissions per update. */
  get transmitLimit(): number {
    return this.limit;
  }

  /**
   * Change the transmissions per update (adaptive tuning). Raised, queued updates are sent up to the
   * new limit; lowered, those already sent as often leave the queue.
   */
  setLimit(limit: number): void {
    for (let t = limit; t < this.limit; t++) {
      for (const queued of this.tiers[t]?.drain() ?? []) {
        this.entries--;
        if (queued.gone) continue;
        queued.gone = true;
        this.byMember.delete(queued.update.member);
      }
    }
    this.limit = limit;
  }

  /** Number of queued updates. */
  get size(): number {
    return this.byMember.size;
  }

  /** Queue `update`, replacing any queued update about the same member. */
  enqueue(update: Update): void {
    const replaced = this.byMember.get(update.member);
    if (replaced !== undefined) replaced.gone = true;
    const queued: Queued = { update, transmits: 0, order: this.order++, gone: false };
    this.byMember.set(update.member, queued);
    this.tier(0).insert(queued);
    // Replaced entries not yet reached are dropped once they outnumber the live ones.
    if (++this.entries > 2 * this.byMember.size + 64) {
      this.entries = 0;
      for (const tier of this.tiers) if (tier !== undefined) this.entries += tier.retainLive();
    }
  }

  /**
   * Take up to `max` updates for one message, least-transmitted first, and count the transmission;
   * updates that reach the limit leave the queue.
   * @param skip - a member whose update is already on the message (the buddy system's suspicion)
   */
  take(max: number, skip?: string): Update[] {
    if (this.byMember.size === 0 || max <= 0) return [];
    const chosen: Queued[] = [];
    for (let t = 0; t < this.limit && chosen.length < max; t++) {
      const tier = this.tiers[t];
      if (tier === undefined) continue;
      let skipped: Queued | undefined;
      while (chosen.length < max) {
        const queued = tier.shift();
        if (queued === undefined) break;
        this.entries--;
        if (queued.gone) continue;
        if (queued.update.member === skip) skipped = queued;
        else chosen.push(queued);
      }
      if (skipped !== undefined) {
        tier.unshift(skipped);
        this.entries++;
      }
    }
    const out: Update[] = [];
    // Moved up after the search, as the heap did: an update is taken at most once per message.
    for (const queued of chosen) {
      out.push(queued.update);
      if (++queued.transmits >= this.limit) {
        queued.gone = true;
        this.byMember.delete(queued.update.member);
      } else {
        this.tier(queued.transmits).insert(queued);
        this.entries++;
      }
    }
    return out;
  }

  /** @returns tier `t`, created when first used */
  private tier(t: number): Tier {
    let tier = this.tiers[t];
    if (tier === undefined) this.tiers[t] = tier = new Tier();
    return tier;
  }
}

/** One tier: a deque kept in insertion order. */
class Tier {
  private items: Queued[] = [];
  private head = 0;

  /** @returns the oldest entry, removed */
  shift(): Queued | undefined {
    if (this.head >= this.items.length) return undefined;
    const queued = this.items[this.head++];
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && 2 * this.head > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return queued;
  }

  /** Put back the entry just shifted. */
  unshift(queued: Queued): void {
    if (this.head > 0) this.items[--this.head] = queued;
    else this.items.unshift(queued);
  }

  /**
   * Add an entry at its place by insertion order: almost always the end (an update skipped for one
   * message stays behind in its tier while younger ones move up past it).
   */
  insert(queued: Queued): void {
    let i = this.items.length;
    while (i > this.head && (this.items[i - 1] as Queued).order > queued.order) i--;
    if (i === this.items.length) this.items.push(queued);
    else this.items.splice(i, 0, queued);
  }

  /** @returns every entry, leaving the tier empty */
  drain(): Queued[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }

  /** Drop the replaced entries. @returns the entries kept */
  retainLive(): number {
    this.items = this.items.slice(this.head).filter((q) => !q.gone);
    this.head = 0;
    return this.items.length;
  }
}
