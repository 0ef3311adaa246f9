import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter, DecodeError, EncodeError } from "@synod/core";

const FC = { seed: 13, numRuns: 200 };

function written(write: (w: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter(16);
  write(writer);
  return writer.finish();
}

function decodeError(read: () => unknown): DecodeError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return error as DecodeError;
  }
  throw new Error("expected a DecodeError");
}

describe("ByteWriter / ByteReader: canonical LEB128", () => {
  it("writes the minimal LEB128 groups, low group first", () => {
    expect([...written((w) => w.writeUint(0))]).toEqual([0]);
    expect([...written((w) => w.writeUint(127))]).toEqual([0x7f]);
    expect([...written((w) => w.writeUint(128))]).toEqual([0x80, 0x01]);
    expect([...written((w) => w.writeUint(300))]).toEqual([0xac, 0x02]);
    expect([...written((w) => w.writeUint(2 ** 32))]).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect(written((w) => w.writeUint(Number.MAX_SAFE_INTEGER)).length).toBe(8);
    expect([...written((w) => w.writeInt(-1))]).toEqual([1]);
    expect([...written((w) => w.writeInt(1))]).toEqual([2]);
  });

  it("reads back every uint, int and byte string it writes, and nothing more", () => {
    const value = fc.oneof(
      fc.record({ kind: fc.constant("uint" as const), v: fc.maxSafeNat() }),
      fc.record({ kind: fc.constant("int" as const), v: fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 }) }),
      fc.record({ kind: fc.constant("bytes" as const), v: fc.uint8Array({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant("byte" as const), v: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (values) => {
        const writer = new ByteWriter(16);
        for (const x of values) {
          if (x.kind === "uint") writer.writeUint(x.v);
          else if (x.kind === "int") writer.writeInt(x.v);
          else if (x.kind === "byte") writer.writeByte(x.v);
          else writer.writeBytes(x.v);
        }
        const reader = new ByteReader(writer.finish());
        for (const x of values) {
          const back = x.kind === "uint" ? reader.readUint() : x.kind === "int" ? reader.readInt() : x.kind === "byte" ? reader.readByte() : reader.readBytes();
          expect(back).toEqual(x.v);
        }
        expect(reader.done).toBe(true);
        reader.expectEnd();
      }),
      FC,
    );
  });

  it("accepts one encoding per value: any uint it accepts re-encodes to the same bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 10 }), (bytes) => {
        const reader = new ByteReader(bytes);
        let value: number;
        try {
          value = reader.readUint();
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError);
          return;
        }
        expect([...written((w) => w.writeUint(value))]).toEqual([...bytes.subarray(0, reader.offset)]);
      }),
      FC,
    );
  });

  it("rejects truncated, overlong and oversized integers, naming the field and the offset", () => {
    expect(decodeError(() => new ByteReader(new Uint8Array([0xff]), "runs").readUint()).message).toBe("runs: truncated varint at byte 0");
    expect(decodeError(() => new ByteReader(new Uint8Array([0x80, 0x00])).readUint()).message).toMatch(/overlong/);
    expect(decodeError(() => new ByteReader(new Uint8Array([0x81, 0x80, 0x00])).readUint()).message).toMatch(/overlong/);
    expect(decodeError(() => new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10])).readUint()).message).toMatch(/beyond 2\^53/);
    expect(decodeError(() => new ByteReader(new Uint8Array(9).fill(0x80)).readUint()).message).toMatch(/beyond 2\^53/);
    expect(decodeError(() => new ByteReader(new Uint8Array([5, 1, 2])).readBytes()).message).toMatch(/5 bytes needed, 2 left/);
    expect(decodeError(() => new ByteReader(new Uint8Array([])).readByte()).message).toMatch(/truncated input/);
    expect(decodeError(() => new ByteReader(new Uint8Array([1, 2])).expectEnd()).message).toMatch(/2 trailing bytes/);
  });

  it("refuses to write what it could not read back", () => {
    const writer = new ByteWriter();
    expect(() => writer.writeUint(-1)).toThrow(EncodeError);
    expect(() => writer.writeUint(1.5)).toThrow(EncodeError);
    expect(() => writer.writeUint(2 ** 53)).toThrow(EncodeError);
    expect(() => writer.writeInt(2 ** 52)).toThrow(EncodeError);
  });

  it("writes ASCII text as TextEncoder would, growing as needed, and refuses other text whole", () => {
    const text = "node-7:" + "x".repeat(40);
    expect([...written((w) => w.writeAscii(text))]).toEqual([...new TextEncoder().encode(text)]);
    const writer = new ByteWriter(16);
    writer.writeByte(1);
    expect(() => writer.writeAscii("né")).toThrow(EncodeError);
    expect([...writer.finish()]).toEqual([1]);
  });

  it("byte strings read are copies, and a reset writer starts over", () => {
    const input = new Uint8Array([2, 7, 8]);
    const copy = new ByteReader(input).readBytes();
    input[1] = 0;
    expect([...copy]).toEqual([7, 8]);
    const writer = new ByteWriter();
    writer.writeUint(300);
    writer.reset();
    writer.writeUint(1);
    expect([...writer.finish()]).toEqual([1]);
  });
});
