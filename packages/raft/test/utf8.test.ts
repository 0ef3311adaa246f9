import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_UTF8_BYTES_PER_UNIT, readUtf8, writeUtf8 } from "../src/utf8.js";

const platform = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** What the platform's strict decoder says of `bytes`: the string, or "invalid" when it throws. */
function reference(bytes: Uint8Array): string {
  try {
    return platform.decode(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return "invalid";
  }
}

function decoded(bytes: Uint8Array, start: number, length: number): string {
  try {
    return readUtf8(bytes, start, length);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return "invalid";
  }
}

// Lengths on both sides of the loop/platform threshold (32) and far past it.
const LENGTHS = [0, 1, 31, 32, 33, 64, 1024, 16 * 1024];

describe("UTF-8 helpers of the binary codecs", () => {
  it("readUtf8 decodes exactly as the strict platform decoder, valid or not, short or long (fast-check, seed 15)", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      // One stray byte somewhere in ASCII text around the threshold.
      fc.tuple(fc.uint8Array({ minLength: 30, maxLength: 40, min: 0, max: 0x7f }), fc.nat(40), fc.integer({ min: 0x80, max: 0xff })).map(([ascii, at, b]) => {
        const out = ascii.slice();
        if (at < out.length) out[at] = b;
        return out;
      }),
    );
    fc.assert(
      fc.property(bytes, fc.nat(5), (input, pad) => {
        const framed = new Uint8Array(pad + input.length + 3);
        framed.set(input, pad);
        expect(decoded(framed, pad, input.length)).toBe(reference(input));
      }),
      { seed: 15, numRuns: 2_000 },
    );
  });

  it("readUtf8 refuses invalid UTF-8 at every length, and keeps a byte-order mark", () => {
    for (const length of LENGTHS) {
      const text = "a".repeat(length);
      for (const bad of [[0x80], [0xc3], [0xed, 0xa0, 0x80], [0xff]]) {
        const bytes = new Uint8Array([...new TextEncoder().encode(text), ...bad]);
        expect(() => readUtf8(bytes, 0, bytes.length), `${length} + [${bad.join(",")}]`).toThrow(TypeError);
      }
      const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
      expect(readUtf8(bom, 0, bom.length)).toBe(`\uFEFF${text}`);
    }
  });

  it("writeUtf8 writes exactly TextEncoder's bytes (lone surrogates as U+FFFD) within the room it promises (fast-check, seed 15)", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80, unit: "binary" }),
      fc.string({ maxLength: 80, unit: "grapheme-ascii" }),
      fc.string({ maxLength: 80, unit: fc.constantFrom("a", "\uD800", "é", "\u{1F600}") }),
    );
    fc.assert(
      fc.property(text, fc.nat(5), (s, at) => {
        const expected = new TextEncoder().encode(s);
        const out = new Uint8Array(at + MAX_UTF8_BYTES_PER_UNIT * s.length);
        const written = writeUtf8(out, at, s);
        expect(Buffer.compare(out.subarray(at, at + written), expected), JSON.stringify(s)).toBe(0);
      }),
      { seed: 15, numRuns: 300 },
    );
    for (const length of LENGTHS) {
      const s = "é".repeat(length);
      const out = new Uint8Array(MAX_UTF8_BYTES_PER_UNIT * length);
      expect(readUtf8(out, 0, writeUtf8(out, 0, s))).toBe(s);
    }
  });
});
