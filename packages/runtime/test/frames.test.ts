/** The frame reader: frames split across chunks anywhere, the size limit checked as soon as a prefix arrives. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeFrame, FrameReader, type FrameKind } from "../src/transport/frames.js";

function readAll(reader: FrameReader, chunks: readonly Buffer[]): { frames: string[]; problem: string | undefined } {
  const frames: string[] = [];
  for (const chunk of chunks) {
    const problem = reader.push(chunk, (kind: FrameKind, body: Buffer) => frames.push(`${kind}:${body.toString("hex")}`));
    if (problem !== undefined) return { frames, problem };
  }
  return { frames, problem: undefined };
}

describe("FrameReader", () => {
  it("delivers every frame, in order, however the stream is cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 40 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => encodeFrame("message", b)));
          const chunks: Buffer[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length] as number;
            chunks.push(Buffer.from(stream.subarray(at, at + size)));
            at += size;
          }
          const { frames, problem } = readAll(new FrameReader(1024), chunks);
          expect(problem).toBeUndefined();
          expect(frames).toEqual(bodies.map((b) => `message:${Buffer.from(b).toString("hex")}`));
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  it("a large frame in many small chunks arrives whole, once", () => {
    const body = Buffer.alloc(200_000, 7);
    const stream = Buffer.concat([encodeFrame("message", body), encodeFrame("keepalive", new Uint8Array(0))]);
    const chunks = Array.from({ length: Math.ceil(stream.length / 16_384) }, (_, i) => stream.subarray(i * 16_384, (i + 1) * 16_384));
    const seen: number[] = [];
    const reader = new FrameReader();
    for (const chunk of chunks) expect(reader.push(chunk, (_kind, b) => seen.push(b.length))).toBeUndefined();
    expect(seen).toEqual([200_000, 0]);
  });

  it("refuses a frame over the limit as soon as its prefix is complete, even after a split prefix", () => {
    const reader = new FrameReader(100);
    const frame = encodeFrame("message", Buffer.alloc(150));
    expect(reader.push(frame.subarray(0, 2), () => {})).toBeUndefined();
    expect(reader.push(frame.subarray(2, 6), () => {})).toBe("frame-too-large");
    const after = new FrameReader(100);
    const ok = encodeFrame("message", Buffer.alloc(10));
    expect(after.push(Buffer.concat([ok, frame.subarray(0, 3)]), () => {})).toBeUndefined();
    expect(after.push(frame.subarray(3, 5), () => {})).toBe("frame-too-large");
  });
});
