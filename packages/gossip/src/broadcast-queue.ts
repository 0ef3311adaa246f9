import type { Update } from "./messages.js";
import { MinHeap } from "./min-heap.js";

interface Queued {
  readonly update: Update;
  transmits: number;
  /** Insertion order, so that equally-sent updates go out oldest first. */
  readonly order: number;
  /** Replaced by a newer update about the same member, or sent `limit` times: left in the heap until popped. */
  gone: boolean;
}

/**
 * The piggyback queue (memberlist's TransmitLimitedQueue): each update rides on outgoing messages
 * until it has been sent `limit` times; updates sent least go first. A newer update about a member
 * replaces the queued one (only the latest claim about a member is worth spreading).
 *
 * Held in a heap by (transmits, insertion order), so taking `max` updates costs O(max · log size),
 * not a scan of the queue; a replaced update stays in the heap, marked gone, until it surfaces.
 */
export class BroadcastQueue {
  private readonly byMember = new Map<string, Queued>();
  private readonly heap = new MinHeap<Queued>(byTransmitsThenOrder);
  private order = 0;

  /** @param limit - transmissions per update (λ · ⌈log10(n + 1)⌉) */
  constructor(private readonly limit: number) {}

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
    this.heap.push(queued);
    // Replaced entries that never surface are dropped once they outnumber the live ones.
    if (this.heap.size > 2 * this.byMember.size + 64) this.heap.retain((q) => !q.gone);
  }

  /**
   * Take up to `max` updates for one message, least-transmitted first, and count the transmission;
   * updates that reach the limit leave the queue.
   * @param skip - a member whose update is already on the message (the buddy system's suspicion)
   */
  take(max: number, skip?: string): Update[] {
    if (this.byMember.size === 0 || max <= 0) return [];
    const chosen: Queued[] = [];
    let skipped: Queued | undefined;
    while (chosen.length < max) {
      const queued = this.heap.pop();
      if (queued === undefined) break;
      if (queued.gone) continue;
      if (queued.update.member === skip) skipped = queued;
      else chosen.push(queued);
    }
    if (skipped !== undefined) this.heap.push(skipped);
    const out: Update[] = [];
    for (const queued of chosen) {
      out.push(queued.update);
      if (++queued.transmits >= this.limit) {
        queued.gone = true;
        this.byMember.delete(queued.update.member);
      } else {
        this.heap.push(queued);
      }
    }
    return out;
  }
}

function byTransmitsThenOrder(a: Queued, b: Queued): boolean {
  return a.transmits < b.transmits || (a.transmits === b.transmits && a.order < b.order);
}
