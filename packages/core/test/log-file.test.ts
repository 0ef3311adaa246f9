import { describe, expect, it } from "vitest";
import { createCodec } from "../src/codec.js";
import { frameRecord } from "../src/durable-log.js";
import { readLogFile } from "../src/log-file.js";
import { s } from "../src/schema.js";

const codec = createCodec(s.object({ seq: s.uint() }));
const frame = (seq: number): Uint8Array => frameRecord(codec.encode({ seq }));

/** The bytes of a log file holding these chunks back to back. */
function file(...chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

describe("readLogFile: a log file's bytes to records and the length of the valid prefix", () => {
  it("reads every frame of an intact file; the whole file is valid", () => {
    const bytes = file(frame(1), frame(2), frame(3));
    const read = readLogFile(bytes, codec);
    expect(read.records).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    expect([read.corrupted, read.tornTail, read.validLength]).toEqual([0, false, bytes.length]);
  });

  it("reports a torn last frame, at every cut, with the valid prefix ending before it", () => {
    const head = file(frame(1), frame(2));
    const last = frame(3);
    for (let cut = 1; cut < last.length; cut++) {
      const read = readLogFile(file(head, last.subarray(0, cut)), codec);
      expect(read.records).toEqual([{ seq: 1 }, { seq: 2 }]);
      expect([read.corrupted, read.tornTail, read.validLength]).toEqual([0, true, head.length]);
    }
  });

  it("truncating to validLength before appending keeps every record; appending after the torn tail loses them (the contract)", () => {
    const head = file(frame(1), frame(2));
    const torn = frame(3).subarray(0, 9);
    const { validLength } = readLogFile(file(head, torn), codec);
    const truncated = readLogFile(file(file(head, torn).subarray(0, validLength), frame(4)), codec);
    expect(truncated.records).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 4 }]);
    expect([truncated.corrupted, truncated.tornTail]).toEqual([0, false]);
    const naive = readLogFile(file(head, torn, frame(4)), codec);
    expect(naive.records).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(naive.corrupted).toBeGreaterThan(0);
  });

  it("a damaged frame in the middle is corrupted, with everything after it", () => {
    const bad = frame(2).slice();
    bad[14] = (bad[14] as number) ^ 0xff;
    const read = readLogFile(file(frame(1), bad, frame(3)), codec);
    expect(read.records).toEqual([{ seq: 1 }]);
    expect(read.corrupted).toBe(2);
    expect(read.tornTail).toBe(false);
  });

  it("an empty file is a fresh log", () => {
    expect(readLogFile(new Uint8Array(0), codec)).toEqual({ records: [], corrupted: 0, tornTail: false, validLength: 0 });
  });
});
