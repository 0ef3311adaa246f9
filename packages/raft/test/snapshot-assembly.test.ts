import { describe, expect, it } from "vitest";
import { SnapshotAssembly } from "../src/snapshot-assembly.js";

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);

describe("SnapshotAssembly", () => {
  it("adds chunks in order, ignores what it holds, takes the new tail of an overlap, refuses a gap", () => {
    const a = new SnapshotAssembly(5, 1, 6);
    expect(a.add(0, bytes(1, 2))).toBe(true);
    expect(a.add(0, bytes(1, 2))).toBe(true); // a duplicate: nothing new
    expect(a.add(3, bytes(4))).toBe(false); // a gap at 2
    expect(a.received).toBe(2);
    expect(a.add(1, bytes(2, 3, 4))).toBe(true); // overlaps one byte held
    expect([a.received, a.complete]).toEqual([4, false]);
    expect(a.add(4, bytes(5, 6))).toBe(true);
    expect(a.complete).toBe(true);
    expect([...a.data()]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("gives a single chunk back as it is, and an empty snapshot as no bytes", () => {
    const one = new SnapshotAssembly(5, 1, 3);
    const chunk = bytes(7, 8, 9);
    one.add(0, chunk);
    expect(one.data()).toBe(chunk);
    const empty = new SnapshotAssembly(5, 1, 0);
    expect(empty.complete).toBe(true);
    expect(empty.data().length).toBe(0);
  });
});
