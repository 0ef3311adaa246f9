import { describe, expect, it } from "vitest";
import { createRng } from "@synod/core";
import { EventQueue, TraceHash } from "@synod/simulator";

describe("EventQueue", () => {
  it("pops events by (time, sequence), equal times in push order, across growth", () => {
    const seed = 1234;
    const rng = createRng(seed);
    const queue = new EventQueue(1_000_000, 4);
    const expected: Array<{ t: number; seq: number }> = [];
    let seq = 0;
    const popped: Array<{ t: number; seq: number }> = [];
    for (let round = 0; round < 2000; round++) {
      if (rng.bool(0.6) || queue.size === 0) {
        const t = rng.int(0, 50);
        queue.push(t, 1, seq, 0, { seq });
        expected.push({ t, seq });
        seq++;
      } else {
        queue.pop();
        popped.push({ t: queue.timeMs, seq: queue.subject });
        expect((queue.payload as { seq: number }).seq, `seed ${seed}`).toBe(queue.subject);
      }
    }
    while (queue.pop()) popped.push({ t: queue.timeMs, seq: queue.subject });
    expect(popped).toHaveLength(expected.length);
    // Every prefix popped in order consistent with a heap: check against a reference that replays the same operations.
    const reference: Array<{ t: number; seq: number }> = [];
    const replay = createRng(seed);
    const ref2: Array<{ t: number; seq: number }> = [];
    let s2 = 0;
    for (let round = 0; round < 2000; round++) {
      if (replay.bool(0.6) || ref2.length === 0) {
        ref2.push({ t: replay.int(0, 50), seq: s2++ });
      } else {
        ref2.sort((x, y) => x.t - y.t || x.seq - y.seq);
        reference.push(ref2.shift() as { t: number; seq: number });
      }
    }
    ref2.sort((x, y) => x.t - y.t || x.seq - y.seq);
    reference.push(...ref2);
    expect(popped).toEqual(reference);
  });

  it("pops in-order channels and heap events together in exact (time, sequence) order", () => {
    const seed = 77;
    const rng = createRng(seed);
    const channels = 6;
    const queue = new EventQueue(1_000_000, 4, channels);
    const lastTime = new Float64Array(channels);
    const waiting: Array<{ t: number; seq: number }> = [];
    const popped: Array<{ t: number; seq: number }> = [];
    const expected: Array<{ t: number; seq: number }> = [];
    let seq = 0;
    let now = 0;
    let outOfOrder = 0;
    for (let round = 0; round < 5000; round++) {
      if (rng.bool(0.55) || queue.size === 0) {
        const channel = rng.int(-1, channels); // −1: plain push
        // Mostly in order on a channel; sometimes earlier than its last event (falls back to the heap).
        const t = now + (rng.bool(0.1) ? rng.float() * 2 : rng.int(0, 20) + (channel >= 0 ? Math.max(0, (lastTime[channel] as number) - now) : 0));
        if (channel >= 0 && t < (lastTime[channel] as number)) outOfOrder++;
        if (channel < 0) queue.push(t, 1, seq, 0, null);
        else {
          queue.pushInOrder(channel, t, 1, seq, 0, null);
          lastTime[channel] = Math.max(lastTime[channel] as number, t);
        }
        waiting.push({ t, seq: seq++ });
      } else {
        waiting.sort((x, y) => x.t - y.t || x.seq - y.seq);
        expected.push(waiting.shift() as { t: number; seq: number });
        queue.pop();
        now = queue.timeMs;
        popped.push({ t: queue.timeMs, seq: queue.subject });
      }
    }
    waiting.sort((x, y) => x.t - y.t || x.seq - y.seq);
    expected.push(...waiting);
    while (queue.pop()) popped.push({ t: queue.timeMs, seq: queue.subject });
    expect(outOfOrder, `seed ${seed}: the scenario must exercise the fallback`).toBeGreaterThan(10);
    expect(popped, `seed ${seed}`).toEqual(expected);
    expect(queue.size).toBe(0);
  });

  it("clampTimes brings events of one kind forward, keeping their order and every other event's time", () => {
    const queue = new EventQueue(1000, 4, 2);
    // Channel 0: kind 1 at 5, 40, 60 (in order); channel 1: kind 2 at 50; heap: kind 1 at 70, kind 2 at 30.
    queue.pushInOrder(0, 5, 1, 0, 0, null);
    queue.pushInOrder(0, 40, 1, 1, 0, null);
    queue.pushInOrder(0, 60, 1, 2, 0, null);
    queue.pushInOrder(1, 50, 2, 3, 0, null);
    queue.push(70, 1, 4, 0, null);
    queue.push(30, 2, 5, 0, null);
    queue.push(20, 2, 6, 0, null);
    expect(queue.clampTimes(1, 20)).toBe(3);
    expect(queue.clampTimes(1, 20)).toBe(0);
    const popped: Array<[number, number]> = [];
    while (queue.pop()) popped.push([queue.subject, queue.timeMs]);
    // The moved events keep their sequence numbers: at 20 they pop in push order, before the kind-2
    // event pushed after them; the kind-2 events keep their times.
    expect(popped).toEqual([
      [0, 5],
      [1, 20],
      [2, 20],
      [4, 20],
      [6, 20],
      [5, 30],
      [3, 50],
    ]);
    // The channels work again after the rebuild.
    queue.pushInOrder(0, 80, 1, 7, 0, null);
    queue.pushInOrder(0, 90, 1, 8, 0, null);
    queue.push(85, 1, 9, 0, null);
    const after: number[] = [];
    while (queue.pop()) after.push(queue.subject);
    expect(after).toEqual([7, 9, 8]);
  });

  it("rejects a channel it does not have", () => {
    const queue = new EventQueue(100, 4, 2);
    expect(() => queue.pushInOrder(2, 1, 0, 0, 0, null)).toThrow(/no channel 2/);
    expect(() => new EventQueue(100, 4, -1)).toThrow(/channels must be an integer/);
  });

  it("refuses to grow past its limit with a typed error", () => {
    const queue = new EventQueue(8, 4);
    for (let i = 0; i < 8; i++) queue.push(i, 0, 0, 0, null);
    expect(() => queue.push(9, 0, 0, 0, null)).toThrow(/exceeded 8 queued events/);
  });
});

