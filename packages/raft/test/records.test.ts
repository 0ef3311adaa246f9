import { createRng, s, type Schema } from "@synod/core";
import { describe, expect, it } from "vitest";
import { entrySchema } from "../src/entry.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, snapshotPayloadSchema } from "../src/messages.js";
import { raftRecordCodec, raftRecordSchema, type RaftRecord } from "../src/records.js";

/** The record schema written with the core combinators only: raftRecordSchema must behave exactly like it. */
const combinatorSchema: Schema<RaftRecord> = s.variant("type", {
  hardState: { term: s.uint(), vote: s.nullable(s.nodeId()), commit: s.uint() },
  entries: { entries: s.array(entrySchema, { minLength: 1, maxLength: MAX_ENTRIES_PER_MESSAGE_WIRE * 10 }) },
  snapshot: { snapshot: snapshotPayloadSchema },
});

/** The outcome of a parse, with key order, byte copies and errors made comparable. */
function outcome(schema: Schema<RaftRecord>, value: unknown): string {
  try {
    const parsed = schema.parse(value, "");
    return JSON.stringify(parsed, (_key, v: unknown) => (v instanceof Uint8Array ? { bytes: [...v], plain: v.constructor === Uint8Array, own: v.byteOffset === 0 && v.buffer.byteLength === v.length } : v));
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message} @ ${String((error as { path?: unknown }).path)}` : String(error);
  }
}

describe("durable records", () => {
  it("decode exactly as the combinator schema does (values, key order, byte copies, errors), over valid and damaged records", () => {
    const seed = 4711;
    const rng = createRng(seed);
    const odd = (): unknown => rng.pick<unknown>([undefined, null, 0, -1, 1.5, 2 ** 60, "n1", "", "x".repeat(65), true, [], {}, new Uint8Array([1]), [1]]);
    const entry = (index: number): unknown =>
      rng.bool(0.7)
        ? { type: "normal", term: rng.int(0, 5), index, data: new Uint8Array(rng.int(0, 4)).subarray(0, rng.int(0, 3)) }
        : { type: "conf", term: 1, index, change: rng.bool(0.5) ? { kind: "leave-joint" } : { kind: "enter-joint", voters: ["n1", "n2"], learners: rng.bool(0.5) ? [] : ["n3"] } };
    const record = (): unknown => {
      switch (rng.int(0, 3)) {
        case 0:
          return { type: "hardState", term: rng.int(0, 9), vote: rng.pick([null, "n1"]), commit: rng.int(0, 9) };
        case 1:
          return { type: "entries", entries: Array.from({ length: rng.int(1, 4) }, (_, k) => entry(k + 1)) };
        default:
          return { type: "snapshot", snapshot: { index: rng.int(1, 9), term: 2, conf: { voters: ["n1", "n2"], outgoing: [], learners: [] }, data: new Uint8Array(3) } };
      }
    };
    // Damage: replace, drop or add a field somewhere in the tree; prototype-less objects.
    const damage = (v: unknown): unknown => {
      if (v === null || typeof v !== "object" || v instanceof Uint8Array) return rng.bool(0.2) ? odd() : v;
      if (Array.isArray(v)) return v.map((x) => (rng.bool(0.3) ? damage(x) : x));
      const out: Record<string, unknown> = rng.bool(0.1) ? (Object.create(null) as Record<string, unknown>) : {};
      for (const [k, x] of Object.entries(v)) if (!rng.bool(0.05)) out[k] = rng.bool(0.3) ? damage(x) : x;
      if (rng.bool(0.1)) out.extra = odd();
      return out;
    };
    let valid = 0;
    for (let i = 0; i < 3_000; i++) {
      const value = rng.bool(0.5) ? damage(record()) : record();
      const expected = outcome(combinatorSchema, value);
      if (!expected.includes("DecodeError")) valid++;
      expect(outcome(raftRecordSchema, value), `seed ${seed}, case ${i}: ${JSON.stringify(value)}`).toBe(expected);
    }
    expect(valid).toBeGreaterThan(1_000);
    expect(valid).toBeLessThan(3_000);
  });

  it("round-trip through the codec", () => {
    const records: RaftRecord[] = [
      { type: "hardState", term: 3, vote: "n2", commit: 7 },
      { type: "hardState", term: 0, vote: null, commit: 0 },
      { type: "entries", entries: [{ type: "normal", term: 1, index: 1, data: new Uint8Array([1, 2]) }, { type: "conf", term: 1, index: 2, change: { kind: "leave-joint" } }] },
      { type: "snapshot", snapshot: { index: 4, term: 1, conf: { voters: ["n1"], outgoing: [], learners: ["n2"] }, data: new Uint8Array([9]) } },
    ];
    for (const record of records) expect(raftRecordCodec.decode(raftRecordCodec.encode(record))).toEqual({ ok: true, value: record });
  });
});
