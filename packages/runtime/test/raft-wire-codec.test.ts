/** The runtime's Raft wire codec: binary AppendEntries / responses, msgpack for the rest, and the shared entries records. */
import { ByteWriter } from "@synod/core";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_INDEX, MAX_MESSAGE_BYTES, MAX_TERM, raftMessageCodec, raftRecordCodec } from "@synod/raft";
import type { Entry, RaftMessage } from "@synod/raft";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { raftRecordCodecSharingEntries, raftWireCodec } from "../src/raft-wire-codec.js";

const normal = (index: number, text: string, term = 3): Entry => ({ type: "normal", term, index, data: new TextEncoder().encode(text) });
const conf: Entry = { type: "conf", term: 3, index: 9, change: { kind: "enter-joint", voters: ["n1", "n2", "n4"], learners: ["n5"] } };
const append = (entries: readonly Entry[]): RaftMessage => ({ type: "append", term: 3, prevIndex: 6, prevTerm: 2, entries, commit: 5 });
const manyEntries = (n: number): Entry[] => Array.from({ length: n }, (_, i) => normal(7 + i, ""));
const response: RaftMessage = { type: "appendResponse", term: 3, index: 8, reject: true, hintIndex: 4, hintTerm: 2 };

/** A binary append from its header fields and the bytes after them. */
function binaryAppend(fields: readonly number[], rest: Uint8Array = new Uint8Array(0)): Uint8Array {
  const w = new ByteWriter();
  w.writeByte(0xc1);
  w.writeByte(1);
  for (const f of fields) w.writeUint(f);
  w.writeRaw(rest);
  return w.finish();
}

describe("raftWireCodec", () => {
  it("round-trips AppendEntries (with and without entries) and responses to what msgpack decodes", () => {
    for (const m of [append([]), append([normal(7, "a"), normal(8, ""), { ...conf, index: 9 }]), response, { ...response, reject: false }]) {
      const bytes = raftWireCodec.encode(m);
      expect(bytes[0]).toBe(0xc1);
      const back = raftWireCodec.decode(bytes);
      expect(back).toEqual({ ok: true, value: m });
      expect(back).toEqual(raftMessageCodec.decode(raftMessageCodec.encode(m)));
    }
  });

  it("writes every other message as raftMessageCodec does, and reads msgpack of every message", () => {
    const others: RaftMessage[] = [
      { type: "vote", term: 4, lastIndex: 9, lastTerm: 3, transfer: false },
      { type: "heartbeat", term: 4, commit: 9, context: 2 },
      { type: "timeoutNow", term: 4 },
    ];
    for (const m of others) expect(raftWireCodec.encode(m)).toEqual(raftMessageCodec.encode(m));
    for (const m of [...others, append([normal(7, "a")]), response]) expect(raftWireCodec.decode(raftMessageCodec.encode(m))).toEqual({ ok: true, value: m });
  });

  it("refuses to encode what it would not decode", () => {
    expect(() => raftWireCodec.encode({ ...response, term: MAX_TERM + 1 } as RaftMessage)).toThrow(/term/);
    expect(() => raftWireCodec.encode({ ...append([]), commit: -1 } as RaftMessage)).toThrow(/commit/);
    expect(() => raftWireCodec.encode(append(manyEntries(MAX_ENTRIES_PER_MESSAGE_WIRE + 1)))).toThrow(/entries/);
    expect(() => raftWireCodec.encode(append([{ ...normal(7, ""), index: 0 }]))).toThrow(/index/);
  });

  it("rejects malformed binary messages with an error, never a throw", () => {
    const good = raftWireCodec.encode(append([normal(7, "a")]));
    const bad: Uint8Array[] = [
      Uint8Array.of(0xc1),
      Uint8Array.of(0xc1, 3),
      good.subarray(0, good.length - 1),
      Uint8Array.of(...raftWireCodec.encode(response), 0),
      binaryAppend([MAX_TERM + 1, 6, 2, 5]),
      binaryAppend([3, MAX_INDEX + 1, 2, 5]),
      binaryAppend([3, 6, 2]),
      binaryAppend([3, 6, 2, 5], raftRecordCodec.encode({ type: "hardState", term: 3, commit: 5, vote: null })),
      binaryAppend([3, 6, 2, 5], Uint8Array.of(7)),
      binaryAppend([3, 6, 2, 5], raftRecordCodec.encode({ type: "entries", entries: manyEntries(MAX_ENTRIES_PER_MESSAGE_WIRE + 1) })),
      Uint8Array.of(0xc1, 2, 3, 8, 2, 4, 2), // reject byte 2
      Uint8Array.of(0xc1, 2, 0x83, 0x00, 8, 0, 4, 2), // overlong term
      new Uint8Array(MAX_MESSAGE_BYTES + 1).fill(0xc1),
    ];
    for (const bytes of bad) {
      const decoded = raftWireCodec.decode(bytes);
      expect(decoded.ok, `accepted ${Buffer.from(bytes.subarray(0, 16)).toString("hex")}`).toBe(false);
    }
  });

  it("is canonical: any binary input it accepts is exactly what encoding the result writes", () => {
    const seeds = [append([normal(7, "ab"), normal(8, "c")]), response, append([])].map((m) => raftWireCodec.encode(m));
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }), fc.nat({ max: 3 }), (seed, edits, cut) => {
        const bytes = seed.slice(0, Math.max(2, seed.length - cut));
        for (const [at, value] of edits) bytes[2 + (at % Math.max(1, bytes.length - 2))] = value;
        const decoded = raftWireCodec.decode(bytes);
        if (decoded.ok && bytes[0] === 0xc1) expect(raftWireCodec.encode(decoded.value)).toEqual(bytes);
      }),
      { numRuns: 2000, seed: 17 },
    );
  });
});

