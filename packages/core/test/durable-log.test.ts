import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, createCodec, frameRecord, frameRecordInto, readDurableLog, s, unframeRecord } from "@synod/core";

const codec = createCodec(s.object({ term: s.uint(), vote: s.optional(s.nodeId()) }));
const frames = (records: { term: number; vote?: string }[]) => records.map((r) => frameRecord(codec.encode(r)));

describe("durable log framing", () => {
  it("CRC-32 matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("reads back every intact record in order", () => {
    const records = [{ term: 1 }, { term: 2, vote: "n1" }, { term: 3 }];
    expect(readDurableLog(frames(records), codec)).toEqual({ records, corrupted: 0, tornTail: false });
  });

  it("reports a torn last record as tornTail and keeps the prefix", () => {
    const f = frames([{ term: 1 }, { term: 2 }]);
    f[1] = f[1]!.subarray(0, f[1]!.length - 2);
    expect(readDurableLog(f, codec)).toEqual({ records: [{ term: 1 }], corrupted: 0, tornTail: true });
  });

  it("never silently accepts a corrupted record: any single bit flip is detected", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ term: fc.nat() }), { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), (records, which, at, bit) => {
        const f = frames(records);
        const index = which % f.length;
        const frame = Uint8Array.from(f[index]!);
        frame[at % frame.length]! ^= 1 << bit;
        f[index] = frame;
        const recovered = readDurableLog(f, codec);
        // The flipped record and everything after it are not returned as good records.
        expect(recovered.records).toEqual(records.slice(0, index));
        expect(recovered.corrupted + (recovered.tornTail ? 1 : 0)).toBe(f.length - index);
      }),
      { seed: 7, numRuns: 1000 },
    );
  });

  it("frameRecordInto writes frameRecord's bytes at an offset, and refuses a buffer without room", () => {
    const payload = codec.encode({ term: 9, vote: "n2" });
    const frame = frameRecord(payload);
    const out = new Uint8Array(5 + frame.length).fill(0xee);
    expect(frameRecordInto(payload, out, 5)).toBe(5 + frame.length);
    expect([...out.subarray(0, 5)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee]);
    expect(out.subarray(5)).toEqual(frame);
    expect(() => frameRecordInto(payload, out, 6)).toThrow(/no room/);
  });

  it("unframeRecord distinguishes torn from checksum failures", () => {
    const frame = frameRecord(codec.encode({ term: 9 }));
    expect(unframeRecord(frame.subarray(0, 10))).toEqual({ ok: false, problem: "torn" });
    const flipped = Uint8Array.from(frame);
    flipped[frame.length - 1]! ^= 0x10;
    expect(unframeRecord(flipped)).toEqual({ ok: false, problem: "checksum" });
  });
});

describe("durable log header checksum", () => {
  it("reports a damaged length in the last frame as corruption, not as a torn write", () => {
    for (let byte = 0; byte < 8; byte++) {
      const f = frames([{ term: 1 }, { term: 2 }]);
      const last = Uint8Array.from(f[1]!);
      last[byte]! ^= 0x40;
      f[1] = last;
      expect(readDurableLog(f, codec)).toEqual({ records: [{ term: 1 }], corrupted: 1, tornTail: false });
    }
  });
});
