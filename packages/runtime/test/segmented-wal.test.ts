/** The WAL: group commit, segments, checkpoints, and recovery from torn tails and damage (disk faults). */
import { FRAME_HEADER_BYTES } from "@synod/core";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SegmentedWal } from "../src/wal/segmented-wal.js";
import { FILE_HEADER_BYTES, fileHeader, walFileName } from "../src/wal/wal-format.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "synod-wal-"));
  dirs.push(dir);
  return dir;
}
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const payloadsOf = (frames: readonly Uint8Array[]): string[] => frames.map((f) => new TextDecoder().decode(f.subarray(FRAME_HEADER_BYTES)));

async function writeRecords(dir: string, batches: string[][], segmentBytes?: number): Promise<void> {
  const { wal } = await SegmentedWal.open(dir, segmentBytes === undefined ? {} : { segmentBytes });
  for (const batch of batches) {
    for (const r of batch) wal.append(text(r));
    await wal.sync();
  }
  await wal.close();
}

describe("SegmentedWal", () => {
  it("reads back what was synced, in order, across reopenings and segment rolls", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["a", "b"], ["c"]], 40);
    await writeRecords(dir, [["d"], ["e", "f"]], 40);
    const { wal, recovery } = await SegmentedWal.open(dir);
    expect(payloadsOf(recovery.frames)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(recovery).toMatchObject({ corrupted: 0, tornTail: false });
    expect(readdirSync(dir).filter((n) => n.endsWith(".wal")).length).toBeGreaterThan(1);
    await wal.close();
  });

  it("group-commits: one sync makes every buffered record durable", async () => {
    const dir = tempDir();
    const { wal } = await SegmentedWal.open(dir);
    for (let i = 0; i < 100; i++) wal.append(text(`r${i}`));
    expect(wal.buffered.records).toBe(100);
    const result = await wal.sync();
    expect(result.records).toBe(100);
    expect(wal.buffered.records).toBe(0);
    await wal.close();
    expect((await SegmentedWal.open(dir)).recovery.frames.length).toBe(100);
  });

  it("keeps the records appended while a sync writes, and records past the buffer's first size", async () => {
    const dir = tempDir();
    const { wal } = await SegmentedWal.open(dir);
    const big = (tag: string): string => tag.repeat(40_000); // two of these outgrow a 64 KiB buffer
    wal.append(text(big("a")));
    wal.append(text(big("b")));
    const first = wal.sync();
    wal.append(text("during")); // buffered while the first sync's bytes are being written
    await first;
    wal.append(text(big("c")));
    await wal.sync();
    wal.append(text("last"));
    await wal.sync();
    await wal.close();
    const { wal: again, recovery } = await SegmentedWal.open(dir);
    expect(payloadsOf(recovery.frames)).toEqual([big("a"), big("b"), "during", big("c"), "last"]);
    await again.close();
  });

  it("a checkpoint replaces everything before it and deletes the obsolete segments", async () => {
    const dir = tempDir();
    const { wal } = await SegmentedWal.open(dir, { segmentBytes: 40 });
    for (const r of ["a", "b", "c", "d"]) {
      wal.append(text(r));
      await wal.sync();
    }
    wal.append(text("lost: before the checkpoint in the same batch"));
    wal.replaceAll([text("snap")]);
    wal.append(text("e"));
    await wal.sync();
    await wal.close();
    const names = readdirSync(dir).sort();
    expect(names.filter((n) => n.endsWith(".checkpoint"))).toHaveLength(1);
    const { recovery } = await SegmentedWal.open(dir);
    expect(payloadsOf(recovery.frames)).toEqual(["snap", "e"]);
  });

  it("a torn tail (a partial last record) is truncated and reported", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["a"], ["b"], ["torn-record"]]);
    const segment = join(dir, walFileName(1, "segment"));
    const size = statSync(segment).size;
    truncateSync(segment, size - 3);
    const { wal, recovery } = await SegmentedWal.open(dir);
    expect(payloadsOf(recovery.frames)).toEqual(["a", "b"]);
    expect(recovery).toMatchObject({ corrupted: 0, tornTail: true, truncatedBytes: FRAME_HEADER_BYTES + "torn-record".length - 3 });
    wal.append(text("c"));
    await wal.sync();
    await wal.close();
    expect(payloadsOf((await SegmentedWal.open(dir)).recovery.frames)).toEqual(["a", "b", "c"]);
  });

  it("a zero-filled tail (allocated, never written) is a torn tail", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["a"]]);
    const segment = join(dir, walFileName(1, "segment"));
    writeFileSync(segment, Buffer.concat([readFileSync(segment), Buffer.alloc(100)]));
    const { recovery } = await SegmentedWal.open(dir);
    expect(payloadsOf(recovery.frames)).toEqual(["a"]);
    expect(recovery.tornTail).toBe(true);
  });

  it("a flipped byte in a synced record is damage: reported as corrupted, never dropped silently, and the WAL refuses writes", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["a"], ["b"], ["c"]]);
    const segment = join(dir, walFileName(1, "segment"));
    const bytes = readFileSync(segment);
    const secondPayload = FILE_HEADER_BYTES + (FRAME_HEADER_BYTES + 1) + FRAME_HEADER_BYTES;
    bytes[secondPayload] = (bytes[secondPayload] as number) ^ 0x40;
    writeFileSync(segment, bytes);
    const { wal, recovery } = await SegmentedWal.open(dir);
    expect(payloadsOf(recovery.frames)).toEqual(["a"]);
    expect(recovery.corrupted).toBe(1);
    expect(recovery.problem).toMatch(/checksum failed/);
    expect(() => wal.append(text("d"))).toThrow(/damaged/);
    expect(readFileSync(segment)).toEqual(bytes); // the evidence stays
  });

  it("a flipped length byte in a middle frame header is damage, not a torn tail", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["a"], ["b"], ["c"]]);
    const segment = join(dir, walFileName(1, "segment"));
    const bytes = readFileSync(segment);
    bytes[FILE_HEADER_BYTES + FRAME_HEADER_BYTES + 1] = 0xff; // length of the second frame
    writeFileSync(segment, bytes);
    const { recovery } = await SegmentedWal.open(dir);
    expect(recovery.corrupted).toBe(1);
    expect(recovery.problem).toMatch(/header checksum/);
  });

  it("a torn record in a segment before the last is damage", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["aaaa"], ["bbbb"], ["cccc"]], 30);
    const first = join(dir, walFileName(1, "segment"));
    truncateSync(first, statSync(first).size - 2);
    const { recovery } = await SegmentedWal.open(dir);
    expect(recovery.corrupted).toBe(1);
  });

  it("a missing segment in the middle is damage", async () => {
    const dir = tempDir();
    await writeRecords(dir, [["aaaa"], ["bbbb"], ["cccc"]], 30);
    rmSync(join(dir, walFileName(2, "segment")));
    const { recovery } = await SegmentedWal.open(dir);
    expect(recovery).toMatchObject({ corrupted: 1 });
    expect(recovery.problem).toMatch(/missing/);
  });

  it("a file from a newer format version is refused with a clear error", async () => {
    const dir = tempDir();
    const header = fileHeader("segment");
    header[8] = 99;
    writeFileSync(join(dir, walFileName(1, "segment")), header);
    await expect(SegmentedWal.open(dir)).rejects.toThrow(/format version 99 is newer/);
  });

  it("a damaged checkpoint is damage", async () => {
    const dir = tempDir();
    const { wal } = await SegmentedWal.open(dir);
    wal.replaceAll([text("snapshot-record")]);
    await wal.sync();
    await wal.close();
    const name = readdirSync(dir).find((n) => n.endsWith(".checkpoint")) as string;
    const bytes = readFileSync(join(dir, name));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    writeFileSync(join(dir, name), bytes);
    expect((await SegmentedWal.open(dir)).recovery.corrupted).toBe(1);
  });
});
