import { InvariantError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { Inflights } from "../src/inflights.js";
import { MAX_ENTRIES_PER_MESSAGE_WIRE, MAX_RECORD_ENTRY_BYTES } from "../src/limits.js";
import { persistEntries } from "../src/persistence.js";
import { Progress } from "../src/progress.js";
import { raftRecordCodec } from "../src/record-codec.js";
import type { Entry } from "../src/entry.js";
import { raftState } from "./support/state.js";

describe("limits, asserted where they must hold", () => {
  it("a leader's largest batch is written as records its own decoder reads back (it once wrote one 64 MiB record)", () => {
    const r = raftState();
    const big = new Uint8Array(64 * 1024);
    const entries: Entry[] = Array.from({ length: 1024 }, (_, i) => ({ type: "normal", term: 1, index: i + 1, data: big }));
    persistEntries(r, entries);
    expect(r.records.length).toBeGreaterThan(1);
    let next = 1;
    for (const record of r.records) {
      const decoded = raftRecordCodec.decode(raftRecordCodec.encode(record));
      expect(decoded.ok).toBe(true);
      if (record.type !== "entries") throw new Error("expected entries");
      expect(record.entries[0]?.index).toBe(next);
      next += record.entries.length;
    }
    expect(next).toBe(1025);
  });

  it("a list within both limits is one record, the list itself; a long one splits at the entry limit", () => {
    const r = raftState();
    const small: Entry[] = [{ type: "normal", term: 1, index: 1, data: new Uint8Array(3) }];
    persistEntries(r, small);
    expect(r.records).toEqual([{ type: "entries", entries: small }]);
    expect((r.records[0] as { entries: unknown }).entries).toBe(small);
    const many: Entry[] = Array.from({ length: MAX_ENTRIES_PER_MESSAGE_WIRE + 1 }, (_, i) => ({ type: "normal", term: 1, index: i + 1, data: new Uint8Array(0) }));
    r.records = [];
    persistEntries(r, many);
    expect(r.records.map((x) => (x.type === "entries" ? x.entries.length : 0))).toEqual([MAX_ENTRIES_PER_MESSAGE_WIRE, 1]);
    expect(MAX_RECORD_ENTRY_BYTES).toBeGreaterThan(0);
  });

  it("a full in-flight window throws when appended to", () => {
    const w = new Inflights(2);
    w.add(1);
    w.add(2);
    expect(w.full()).toBe(true);
    expect(() => w.add(3)).toThrow(InvariantError);
  });

  it("progress keeps match < next", () => {
    const pr = new Progress(5, 4);
    pr.maybeUpdate(7);
    expect([pr.match, pr.next]).toEqual([7, 8]);
    pr.match = 9; // a corrupted view: the next transition refuses it
    expect(() => pr.maybeUpdate(8)).toThrow(/match < next/);
  });
});
