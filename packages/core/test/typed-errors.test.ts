import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter, createCodec, createRng, s, SynodError } from "@synod/core";

/** Runs `f`; whatever it throws must be a SynodError (never a RangeError, TypeError or plain Error). */
function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(SynodError);
  }
}

const anyValue = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.constantFrom(Infinity, -Infinity, Number.NaN, 2 ** 53, -1, 256, 1.5, null, undefined, "7", 7n),
);

describe("core public API: bad arguments raise typed errors (fast-check, seed 15)", () => {
  it("ByteWriter.writeByte / writeUint / writeInt with any value: an EncodeError, never a RangeError or a silently wrong byte", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const writer = new ByteWriter();
        for (const write of [() => writer.writeByte(value as number), () => writer.writeUint(value as number), () => writer.writeInt(value as number)]) {
          onlyTypedErrors(write);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
    // Before: writeByte(256) wrote 0 and writeUint(-1) threw a RangeError.
    expect(() => new ByteWriter().writeByte(256)).toThrow(SynodError);
    expect(() => new ByteWriter().writeUint(-1)).toThrow(/a uint is a non-negative safe integer/);
  });

  it("createRng with any seed, a codec's encode with any value, its decode with any bytes (a Result, never a throw)", () => {
    const codec = createCodec(s.object({ term: s.uint(), id: s.nodeId(), tags: s.array(s.string({ maxLength: 8 }), { maxLength: 4 }) }));
    fc.assert(
      fc.property(anyValue, anyValue, fc.uint8Array({ maxLength: 64 }), (seed, value, bytes) => {
        onlyTypedErrors(() => createRng(seed as number));
        onlyTypedErrors(() => codec.encode(value as never));
        onlyTypedErrors(() => codec.encode({ term: value, id: "n1", tags: [] } as never));
        const decoded = codec.decode(bytes);
        expect(typeof decoded.ok).toBe("boolean");
      }),
      { seed: 15, numRuns: 300 },
    );
  });
});
