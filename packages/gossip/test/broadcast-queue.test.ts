import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BroadcastQueue } from "../src/broadcast-queue.js";
import type { Update } from "../src/messages.js";

/** The queue's rule written plainly: least-sent first, oldest first among equals, one update per member. */
class ReferenceQueue {
  private entries: Array<{ update: Update; transmits: number; order: number }> = [];
  private order = 0;
  constructor(private readonly limit: number) {}
  enqueue(update: Update): void {
    this.entries = this.entries.filter((e) => e.update.member !== update.member);
    this.entries.push({ update, transmits: 0, order: this.order++ });
  }
  take(max: number, skip?: string): Update[] {
    const chosen = [...this.entries]
      .filter((e) => e.update.member !== skip)
      .sort((a, b) => a.transmits - b.transmits || a.order - b.order)
      .slice(0, max);
    for (const e of chosen) e.transmits++;
    this.entries = this.entries.filter((e) => e.transmits < this.limit);
    return chosen.map((e) => e.update);
  }
  get size(): number {
    return this.entries.length;
  }
}

const member = fc.integer({ min: 1, max: 12 }).map((i) => `n${i}`);
const operation = fc.oneof(
  fc.record({ kind: fc.constant("enqueue" as const), member, incarnation: fc.nat(5) }),
  fc.record({ kind: fc.constant("take" as const), max: fc.integer({ min: 0, max: 5 }), skip: fc.option(member, { nil: undefined }) }),
);

describe("BroadcastQueue", () => {
  it("takes what the plain rule takes (least-sent first, oldest first, the skipped member's update left in place), for any sequence of operations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(operation, { maxLength: 200 }), (limit, operations) => {
        const queue = new BroadcastQueue(limit);
        const reference = new ReferenceQueue(limit);
        for (const op of operations) {
          if (op.kind === "enqueue") {
            const update: Update = { state: "alive", member: op.member, incarnation: op.incarnation, from: op.member };
            queue.enqueue(update);
            reference.enqueue(update);
          } else {
            expect(queue.take(op.max, op.skip)).toEqual(reference.take(op.max, op.skip));
          }
          expect(queue.size).toBe(reference.size);
        }
      }),
      { seed: 19, numRuns: 300 },
    );
  });
});
