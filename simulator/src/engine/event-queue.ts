import { SynodError } from "@synod/core";

/** Default largest number of events waiting in a queue (a run that exceeds it is runaway). */
export const DEFAULT_MAX_QUEUED_EVENTS = 4_000_000;

/**
 * The simulator's priority queue: events ordered by (virtual time, sequence number), so events at
 * the same time run in the order they were scheduled. A binary heap over slot indices, with each
 * event's fields in parallel typed arrays: pushing and popping allocate nothing (beyond growing the
 * arrays) and create no closure or object per event.
 *
 * Fields of an event: `kind` (small integer), `a`, `b` (integers, e.g. node indices) and `ref` (any
 * object, e.g. a message). Read them with the getters after {@link pop}, before the next push.
 */
export class EventQueue {
  // Heap, in heap order: each position's time, sequence and slot (comparisons read contiguous memory).
  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapSlot: Int32Array;
  // Event payloads, by slot.
  private kinds: Uint8Array;
  private as: Int32Array;
  private bs: Int32Array;
  private refs: unknown[];
  private free: Int32Array;
  private freeTop: number;
  private count = 0;
  private nextSeq = 0;
  private capacity: number;
  private readonly maxEvents: number;
  /** Slot of the last popped event (its fields stay readable until the next pop). */
  private current = -1;
  private currentTime = 0;

  /** @param maxEvents - limit on queued events; exceeding it throws a `limit` error */
  constructor(maxEvents = DEFAULT_MAX_QUEUED_EVENTS, initialCapacity = 1024) {
    this.maxEvents = maxEvents;
    this.capacity = initialCapacity;
    this.heapTime = new Float64Array(initialCapacity);
    this.heapSeq = new Float64Array(initialCapacity);
    this.heapSlot = new Int32Array(initialCapacity);
    this.kinds = new Uint8Array(initialCapacity);
    this.as = new Int32Array(initialCapacity);
    this.bs = new Int32Array(initialCapacity);
    this.refs = new Array<unknown>(initialCapacity).fill(undefined);
    this.free = new Int32Array(initialCapacity);
    for (let i = 0; i < initialCapacity; i++) this.free[i] = initialCapacity - 1 - i;
    this.freeTop = initialCapacity;
  }

  /** Number of queued events. */
  get size(): number {
    return this.count;
  }

  /** Number of events ever pushed (the next sequence number). */
  get pushed(): number {
    return this.nextSeq;
  }

  /**
   * Schedule an event.
   * @throws {SynodError} code `limit` when more than `maxEvents` events would be queued
   */
  push(timeMs: number, kind: number, a: number, b: number, ref: unknown): void {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop] as number;
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.refs[slot] = ref;
    const seq = this.nextSeq++;
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const slots = this.heapSlot;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < timeMs || (pt === timeMs && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    times[i] = timeMs;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** @returns the time of the earliest event, or Infinity when empty */
  peekTime(): number {
    return this.count === 0 ? Infinity : (this.heapTime[0] as number);
  }

  /**
   * Remove the earliest event and make it current (read it with the getters).
   * @returns false when the queue is empty
   */
  pop(): boolean {
    if (this.count === 0) return false;
    if (this.current >= 0) {
      this.refs[this.current] = undefined;
      this.free[this.freeTop++] = this.current;
    }
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const slots = this.heapSlot;
    this.current = slots[0] as number;
    this.currentTime = times[0] as number;
    const n = --this.count;
    if (n > 0) {
      const lastTime = times[n] as number;
      const lastSeq = seqs[n] as number;
      const lastSlot = slots[n] as number;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        let ct = times[child] as number;
        let cs = seqs[child] as number;
        const right = child + 1;
        if (right < n) {
          const rt = times[right] as number;
          const rs = seqs[right] as number;
          if (rt < ct || (rt === ct && rs < cs)) {
            child = right;
            ct = rt;
            cs = rs;
          }
        }
        if (lastTime < ct || (lastTime === ct && lastSeq < cs)) break;
        times[i] = ct;
        seqs[i] = cs;
        slots[i] = slots[child] as number;
        i = child;
      }
      times[i] = lastTime;
      seqs[i] = lastSeq;
      slots[i] = lastSlot;
    }
    return true;
  }

  /** Time of the current event. */
  get timeMs(): number {
    return this.currentTime;
  }
  /** Kind of the current event. */
  get kind(): number {
    return this.kinds[this.current] as number;
  }
  /** First integer field of the current event. */
  get a(): number {
    return this.as[this.current] as number;
  }
  /** Second integer field of the current event. */
  get b(): number {
    return this.bs[this.current] as number;
  }
  /** Object field of the current event. */
  get ref(): unknown {
    return this.refs[this.current];
  }

  private grow(): void {
    const old = this.capacity;
    if (old >= this.maxEvents) {
      throw new SynodError("limit", `event queue exceeded ${this.maxEvents} queued events (a runaway protocol or workload?)`, { maxEvents: this.maxEvents });
    }
    const capacity = Math.min(old * 2, this.maxEvents);
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.heapTime = f64(this.heapTime);
    this.heapSeq = f64(this.heapSeq);
    this.heapSlot = i32(this.heapSlot);
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds);
    this.kinds = kinds;
    this.as = i32(this.as);
    this.bs = i32(this.bs);
    for (let i = old; i < capacity; i++) this.refs.push(undefined);
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeTop));
    for (let slot = capacity - 1; slot >= old; slot--) free[this.freeTop++] = slot;
    this.free = free;
    this.capacity = capacity;
  }
}
