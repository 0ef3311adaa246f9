import { describe, expect, it } from "vitest";
import type { Entry } from "../src/entry.js";
import { RaftLog } from "../src/raft-log.js";

const conf = { voters: ["n1"], outgoing: [], learners: [] };
const e = (term: number, index: number): Entry => ({ type: "normal", term, index, data: new Uint8Array([index]) });

function logWith(terms: number[]): RaftLog {
  const log = new RaftLog({ index: 0, term: 0, conf, data: new Uint8Array() });
  terms.forEach((t, i) => log.append(e(t, i + 1)));
  return log;
}

describe("RaftLog", () => {
  it("reports terms, matches and up-to-dateness", () => {
    const log = logWith([1, 1, 2, 3]);
    expect(log.lastIndex).toBe(4);
    expect(log.lastTerm).toBe(3);
    expect(log.term(0)).toBe(0);
    expect(log.term(5)).toBeUndefined();
    expect(log.matchTerm(3, 2)).toBe(true);
    expect(log.isUpToDate(4, 3)).toBe(true);
    expect(log.isUpToDate(3, 3)).toBe(false);
    expect(log.isUpToDate(1, 4)).toBe(true);
  });

  it("findConflictByTerm returns the last index whose term is at most the given term", () => {
    const log = logWith([1, 1, 2, 2, 2, 4]);
    expect(log.findConflictByTerm(6, 3)).toBe(5);
    expect(log.findConflictByTerm(6, 1)).toBe(2);
    expect(log.findConflictByTerm(6, 0)).toBe(0);
    expect(log.findConflictByTerm(10, 4)).toBe(6);
  });

  it("truncates a conflicting suffix, never a committed entry", () => {
    const log = logWith([1, 1, 1]);
    log.commitTo(1);
    expect(log.findConflict([e(1, 2), e(2, 3)])).toBe(1);
    log.truncateAndAppend([e(2, 3), e(2, 4)]);
    expect([log.term(3), log.term(4), log.lastIndex]).toEqual([2, 2, 4]);
    expect(() => log.truncateAndAppend([e(3, 1)])).toThrow(/committed/);
  });

  it("compacts applied entries into a snapshot and keeps the rest", () => {
    const log = logWith([1, 1, 2, 2]);
    log.commitTo(3);
    log.applied = 3;
    log.compact({ index: 3, term: 2, conf, data: new Uint8Array([9]) });
    expect(log.firstIndex).toBe(4);
    expect(log.term(3)).toBe(2);
    expect(log.term(2)).toBeUndefined();
    expect(log.slice(3, 5, 10, 1000)).toBeUndefined();
    expect(log.slice(4, 5, 10, 1000)?.map((x) => x.index)).toEqual([4]);
    expect(() => log.compact({ index: 4, term: 2, conf, data: new Uint8Array() })).toThrow(/not applied/);
  });

  it("slices within the count and byte limits, always at least one entry", () => {
    const log = logWith([1, 1, 1, 1, 1]);
    expect(log.slice(1, 6, 2, 1000)?.length).toBe(2);
    expect(log.slice(1, 6, 10, 1)?.length).toBe(1);
    expect(log.slice(1, 6, 10, 3)?.length).toBe(3);
    expect(log.slice(2, 6, 10, 3)?.map((x) => x.index)).toEqual([2, 3, 4]);
    expect(log.slice(4, 100, 10, 1000)?.map((x) => x.index)).toEqual([4, 5]);
  });

  it("slices nothing past the end or from an empty range", () => {
    const log = logWith([1, 1, 1]);
    expect(log.slice(4, 10, 10, 1000)).toEqual([]);
    expect(log.slice(2, 2, 10, 1000)).toEqual([]);
    expect(log.slice(9, 12, 10, 1000)).toEqual([]);
  });
});
