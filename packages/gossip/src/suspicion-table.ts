import { MinHeap } from "./min-heap.js";
import type { Suspicion } from "./suspicion.js";

interface Timer {
  readonly position: number;
  readonly suspicion: Suspicion;
  /** The tick at which it expires, as scheduled (a shortened timeout schedules it again). */
  readonly at: number;
}

function earlier(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.position < b.position);
}

const NONE: ReadonlyArray<[number, Suspicion]> = Object.freeze([]);

/**
 * The suspicions in progress at one member, by member position, with their expiries in a heap, so
 * that a tick costs O(expired · log size), not a pass over every suspicion (under a partition of
 * 10,000 members one member may suspect thousands). A suspicion's timeout only shrinks: after
 * `confirm` or `hasten`, `reschedule` it; outdated timers are skipped when they surface.
 */
export class SuspicionTable {
  private readonly byPosition = new Map<number, Suspicion>();
  private readonly timers = new MinHeap<Timer>(earlier);

  /** @param onDue - told the tick of each expiry scheduled (a start, a shortened or extended timeout) */
  constructor(private readonly onDue?: (tick: number) => void) {}

  /** Suspicions in progress. */
  get size(): number {
    return this.byPosition.size;
  }

  /** The first tick at which {@link takeExpired} may find a suspicion expired (Infinity: none held). */
  get nextExpiry(): number {
    return this.timers.peek()?.at ?? Infinity;
  }

  /** @returns the suspicion of the member at `position`, if any */
  get(position: number): Suspicion | undefined {
    return this.byPosition.get(position);
  }

  /** Start (or replace) the suspicion of the member at `position`. */
  set(position: number, suspicion: Suspicion): void {
    this.byPosition.set(position, suspicion);
    this.reschedule(position);
  }

  /** End the suspicion of the member at `position` (refuted or overridden). */
  delete(position: number): void {
    this.byPosition.delete(position);
    if (this.timers.size > 2 * this.byPosition.size + 64) this.timers.retain((t) => this.byPosition.get(t.position) === t.suspicion);
  }

  /** The timeout of the suspicion at `position` changed: schedule its expiry again. */
  reschedule(position: number): void {
    const suspicion = this.byPosition.get(position);
    if (suspicion === undefined) return;
    const at = suspicion.startTick + suspicion.timeoutTicks;
    this.timers.push({ position, suspicion, at });
    this.onDue?.(at);
  }

  /** @returns the suspicions expired at tick `now`, removed, earliest first (ties by position) */
  takeExpired(now: number): ReadonlyArray<[number, Suspicion]> {
    // Called on every tick of every member: nothing allocated when nothing is due.
    const next = this.timers.peek();
    if (next === undefined || next.at > now) return NONE;
    const out: Array<[number, Suspicion]> = [];
    for (let timer = this.timers.peek(); timer !== undefined && timer.at <= now; timer = this.timers.peek()) {
      this.timers.pop();
      const suspicion = this.byPosition.get(timer.position);
      if (suspicion !== timer.suspicion || !suspicion.expired(now)) continue;
      this.byPosition.delete(timer.position);
      out.push([timer.position, suspicion]);
    }
    return out;
  }
}
