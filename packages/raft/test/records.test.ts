import { DecodeError, EncodeError, validate } from "@synod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConfState } from "../src/conf-state.js";
import type { Entry } from "../src/entry.js";
import { MAX_ENTRIES_PER_RECORD, MAX_ENTRY_BYTES_WIRE, MAX_INDEX, MAX_MEMBERS, MAX_SNAPSHOT_BYTES, MAX_TERM } from "../src/limits.js";
import { RECORD_FORMAT_VERSION, raftRecordCodec } from "../src/record-codec.js";
import { raftRecordSchema, type RaftRecord } from "../src/records.js";

/** Terms and indexes: small, 32-bit, and up to their ceilings (limits.ts). */
const uint = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: Math.min(MAX_TERM, MAX_INDEX) }));
const nodeId = fc.oneof(fc.constantFrom("n1", "n2", "n3", "node-42"), fc.string({ minLength: 1, maxLength: 64, unit: "binary" }).filter((id) => id === new TextDecoder().decode(new TextEncoder().encode(id))));
const ids = fc.array(nodeId, { maxLength: 5 });
const confArb: fc.Arbitrary<ConfState> = fc.record({ voters: ids, outgoing: ids, learners: ids });
const entryArb = (index: number): fc.Arbitrary<Entry> =>
  fc.oneof(
    fc.record({ type: fc.constant("normal" as const), term: uint, index: fc.constant(index), data: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ type: fc.constant("conf" as const), term: uint, index: fc.constant(index), change: fc.constant({ kind: "leave-joint" as const }) }),
    fc.record({ type: fc.constant("conf" as const), term: uint, index: fc.constant(index), change: fc.record({ kind: fc.constant("enter-joint" as const), voters: ids, learners: ids }) }),
  );
const recordArb: fc.Arbitrary<RaftRecord> = fc.oneof(
  fc.record({ type: fc.constant("hardState" as const), term: uint, vote: fc.option(nodeId, { nil: null }), commit: uint }),
  fc
    .tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: 6 }))
    .chain(([first, count]) => fc.tuple(...Array.from({ length: count }, (_, k) => entryArb(first + k))))
    .map((entries) => ({ type: "entries" as const, entries })),
  fc.record({ type: fc.constant("snapshot" as const), snapshot: fc.record({ index: uint, term: uint, conf: confArb, size: fc.integer({ min: 0, max: MAX_SNAPSHOT_BYTES }) }) }),
  fc.record({ type: fc.constant("snapshotChunk" as const), index: uint, term: uint, offset: fc.integer({ min: 0, max: MAX_SNAPSHOT_BYTES }), data: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
);

/** Decodes `bytes`, failing the test if the decoder throws (it must never). */
function decode(bytes: Uint8Array): ReturnType<typeof raftRecordCodec.decode> {
  return raftRecordCodec.decode(bytes);
}

function expectRejected(bytes: Uint8Array | number[], message: RegExp, path?: string): void {
  const result = decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error).toBeInstanceOf(DecodeError);
  expect(result.error.message).toMatch(message);
  if (path !== undefined) expect(result.error.path).toBe(path);
}

const V = RECORD_FORMAT_VERSION;