describe("TraceHash", () => {
  it("depends on every word and its order", () => {
    const hash = (words: number[]): string => {
      const h = new TraceHash();
      for (const w of words) h.number(w);
      return h.hex();
    };
    expect(hash([1, 2, 3])).toBe(hash([1, 2, 3]));
    expect(hash([1, 2, 3])).not.toBe(hash([1, 3, 2]));
    expect(hash([1, 2, 3])).not.toBe(hash([1, 2, 3.0000001]));
    expect(hash([1, 2, 3])).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes when any one field of an event changes, and with the order of events", () => {
    const rng = createRng(9);
    const hashOf = (events: Array<[number, number, number, number, number]>): string => {
      const h = new TraceHash();
      for (const [kind, timeMs, a, b, summary] of events) h.event(kind, timeMs, a, b, summary);
      return h.hex();
    };
    for (let i = 0; i < 300; i++) {
      const e: [number, number, number, number, number] = [rng.int(0, 12), rng.float() * 1e5, rng.int(0, 2 ** 31), rng.int(-1, 1 << 20), rng.nextU32()];
      const other: [number, number, number, number, number] = [rng.int(0, 12), rng.float() * 1e5, rng.int(0, 1 << 20), rng.int(-1, 1 << 20), rng.nextU32()];
      const base = hashOf([e, other]);
      expect(hashOf([e, other]), `case ${i}`).toBe(base);
      for (let field = 0; field < 5; field++) {
        const changed = [...e] as typeof e;
        changed[field] = field === 1 ? (e[1] as number) + 1e-9 : (e[field] as number) + 1;
        expect(hashOf([changed, other]), `case ${i}, field ${field}`).not.toBe(base);
      }
      if (e.join() !== other.join()) expect(hashOf([other, e]), `case ${i}: order`).not.toBe(base);
    }
  });
});
