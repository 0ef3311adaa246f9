import fc from "fast-check";
import { encodeUnchecked } from "@synod/core";
import { describe, expect, it } from "vitest";
import { statementBytes, toHex, type StatementPart } from "../src/index.js";

const part = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.uint8Array({ maxLength: 8 })) as fc.Arbitrary<StatementPart>;

describe("statementBytes", () => {
  it("is injective: different domains or part lists give different bytes", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.array(part, { maxLength: 4 }), fc.string({ maxLength: 8 }), fc.array(part, { maxLength: 4 }), (d1, p1, d2, p2) => {
        const same = d1 === d2 && JSON.stringify(p1.map(String)) === JSON.stringify(p2.map(String)) && p1.every((x, i) => typeof x === typeof p2[i]);
        if (!same) expect(toHex(statementBytes(d1, ...p1))).not.toBe(toHex(statementBytes(d2, ...p2)));
        else expect(toHex(statementBytes(d1, ...p1))).toBe(toHex(statementBytes(d2, ...p2)));
      }),
      { seed: 11, numRuns: 300 },
    );
  });
  it("separates a string from the same bytes, and concatenation ambiguity", () => {
    expect(toHex(statementBytes("d", "ab"))).not.toBe(toHex(statementBytes("d", new TextEncoder().encode("ab"))));
    expect(toHex(statementBytes("d", "a", "bc"))).not.toBe(toHex(statementBytes("d", "ab", "c")));
  });
  it("covers what protocols sign: thousands of parts and multi-MiB parts (statements are never decoded)", () => {
    const digests = Array.from({ length: 4096 }, (_, i) => new Uint8Array(32).fill(i & 0xff));
    expect(statementBytes("synod/pbft/batch/v1", digests.length, ...digests).length).toBeGreaterThan(4096 * 32);
    expect(statementBytes("synod/pbft/state/v1", 7, new Uint8Array(4 << 20), "n1").length).toBeGreaterThan(4 << 20);
    expect(() => statementBytes("d", Number.NaN)).toThrow(/safe integer/);
  });
});

describe("statementBytes, written directly", () => {
  const wide = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ minLength: 250, maxLength: 300 }),
    fc.integer({ min: 0, max: 2 ** 32 + 5 }),
    fc.integer(),
    fc.constantFrom(0, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, -1, -0x21, Number.MAX_SAFE_INTEGER),
    fc.uint8Array({ maxLength: 300 }),
  ) as fc.Arbitrary<StatementPart>;
  it("gives exactly the codec's msgpack bytes of [domain, ...parts], for every kind and size of part", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(wide, { maxLength: 20 }), (domain, parts) => {
        expect(toHex(statementBytes(domain, ...parts))).toBe(toHex(encodeUnchecked([domain, ...parts])));
      }),
      { seed: 12, numRuns: 300 },
    );
    for (const parts of [[new Uint8Array(0xffff), new Uint8Array(0x10000), "x".repeat(0x10000)], Array.from({ length: 0x10000 }, (_, i) => i)]) {
      expect(toHex(statementBytes("d", ...parts))).toBe(toHex(encodeUnchecked(["d", ...parts])));
    }
  });
});
