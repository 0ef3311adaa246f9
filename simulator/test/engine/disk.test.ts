import { createCodec, createRng, frameRecord, readDurableLog, s } from "@synod/core";
import { describe, expect, it } from "vitest";
import { SimulatedDisk } from "../../src/index.js";

interface Rec {
  readonly seq: number;
  readonly value: string;
}

const codec = createCodec<Rec>(s.object({ seq: s.uint(), value: s.string() }));
const rec = (seq: number): Rec => ({ seq, value: `v${seq}` });

/** What an eagerly encoding disk would hold for these records. */
const eagerFrames = (records: readonly Rec[]): Uint8Array[] => records.map((r) => frameRecord(codec.encode(r)));

describe("SimulatedDisk (records encoded lazily)", () => {
  it("recovers exactly what an eagerly encoding disk would, across writes, reads and compactions", () => {
    const disk = new SimulatedDisk();
    disk.write([rec(1), rec(2)], false, codec);
    expect(disk.recover(codec).state.records).toEqual([rec(1), rec(2)]);
    disk.write([rec(3)], false, codec);
    disk.write([rec(4), rec(5)], true, codec); // compaction: the log is replaced
    disk.write([rec(6)], false, codec);
    const { state, acceptedCorrupted, corruptedOnDisk } = disk.recover(codec);
    expect(state).toEqual(readDurableLog(eagerFrames([rec(4), rec(5), rec(6)]), codec));
    expect(state.records).toEqual([rec(4), rec(5), rec(6)]);
    expect([acceptedCorrupted, corruptedOnDisk, disk.frameCount, disk.recordsWritten]).toEqual([false, false, 3, 6]);
  });

  it("corrupts the encoded bytes of a record written before (never accepted as intact)", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const disk = new SimulatedDisk();
      disk.write([rec(1), rec(2), rec(3)], false, codec);
      expect(disk.corruptRandomByte(createRng(seed)), `seed ${seed}`).toBe(true);
      disk.write([rec(4)], false, codec);
      const { state, acceptedCorrupted, corruptedOnDisk } = disk.recover(codec);
      expect(corruptedOnDisk, `seed ${seed}`).toBe(true);
      expect(acceptedCorrupted, `seed ${seed}`).toBe(false);
      expect(state.corrupted, `seed ${seed}`).toBeGreaterThan(0);
      expect(state.records.length, `seed ${seed}`).toBeLessThan(4);
    }
  });

  it("reports a torn tail after lazily written records, and the driver truncates it to the valid prefix", () => {
    const disk = new SimulatedDisk();
    disk.write([rec(1), rec(2)], false, codec);
    disk.tearTail(rec(3), codec, createRng(7));
    expect(disk.frameCount).toBe(3);
    const first = disk.recover(codec);
    expect(first.state.tornTail).toBe(true);
    expect(first.state.records).toEqual([rec(1), rec(2)]);
    expect(first.validLength).toBe(eagerFrames([rec(1), rec(2)]).reduce((n, f) => n + f.length, 0));
    disk.truncate(first.validLength);
    disk.write([rec(4)], false, codec);
    const second = disk.recover(codec);
    expect([second.state.tornTail, second.state.corrupted]).toEqual([false, 0]);
    expect(second.state.records).toEqual([rec(1), rec(2), rec(4)]);
  });

  it("a driver that appends after a torn tail without truncating it (naive) finds its log corrupted at the next restart", () => {
    const disk = new SimulatedDisk();
    disk.write([rec(1), rec(2)], false, codec);
    disk.tearTail(rec(3), codec, createRng(7));
    expect(disk.recover(codec).state.tornTail).toBe(true);
    disk.write([rec(4)], false, codec); // no truncate: the torn bytes stay in the file, like a real one
    const next = disk.recover(codec);
    expect(next.state.records).toEqual([rec(1), rec(2)]);
    expect(next.state.corrupted).toBeGreaterThan(0);
  });

  it("an empty disk has nothing to corrupt", () => {
    expect(new SimulatedDisk().corruptRandomByte(createRng(1))).toBe(false);
  });
});
