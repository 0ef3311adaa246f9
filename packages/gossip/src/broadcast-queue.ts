import type { Update } from "./messages.js";

interface Queued {
  readonly update: Update;
  transmits: number;
  /** Insertion order, so that equally-sent updates go out oldest first. */
  readonly order: number;
}

/**
 * The piggyback queue (memberlist's TransmitLimitedQueue): each update rides on outgoing messages
 * until it has been sent `limit` times; updates sent least go first. A newer update about a member
 * replaces the queued one (only the latest claim about a member is worth spreading).
 */
export class BroadcastQueue {
  private readonly byMember = new Map<string, Queued>();
  private order = 0;

  /** @param limit - transmissions per update (λ · ⌈log10(n + 1)⌉) */
  constructor(private readonly limit: number) {}

  /** Number of queued updates. */
  get size(): number {
    return this.byMember.size;
  }

  /** Queue `update`, replacing any queued update about the same member. */
  enqueue(update: Update): void {
    this.byMember.set(update.member, { update, transmits: 0, order: this.order++ });
  }

  /**
   * Take up to `max` updates for one message, least-transmitted first, and count the transmission;
   * updates that reach the limit leave the queue.
   * @param skip - a member whose update is already on the message (the buddy system's suspicion)
   */
  take(max: number, skip?: string): Update[] {
    if (this.byMember.size === 0 || max <= 0) return [];
    const chosen: Queued[] = [];
    for (const queued of this.byMember.values()) {
      if (queued.update.member === skip) continue;
      if (chosen.length < max) {
        chosen.push(queued);
        if (chosen.length === max) chosen.sort(byTransmitsThenOrder);
      } else if (byTransmitsThenOrder(queued, chosen[max - 1] as Queued) < 0) {
        chosen[max - 1] = queued;
        chosen.sort(byTransmitsThenOrder);
      }
    }
    const out: Update[] = [];
    for (const queued of chosen) {
      out.push(queued.update);
      if (++queued.transmits >= this.limit) this.byMember.delete(queued.update.member);
    }
    return out;
  }
}

function byTransmitsThenOrder(a: Queued, b: Queued): number {
  return a.transmits - b.transmits || a.order - b.order;
}