describe("raftRecordCodecSharingEntries", () => {
  it("writes the bytes raftRecordCodec writes, whether the entries were encoded, shared or decoded before", () => {
    const entries = [normal(7, "x"), normal(8, "y")];
    const record = { type: "entries", entries } as const;
    const expected = raftRecordCodec.encode(record);
    expect(raftRecordCodecSharingEntries.encode(record)).toEqual(expected);
    // The same entry objects in another list (a follower's slice), then new objects with new content.
    expect(raftRecordCodecSharingEntries.encode({ type: "entries", entries: entries.slice() })).toEqual(expected);
    const changed = [normal(7, "x"), normal(8, "z")];
    expect(raftRecordCodecSharingEntries.encode({ type: "entries", entries: changed })).toEqual(raftRecordCodec.encode({ type: "entries", entries: changed }));
    // A list decoded from a message: its record is the message's bytes.
    const decoded = raftWireCodec.decode(raftWireCodec.encode(append([normal(7, "p"), conf])));
    if (!decoded.ok || decoded.value.type !== "append") throw new Error("decode failed");
    const again = { type: "entries", entries: decoded.value.entries } as const;
    expect(raftRecordCodecSharingEntries.encode(again)).toEqual(raftRecordCodec.encode(again));
    // A list decoded before the last one (only the last is remembered): encoded afresh, the same bytes.
    const later = raftWireCodec.decode(raftWireCodec.encode(append([normal(7, "q")])));
    expect(later.ok).toBe(true);
    expect(raftRecordCodecSharingEntries.encode(again)).toEqual(raftRecordCodec.encode(again));
    const hard = { type: "hardState", term: 3, commit: 5, vote: "n1" } as const;
    expect(raftRecordCodecSharingEntries.encode(hard)).toEqual(raftRecordCodec.encode(hard));
    expect(raftRecordCodecSharingEntries.decode(expected)).toEqual(raftRecordCodec.decode(expected));
  });
});
