import { SynodError } from "@synod/core";
import type { EventKind } from "./event-kind.js";
import { DEFAULT_MAX_QUEUED_EVENTS, MAX_CHANNELS } from "./limits.js";

/**
 * The simulator's priority queue: events ordered by (virtual time, sequence number), so events at
 * the same time run in the order they were scheduled. Each event's fields live in parallel typed
 * arrays indexed by a slot: pushing and popping allocate nothing (beyond growing the arrays) and
 * create no closure or object per event.
 *
 * Most events are scheduled in order within some stream: a network link is FIFO (each message
 * arrives no earlier than the one sent before it on that link), and every client timeout is "now +
 * the same delay". Such events are pushed with {@link pushInOrder} onto a numbered *channel*: a
 * linked FIFO of slots of which only the head sits in the binary heap. The heap then holds one entry
 * per busy channel plus the other events (timers, faults), not every message in flight, so it stays
 * shallow. An event that would break its channel's order goes to the heap instead, so the order of
 * events is always exactly that of one heap over all events.
 *
 * What the channels buy, measured on Node 20 (a shared 2-core machine) by
 * `pnpm exec tsx --conditions=source bench/ab/event-queue-channels.ts 30 5 16` (raft chaos seeds,
 * alternating blocks with and without channels, trace hashes compared): at 5 nodes a run takes a
 * median 0.95–0.97 of the CPU of a heap-only queue (three runs); at 25 nodes (`… 16 25 4`)
 * 1.01–1.03, no measurable gain.
 *
 * Fields of an event: `kind` (small integer), `subject` and `detail` (integers) and `payload` (any
 * object); what each holds for each kind is documented by {@link EventKind}. Read them with the
 * getters after {@link pop}, before the next push.
 */
export class EventQueue {
  // Heap, in heap order: position i's time at heapKey[2i], its sequence at heapKey[2i + 1] (one
  // comparison reads one cache line), its entry at heapEntry[i]. An entry ≥ 0 is a slot; an entry
  // < 0 is the head of channel −entry − 1.
  private heapKey: Float64Array;
  private heapEntry: Int32Array;
  /** Entries in the heap. */
  private heapCount = 0;
  // Events, by slot: time and sequence at slotKey[2s], slotKey[2s + 1]; kind, subject, detail and
  // the next slot of the same channel (−1: none) at slotInt[4s … 4s + 3]; the payload at payloads[s].
  private slotKey: Float64Array;
  private slotInt: Int32Array;
  private payloads: unknown[];
  private free: Int32Array;
  private freeTop: number;
  // Channels: first and last slot of each (−1 when empty).
  private readonly channelHead: Int32Array;
  private readonly channelTail: Int32Array;
  private count = 0;
  private nextSeq = 0;
  private capacity: number;
  private readonly maxEvents: number;
  /** Slot of the last popped event (its fields stay readable until the next pop). */
  private current = -1;
  private currentTime = 0;

