import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createCodec, DecodeError, type Schema } from "@synod/core";
import {
  CausalCrdt,
  gCounterCodec,
  mvRegisterCodec,
  ORSet,
  orSetCodec,
  orSetKind,
  pnCounterCodec,
  compressRgaState,
  decompressRgaState,
  Rga,
  rgaStateCodec,
  ReplicaDocument,
  twoPSetCodec,
} from "../src/index.js";

/** Encodes anything (the core codec with a schema that accepts every value): forged peer input. */
const anything: Schema<unknown> = { description: "anything", parse: (value) => value };
const rawCodec = createCodec(anything);
const bytes = (value: unknown): Uint8Array => rawCodec.encode(value);

function expectDecodeError(result: { ok: boolean; error?: unknown }, fragment: string): void {
  expect(result.ok).toBe(false);
  expect(result.error).toBeInstanceOf(DecodeError);
  expect((result.error as DecodeError).message).toContain(fragment);
}

describe("decoding untrusted states and deltas", () => {
  it("rejects a replica id that is not a string", () => {
    expectDecodeError(gCounterCodec.decode(bytes([[42, 1]])), "expected string");
  });

  it("rejects a negative counter", () => {
    expectDecodeError(gCounterCodec.decode(bytes([["r1", -1]])), "integer in [0");
    expectDecodeError(pnCounterCodec.decode(bytes({ p: [], n: [["r1", -3]] })), "integer in [0");
  });

  it("rejects a duplicate replica entry", () => {
    expectDecodeError(gCounterCodec.decode(bytes([["r1", 1], ["r1", 2]])), "duplicate replica");
  });

  it("rejects an OR-Set dot from the future of its own causal context", () => {
    const wire = { store: [["x", [["r1", 5]]]], ctx: { vv: [["r1", 3]], cloud: [] } };
    expectDecodeError(orSetCodec.decode(bytes(wire)), "not in the state's own causal context");
    const mv = { store: [["r2", 1, "v"]], ctx: { vv: [], cloud: [] } };
    expectDecodeError(mvRegisterCodec.decode(bytes(mv)), "not in the state's own causal context");
  });

  it("rejects a removed 2P-Set element that was never added", () => {
    expectDecodeError(twoPSetCodec.decode(bytes({ added: [], removed: ["x"] })), "never added");
  });

  it("accepts a valid OR-Set and round-trips it", () => {
    const set = ORSet.forReplica("r1");
    set.add("x");
    const decoded = orSetCodec.decode(orSetCodec.encode(set));
    expect(decoded.ok && decoded.value.equals(set)).toBe(true);
    expect(CausalCrdt.fromWire(orSetKind, set.toWire()).equals(set.state)).toBe(true);
  });

  it("rejects malformed RGA documents (bad runs, wrong text length)", () => {
    const doc = new Rga("a");
    doc.insert(0, "hello");
    const codec = rgaStateCodec("b");
    const wire = doc.toWire();
    // A saved document as a peer could forge it: any columns, deflated as the codec expects.
    const saved = (columns: Partial<typeof wire>): Uint8Array => bytes(compressRgaState({ ...wire, ...columns }));
    expectDecodeError(codec.decode(saved({ text: "hell" })), "text shorter");
    expectDecodeError(codec.decode(saved({ text: "hello!" })), "text longer");
    expectDecodeError(codec.decode(saved({ runs: new Uint8Array([0xff]) })), "truncated varint");
    // One document, one encoding: the first run's header written overlong (h as h|0x80, 0x00) is refused.
    const header = wire.runs[0] as number;
    expect(header).toBeLessThan(0x80);
    expectDecodeError(codec.decode(saved({ runs: new Uint8Array([header | 0x80, 0x00, ...wire.runs.subarray(1)]) })), "overlong varint");
    expectDecodeError(codec.decode(saved({ replicas: [] })), "out of range");
  });

  it("rejects saved RGA columns that are not DEFLATE, not UTF-8, or inflate past the limit", () => {
    const doc = new Rga("a");
    doc.insert(0, "hello");
    const codec = rgaStateCodec("b");
    const good = compressRgaState(doc.toWire());
    expectDecodeError(codec.decode(bytes({ ...good, runs: new Uint8Array([0xff, 0xff, 0xff]) })), "not valid DEFLATE");
    expectDecodeError(codec.decode(bytes({ ...good, text: good.text.subarray(0, 2) })), "not valid DEFLATE");
    // 0xC3 0x28: a two-byte UTF-8 sequence with a bad continuation byte, deflated as a column.
    expectDecodeError(codec.decode(bytes({ ...good, text: deflateRawSync(new Uint8Array([0x68, 0xc3, 0x28, 0x6c, 0x6f])) })), "not valid UTF-8");
    // A small input must not expand without bound: 1 MiB of zeros is about 1 KiB deflated.
    const bomb = { replicas: ["a"], runs: deflateRawSync(new Uint8Array(1 << 20)), text: good.text };
    expect(bomb.runs.length).toBeLessThan(4096);
    expect(() => decompressRgaState(bomb, 1 << 16)).toThrow(/inflates past 65536 bytes/);
    expect(decompressRgaState(good).text).toBe("hello");
  });

  it("a bad RGA delta never changes the document", () => {
    const doc = new Rga("a");
    doc.insert(0, "abc");
    const before = JSON.stringify(doc.toDelta());
    // The first insert is fine, the second one has an unknown origin: nothing may be applied.
    const result = doc.applyDelta({ inserts: [["b", 10, ["a", 3], "X"], ["b", 20, ["zz", 1], "Y"]], deletes: [] });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(doc.toDelta())).toBe(before);
    expect(doc.applyDelta({ inserts: [], deletes: [["q", 1, 1]] }).ok).toBe(false);
    expect(doc.applyDelta({ inserts: [["b", 2, ["a", 3], "Z"]], deletes: [] }).ok).toBe(false); // not younger than its origin
    expect(JSON.stringify(doc.toDelta())).toBe(before);
    expect(doc.toString()).toBe("abc");
  });

  it("a bad delta group never corrupts a replica document", () => {
    const doc = new ReplicaDocument("n1");
    doc.applyLocal({ type: "add", element: "x" });
    doc.applyLocal({ type: "insert", index: 0, text: "hi" });
    doc.applyLocal({ type: "increment", amount: 2 });
    const snapshot = JSON.stringify(doc.toGroup());
    // Valid counter and set parts, but a text op that is not causally ready: the whole group is refused.
    const bad = doc.applyGroup({
      dots: { vv: [["n2", 1]], cloud: [] },
      counter: { p: [["n2", 100]], n: [] },
      set: { store: [["evil", [["n2", 1]]]], ctx: { vv: [["n2", 1]], cloud: [] } },
      text: { inserts: [["n2", 9, ["n9", 1], "!"]], deletes: [] },
    });
    expect(bad.ok).toBe(false);
    const future = doc.applyGroup({ dots: { vv: [], cloud: [] }, set: { store: [["evil", [["n2", 7]]]], ctx: { vv: [], cloud: [] } } });
    expect(future.ok).toBe(false);
    expect(JSON.stringify(doc.toGroup())).toBe(snapshot);
  });

  it("the core codec layer rejects non-msgpack and oversize input", () => {
    const codec = createCodec(CausalCrdt.wireSchema(orSetKind), { maxBytes: 8 });
    expect(codec.decode(new Uint8Array(100)).ok).toBe(false);
    expect(codec.decode(new Uint8Array([0xc1])).ok).toBe(false);
  });
});

describe("RGA deltas with overlapping ids", () => {
  it("refuses an insert whose ids overlap an earlier insert of the same delta", () => {
    const doc = new Rga("a");
    const result = doc.applyDelta({ inserts: [["b", 5, null, "xyz"], ["b", 3, null, "pqr"]], deletes: [] });
    expect(result.ok).toBe(false);
    expect(doc.length).toBe(0);
  });
});
