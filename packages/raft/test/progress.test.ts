import { describe, expect, it } from "vitest";
import { Inflights } from "../src/inflights.js";
import { Progress } from "../src/progress.js";

describe("Inflights", () => {
  it("is a bounded FIFO freed by acknowledgement", () => {
    const inf = new Inflights(3);
    expect(inf.oldest).toBeUndefined();
    inf.add(2);
    inf.add(4);
    inf.add(6);
    expect(inf.full()).toBe(true);
    expect(inf.oldest).toBe(2);
    inf.freeLE(4);
    expect(inf.size).toBe(1);
    expect(inf.oldest).toBe(6);
    inf.add(8);
    inf.add(9);
    expect(inf.full()).toBe(true);
    inf.freeLE(100);
    expect(inf.size).toBe(0);
  });
});

describe("Inflights (growing ring)", () => {
  it("keeps FIFO order while its buffer grows around a wrapped start, up to its capacity", () => {
    const inf = new Inflights(40);
    let next = 1;
    let oldest = 1;
    // Fill partly, free some (the ring start moves), then fill to capacity across several growths.
    for (let i = 0; i < 3; i++) inf.add(next++);
    inf.freeLE(2);
    oldest = 3;
    while (!inf.full()) inf.add(next++);
    expect(inf.size).toBe(40);
    expect(() => inf.add(next)).toThrow(/in-flight window is full/); // a full window rejects loudly (issue 13)
    expect(inf.size).toBe(40);
    for (let k = oldest; k < next; k++) {
      inf.freeLE(k);
      expect(inf.size).toBe(next - 1 - k);
    }
  });
});

describe("Progress", () => {
  it("probe sends one message at a time, replicate streams within the window", () => {
    const pr = new Progress(5, 2);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(1, 5);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeUpdate(5)).toBe(true);
    pr.becomeReplicate();
    expect(pr.next).toBe(6);
    pr.sentEntries(2, 7);
    pr.sentEntries(1, 8);
    expect(pr.isPaused()).toBe(true);
    pr.inflights.freeLE(7);
    expect(pr.isPaused()).toBe(false);
  });

  it("ignores stale rejections and backs off with the hint", () => {
    const pr = new Progress(10, 4);
    pr.sentEntries(0, 9);
    expect(pr.maybeDecrTo(5, 3)).toBe(false); // not the probe in flight (next-1 = 9)
    expect(pr.maybeDecrTo(9, 3)).toBe(true);
    expect(pr.next).toBe(4);
    pr.maybeUpdate(4);
    pr.becomeReplicate();
    expect(pr.maybeDecrTo(3, 0)).toBe(false); // at or below match: stale
    expect(pr.maybeDecrTo(6, 0)).toBe(true);
    expect(pr.next).toBe(5);
  });

  it("snapshot state pauses until the snapshot is acknowledged", () => {
    const pr = new Progress(2, 4);
    pr.becomeSnapshot({ index: 50, term: 1, conf: { voters: ["n1"], outgoing: [], learners: [] }, data: new Uint8Array(0) });
    expect(pr.isPaused()).toBe(true);
    pr.maybeUpdate(50);
    pr.becomeProbe();
    expect(pr.next).toBe(51);
  });
});