  /**
   * @param maxEvents - limit on queued events; exceeding it throws a `limit` error
   * @param initialCapacity - slots allocated up front (the arrays double when full)
   * @param channels - number of in-order channels (0 … `channels − 1`) for {@link pushInOrder}
   * @throws {SynodError} code `usage` when `channels` is not an integer in 0 … {@link MAX_CHANNELS}
   */
  constructor(maxEvents = DEFAULT_MAX_QUEUED_EVENTS, initialCapacity = 1024, channels = 0) {
    if (!Number.isInteger(channels) || channels < 0 || channels > MAX_CHANNELS) throw new SynodError("usage", `channels must be an integer in 0..${MAX_CHANNELS}, got ${channels}`);
    this.maxEvents = maxEvents;
    this.capacity = initialCapacity;
    this.heapKey = new Float64Array(2 * initialCapacity);
    this.heapEntry = new Int32Array(initialCapacity);
    this.slotKey = new Float64Array(2 * initialCapacity);
    this.slotInt = new Int32Array(4 * initialCapacity);
    this.payloads = new Array<unknown>(initialCapacity).fill(undefined);
    this.free = new Int32Array(initialCapacity);
    for (let i = 0; i < initialCapacity; i++) this.free[i] = initialCapacity - 1 - i;
    this.freeTop = initialCapacity;
    this.channelHead = new Int32Array(channels).fill(-1);
    this.channelTail = new Int32Array(channels).fill(-1);
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
  push(timeMs: number, kind: number, subject: number, detail: number, payload: unknown): void {
    const slot = this.store(timeMs, kind, subject, detail, payload);
    this.heapInsert(timeMs, this.slotKey[2 * slot + 1] as number, slot);
  }

  /**
   * Schedule an event on an in-order channel: when its time is not earlier than that of the last
   * event queued on the channel it joins the channel's FIFO, otherwise the heap. Either way it pops
   * in (time, sequence) order.
   * @throws {SynodError} code `limit` when more than `maxEvents` events would be queued
   */
  pushInOrder(channel: number, timeMs: number, kind: number, subject: number, detail: number, payload: unknown): void {
    const tail = this.channelTail[channel];
    if (tail === undefined) throw new SynodError("usage", `no channel ${channel} (this queue has ${this.channelTail.length})`);
    if (tail >= 0 && timeMs < (this.slotKey[2 * tail] as number)) return this.push(timeMs, kind, subject, detail, payload);
    const slot = this.store(timeMs, kind, subject, detail, payload);
    if (tail >= 0) {
      this.slotInt[4 * tail + 3] = slot;
    } else {
      this.channelHead[channel] = slot;
      this.heapInsert(timeMs, this.slotKey[2 * slot + 1] as number, -channel - 1);
    }
    this.channelTail[channel] = slot;
  }

  /** @returns the time of the earliest event, or Infinity when empty */
  peekTime(): number {
    return this.heapCount === 0 ? Infinity : (this.heapKey[0] as number);
  }

  /**
   * Remove the earliest event and make it current (read it with the getters).
   * @returns false when the queue is empty
   */
  pop(): boolean {
    if (this.heapCount === 0) return false;
    if (this.current >= 0) {
      this.payloads[this.current] = undefined;
      this.free[this.freeTop++] = this.current;
    }
    this.count--;
    this.currentTime = this.heapKey[0] as number;
    const entry = this.heapEntry[0] as number;
    if (entry >= 0) {
      this.current = entry;
      this.heapRemoveTop();
      return true;
    }
    const channel = -entry - 1;
    const slot = this.channelHead[channel] as number;
    this.current = slot;
    const next = this.slotInt[4 * slot + 3] as number;
    if (next >= 0) {
      // The channel's next event takes its place at the top, then sinks to where it belongs.
      this.channelHead[channel] = next;
      this.heapReplaceTop(this.slotKey[2 * next] as number, this.slotKey[2 * next + 1] as number, entry);
    } else {
      this.channelHead[channel] = -1;
      this.channelTail[channel] = -1;
      this.heapRemoveTop();
    }
    return true;
  }

  /**
   * Bring every queued event of `kind` due later than `latestMs` forward to `latestMs` (how the
   * simulator drains the messages a fault delayed when the faults heal). Sequence numbers are kept,
   * so the events moved keep their order among themselves (a FIFO link stays FIFO) and pop after the
   * events already due at `latestMs`. When something moves, every queued event goes back to the heap
   * (the channels restart empty): O(queued events · log), meant for rare whole-run changes.
   * @returns the number of events moved
   */
  clampTimes(kind: number, latestMs: number): number {
    const slots: number[] = [];
    let moved = 0;
    for (let i = 0; i < this.heapCount; i++) {
      const entry = this.heapEntry[i] as number;
      if (entry >= 0) slots.push(entry);
      else for (let s = this.channelHead[-entry - 1] as number; s >= 0; s = this.slotInt[4 * s + 3] as number) slots.push(s);
    }
    for (const slot of slots) if (this.slotInt[4 * slot] === kind && (this.slotKey[2 * slot] as number) > latestMs) moved++;
    if (moved === 0) return 0;
    this.channelHead.fill(-1);
    this.channelTail.fill(-1);
    this.heapCount = 0;
    for (const slot of slots) {
      if (this.slotInt[4 * slot] === kind && (this.slotKey[2 * slot] as number) > latestMs) this.slotKey[2 * slot] = latestMs;
      this.slotInt[4 * slot + 3] = -1;
      this.heapInsert(this.slotKey[2 * slot] as number, this.slotKey[2 * slot + 1] as number, slot);
    }
    return moved;
  }

  /** Time of the current event. */
  get timeMs(): number {
    return this.currentTime;
  }
  /** Kind of the current event. */
  get kind(): number {
    return this.slotInt[4 * this.current] as number;
  }
  /** What the current event is about (an integer: see {@link EventKind}). */
  get subject(): number {
    return this.slotInt[4 * this.current + 1] as number;
  }
  /** What qualifies the current event (an integer: see {@link EventKind}). */
  get detail(): number {
    return this.slotInt[4 * this.current + 2] as number;
  }
  /** The object the current event carries (see {@link EventKind}). */
  get payload(): unknown {
    return this.payloads[this.current];
  }
  /** Sequence number of the current event (what {@link pushed} was when it was pushed). */
  get seq(): number {
    return this.slotKey[2 * this.current + 1] as number;
  }

  /** Store an event's fields in a free slot, with the next sequence number. @returns the slot */
  private store(timeMs: number, kind: number, subject: number, detail: number, payload: unknown): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop] as number;
    const ints = this.slotInt;
    ints[4 * slot] = kind;
    ints[4 * slot + 1] = subject;
    ints[4 * slot + 2] = detail;
    ints[4 * slot + 3] = -1;
    this.slotKey[2 * slot] = timeMs;
    this.slotKey[2 * slot + 1] = this.nextSeq++;
    this.payloads[slot] = payload;
    this.count++;
    return slot;
  }

  private heapInsert(timeMs: number, seq: number, entry: number): void {
    const keys = this.heapKey;
    const entries = this.heapEntry;
    let i = this.heapCount++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = keys[2 * parent] as number;
      if (pt < timeMs || (pt === timeMs && (keys[2 * parent + 1] as number) < seq)) break;
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * parent + 1] as number;
      entries[i] = entries[parent] as number;
      i = parent;
    }
    keys[2 * i] = timeMs;
    keys[2 * i + 1] = seq;
    entries[i] = entry;
  }

  /** Give the top entry a later key and sift it down. */
  private heapReplaceTop(timeMs: number, seq: number, entry: number): void {
    const keys = this.heapKey;
    const entries = this.heapEntry;
    const n = this.heapCount;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = keys[2 * child] as number;
      let cs = keys[2 * child + 1] as number;
      const right = child + 1;
      if (right < n) {
        const rt = keys[2 * right] as number;
        const rs = keys[2 * right + 1] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (timeMs < ct || (timeMs === ct && seq < cs)) break;
      keys[2 * i] = ct;
      keys[2 * i + 1] = cs;
      entries[i] = entries[child] as number;
      i = child;
    }
    keys[2 * i] = timeMs;
    keys[2 * i + 1] = seq;
    entries[i] = entry;
  }

  /**
   * Remove the top entry (Floyd's variant: move the hole at the root down to a leaf along the
   * smaller children, one comparison per level, then put the last entry there and sift it up,
   * which it rarely does far).
   */
  private heapRemoveTop(): void {
    const keys = this.heapKey;
    const entries = this.heapEntry;
    const n = --this.heapCount;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = keys[2 * child] as number;
        const rt = keys[2 * right] as number;
        if (rt < ct || (rt === ct && (keys[2 * right + 1] as number) < (keys[2 * child + 1] as number))) child = right;
      }
      keys[2 * i] = keys[2 * child] as number;
      keys[2 * i + 1] = keys[2 * child + 1] as number;
      entries[i] = entries[child] as number;
      i = child;
    }
    const lastTime = keys[2 * n] as number;
    const lastSeq = keys[2 * n + 1] as number;
    const lastEntry = entries[n] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = keys[2 * parent] as number;
      if (pt < lastTime || (pt === lastTime && (keys[2 * parent + 1] as number) < lastSeq)) break;
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * parent + 1] as number;
      entries[i] = entries[parent] as number;
      i = parent;
    }
    keys[2 * i] = lastTime;
    keys[2 * i + 1] = lastSeq;
    entries[i] = lastEntry;
  }

  private grow(): void {
    const old = this.capacity;
    if (old >= this.maxEvents) {
      throw new SynodError("limit", `event queue exceeded ${this.maxEvents} queued events (a runaway protocol or workload?)`, { maxEvents: this.maxEvents });
    }
    const capacity = Math.min(old * 2, this.maxEvents);
    const f64 = (a: Float64Array, stride: number): Float64Array => {
      const b = new Float64Array(stride * capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array, stride: number): Int32Array => {
      const b = new Int32Array(stride * capacity);
      b.set(a);
      return b;
    };
    this.heapKey = f64(this.heapKey, 2);
    this.heapEntry = i32(this.heapEntry, 1);
    this.slotKey = f64(this.slotKey, 2);
    this.slotInt = i32(this.slotInt, 4);
    for (let i = old; i < capacity; i++) this.payloads.push(undefined);
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeTop));
    for (let slot = capacity - 1; slot >= old; slot--) free[this.freeTop++] = slot;
    this.free = free;
    this.capacity = capacity;
  }
}
