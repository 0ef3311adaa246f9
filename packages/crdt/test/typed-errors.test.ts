import { SynodError } from "@synod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GCounter } from "../src/g-counter.js";
import { PNCounter } from "../src/pn-counter.js";
import { Rga } from "../src/rga.js";
import { LWWRegister, MVRegister, ORSet } from "../src/index.js";

/** Runs `f`; any error it throws must be a SynodError with code `usage` (never RangeError or TypeError). */
function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(SynodError);
    expect((error as SynodError).code).toBe("usage");
  }
}

const anyNumber = fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double(), fc.constantFrom(Infinity, -Infinity, Number.NaN, 2 ** 53));

describe("CRDT public API: bad arguments raise typed errors (fast-check, seed 15)", () => {
  it("Rga.insert / Rga.delete, GCounter.increment, PNCounter.add with any numbers", () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, fc.string({ maxLength: 3 }), (a, b, text) => {
        const rga = new Rga("n1");
        rga.insert(0, "hello");
        onlyTypedErrors(() => rga.insert(a, text));
        onlyTypedErrors(() => rga.delete(a, b));
        onlyTypedErrors(() => GCounter.forReplica("n1").increment(a));
        onlyTypedErrors(() => PNCounter.forReplica("n1").add(a));
      }),
      { seed: 15, numRuns: 300 },
    );
  });

  it("forReplica with any id, Rga.insert with any text, ORSet/MVRegister mutators with any value", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        for (const make of [GCounter.forReplica, PNCounter.forReplica, ORSet.forReplica, MVRegister.forReplica, LWWRegister.forReplica]) {
          onlyTypedErrors(() => make(value as string));
        }
        onlyTypedErrors(() => new Rga("n1").insert(0, value as string));
        onlyTypedErrors(() => ORSet.forReplica("n1").add(value as string));
      }),
      { seed: 15, numRuns: 300 },
    );
    // Before: inserting a number as text created a run with no text (a corrupt document).
    expect(() => new Rga("n1").insert(0, 5 as unknown as string)).toThrow(/insert takes non-empty text, got number/);
  });
});