describe("durable record codec", () => {
  it("round-trips every record the schema accepts, and decodes only records the schema accepts", () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        expect(validate(raftRecordSchema, record).ok).toBe(true);
        const decoded = decode(raftRecordCodec.encode(record));
        expect(decoded).toEqual({ ok: true, value: record });
        if (decoded.ok) expect(validate(raftRecordSchema, decoded.value).ok).toBe(true);
      }),
      { seed: 20261122, numRuns: 2_000 },
    );
  });

  it("never throws on damaged bytes, and what it accepts is canonical: it encodes back to the same bytes", () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(recordArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom("flip", "cut", "insert", "drop")), { minLength: 1, maxLength: 3 }), (record, edits) => {
        const bytes = [...raftRecordCodec.encode(record)];
        for (const [where, value, edit] of edits) {
          const i = where % (bytes.length + 1);
          if (edit === "flip" && i < bytes.length) bytes[i] = value;
          else if (edit === "cut") bytes.length = i;
          else if (edit === "insert") bytes.splice(i, 0, value);
          else bytes.splice(i, 1);
        }
        const damaged = new Uint8Array(bytes);
        const result = decode(damaged);
        if (!result.ok) {
          rejected++;
          expect(result.error).toBeInstanceOf(DecodeError);
          return;
        }
        accepted++;
        expect(validate(raftRecordSchema, result.value).ok).toBe(true);
        expect([...raftRecordCodec.encode(result.value)]).toEqual(bytes);
      }),
      { seed: 4711, numRuns: 5_000 },
    );
    // Both outcomes occur, or the property above tested nothing.
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });

  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(1, 2, 3), (tail, tag) => {
        for (const bytes of [tail, new Uint8Array([V, tag, ...tail])]) {
          const result = decode(bytes);
          if (result.ok) expect([...raftRecordCodec.encode(result.value)]).toEqual([...bytes]);
          else expect(result.error).toBeInstanceOf(DecodeError);
        }
      }),
      { seed: 99, numRuns: 5_000 },
    );
  });

  it("writes the documented layout", () => {
    expect([...raftRecordCodec.encode({ type: "hardState", term: 300, vote: "n2", commit: 5 })]).toEqual([V, 1, 0xac, 0x02, 5, 2, 0x6e, 0x32]);
    expect([...raftRecordCodec.encode({ type: "hardState", term: 0, vote: null, commit: 0 })]).toEqual([V, 1, 0, 0, 0]);
    expect([...raftRecordCodec.encode({ type: "entries", entries: [{ type: "normal", term: 2, index: 7, data: new Uint8Array([9, 8]) }, { type: "conf", term: 2, index: 8, change: { kind: "leave-joint" } }] })]).toEqual([V, 2, 2, 1, 2, 7, 2, 9, 8, 2, 2, 8, 2]);
    expect([...raftRecordCodec.encode({ type: "entries", entries: [{ type: "conf", term: 1, index: 1, change: { kind: "enter-joint", voters: ["a"], learners: [] } }] })]).toEqual([V, 2, 1, 2, 1, 1, 1, 1, 1, 0x61, 0]);
    expect([...raftRecordCodec.encode({ type: "snapshot", snapshot: { index: 4, term: 1, conf: { voters: ["a"], outgoing: [], learners: ["b"] }, size: 300 } })]).toEqual([V, 3, 4, 1, 1, 1, 0x61, 0, 1, 1, 0x62, 0xac, 0x02]);
    expect([...raftRecordCodec.encode({ type: "snapshotChunk", index: 4, term: 1, offset: 2, data: new Uint8Array([7, 8]) })]).toEqual([V, 4, 4, 1, 2, 2, 7, 8]);
  });

  it("round-trips the largest term and index and non-ASCII node ids, a leading byte-order mark included", () => {
    for (const vote of ["nœud-ü-😀", "\uFEFFn1"]) {
      const record: RaftRecord = { type: "hardState", term: MAX_TERM, vote, commit: MAX_INDEX };
      expect(decode(raftRecordCodec.encode(record))).toEqual({ ok: true, value: record });
    }
  });

  it("refuses a term above MAX_TERM and an index above MAX_INDEX", () => {
    const leb = (x: number): number[] => (x < 0x80 ? [x] : [(x % 0x80) | 0x80, ...leb(Math.floor(x / 0x80))]);
    expectRejected([V, 1, ...leb(MAX_TERM + 1), 0, 0], /integer above/, "term");
    expectRejected([V, 1, 1, ...leb(MAX_INDEX + 1), 0], /integer above/, "commit");
  });

  it("decodes ids right however many distinct ids it has seen (its cache of interned ids is bounded)", () => {
    for (let i = 0; i < 10_000; i++) {
      const record: RaftRecord = { type: "hardState", term: i, vote: `node-${i % 5_000}`, commit: 0 };
      expect(decode(raftRecordCodec.encode(record))).toEqual({ ok: true, value: record });
    }
  });

  it("decodes byte fields as copies, never as views of its input", () => {
    const bytes = raftRecordCodec.encode({ type: "entries", entries: [{ type: "normal", term: 1, index: 1, data: new Uint8Array([1, 2, 3]) }] });
    const result = decode(bytes);
    bytes.fill(0);
    expect(result.ok && result.value.type === "entries" && [...(result.value.entries[0] as Entry & { type: "normal" }).data]).toEqual([1, 2, 3]);
  });

  it("rejects, with the field's path, every way bytes can fail to be a record", () => {
    expectRejected([], /empty input/);
    expectRejected([1, 1, 0, 0, 0], /unknown record format version 1/); // version 1 held a snapshot's data in one record
    expectRejected([3, 1, 0, 0, 0], /unknown record format version 3/);
    expectRejected([V, 9], /unknown record type 9/, "type");
    expectRejected([V], /truncated/, "type");
    expectRejected([V, 1, 0x80, 0x00, 0, 0], /overlong integer/, "term");
    expectRejected([V, 1, 0x80], /truncated integer/, "term");
    expectRejected([V, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x10, 0, 0], /above 2\^53/, "term");
    expectRejected([V, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0], /above 2\^53/, "term");
    expectRejected([V, 1, 0, 0, 2, 0xc3, 0x28], /invalid UTF-8/, "vote");
    expectRejected([V, 1, 0, 0, 65, ...new Array<number>(65).fill(0x61)], /not a node id/, "vote");
    expectRejected([V, 1, 0, 0, 0, 0], /1 trailing bytes/);
    expectRejected([V, 2, 0], /expected 1 to/, "entries");
    expectRejected([V, 4, 1, 1, 0, 0], /expected at least 1 byte/, "data");
    expectRejected([V, 4, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 7], /integer above/, "offset"); // 2^31 > MAX_SNAPSHOT_BYTES
    expectRejected([V, 3, 1, 1, 1, 1, 0x61, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x08], /integer above/, "snapshot.size");
    expectRejected([V, 2, 0x80 | (MAX_ENTRIES_PER_RECORD + 1) % 128, ...[Math.floor((MAX_ENTRIES_PER_RECORD + 1) / 128) % 128 | 0x80, Math.floor((MAX_ENTRIES_PER_RECORD + 1) / 16384)]], /expected 1 to/, "entries");
    expectRejected([V, 2, 1, 1, 1, 0, 0], /index ≥ 1/, "entries[0].index");
    expectRejected([V, 2, 1, 3, 1, 1, 0], /unknown entry kind 3/, "entries[0].type");
    expectRejected([V, 2, 1, 2, 1, 1, 7], /unknown change kind 7/, "entries[0].change.kind");
    expectRejected([V, 2, 1, 2, 1, 1, 1, 1, 0, 0], /empty node id/, "entries[0].change.voters[0]");
    expectRejected([V, 2, 1, 1, 1, 1, 5, 1, 2], /truncated bytes/, "entries[0].data");
    const tooLong = MAX_ENTRY_BYTES_WIRE + 1;
    expectRejected([V, 2, 1, 1, 1, 1, 0x80 | (tooLong & 0x7f), 0x80 | ((tooLong >> 7) & 0x7f), tooLong >> 14], /exceed the limit/, "entries[0].data");
    const manyIds = MAX_MEMBERS + 1;
    expectRejected([V, 3, 1, 1, 0x80 | (manyIds & 0x7f), manyIds >> 7], /ids exceed the limit/, "snapshot.conf.voters");
    expectRejected(new Uint8Array(raftRecordCodec.maxBytes + 1), /exceeds the limit/);
    expect(decode("not bytes" as unknown as Uint8Array).ok).toBe(false);
  });

  it("refuses to encode a number no record holds, with a typed EncodeError", () => {
    expect(() => raftRecordCodec.encode({ type: "hardState", term: -1, vote: null, commit: 0 })).toThrow(EncodeError);
    expect(() => raftRecordCodec.encode({ type: "hardState", term: 1.5, vote: null, commit: 0 })).toThrow(EncodeError);
  });
});
