import { describe, expect, it } from "vitest";
import { wellFormed } from "../../src/rules/well-formed.js";
import { entries } from "../support/state.js";

describe("well-formed messages", () => {
  it("a claimed last term never exceeds the request's term", () => {
    expect(wellFormed({ type: "vote", term: 2, lastIndex: 5, lastTerm: 2, transfer: false })).toBe(true);
    expect(wellFormed({ type: "preVote", term: 2, lastIndex: 5, lastTerm: 3 })).toBe(false);
  });

  it("appended entries are consecutive after prevIndex, with terms between prevTerm and the message's", () => {
    const append = (prevIndex: number, prevTerm: number, list: ReturnType<typeof entries>) => ({ type: "append" as const, term: 3, prevIndex, prevTerm, entries: list, commit: 0 });
    expect(wellFormed(append(1, 1, entries([1, 2], [3, 3])))).toBe(true);
    expect(wellFormed(append(1, 1, entries([1, 3])))).toBe(false); // a gap
    expect(wellFormed(append(1, 2, entries([1, 2])))).toBe(false); // a term going back
    expect(wellFormed(append(1, 1, entries([4, 2])))).toBe(false); // beyond the message's term
    expect(wellFormed(append(1, 4, []))).toBe(false);
  });

  it("a snapshot has voters, no duplicate ids, an index ≥ 1 and a term ≤ the message's", () => {
    const snap = (voters: string[], index = 1, term = 1) => ({ type: "snapshot" as const, term: 2, snapshot: { index, term, conf: { voters, outgoing: [], learners: [] }, size: 0 }, offset: 0, data: new Uint8Array(0) });
    expect(wellFormed(snap(["n1"]))).toBe(true);
    expect(wellFormed(snap([]))).toBe(false);
    expect(wellFormed(snap(["n1", "n1"]))).toBe(false);
    expect(wellFormed(snap(["n1"], 0))).toBe(false);
    expect(wellFormed(snap(["n1"], 1, 3))).toBe(false);
  });

  it("a snapshot chunk lies within its snapshot and is empty only when the snapshot is", () => {
    const chunk = (size: number, offset: number, length: number) => ({ type: "snapshot" as const, term: 2, snapshot: { index: 1, term: 1, conf: { voters: ["n1"], outgoing: [], learners: [] }, size }, offset, data: new Uint8Array(length) });
    expect(wellFormed(chunk(10, 0, 4))).toBe(true);
    expect(wellFormed(chunk(10, 6, 4))).toBe(true);
    expect(wellFormed(chunk(0, 0, 0))).toBe(true);
    expect(wellFormed(chunk(10, 7, 4))).toBe(false); // beyond the size
    expect(wellFormed(chunk(10, 11, 0))).toBe(false); // offset beyond the size
    expect(wellFormed(chunk(10, 4, 0))).toBe(false); // an empty chunk of a non-empty snapshot
    expect(wellFormed(chunk(0, 1, 0))).toBe(false);
  });
});
