import { describe, expect, it } from "vitest";
import type { Envelope } from "@synod/core";
import { Cluster } from "./cluster.js";
import type { PbftConfig } from "../src/config.js";
import type { PbftMessage } from "../src/messages.js";

/** Ticks the slow primary holds each pre-prepare back: under the 50-tick view-change timeout, so the timer never fires. */
const HOLD_TICKS = 40;

/**
 * Client 1 writes `count` keys one after another through n2, each invoked once the previous one
 * completed, while n1 (the primary of view 0) holds its pre-prepares back {@link HOLD_TICKS} ticks
 * from `slowFrom` on. @returns the tick at which each write completed
 */
function run(config: Partial<PbftConfig>, count: number, slowFrom: number): { c: Cluster; doneAt: number[] } {
  const c = new Cluster(4, config);
  const held: { due: number; e: Envelope<PbftMessage> }[] = [];
  const released = new Set<Envelope<PbftMessage>>();
  let now = 0;
  c.filter = (e) => {
    if (e.from !== "n1" || e.message.type !== "prePrepare" || released.has(e) || now < slowFrom) return true;
    held.push({ due: now + HOLD_TICKS, e });
    return false;
  };
  const doneAt: number[] = [];
  c.invoke("n2", 1, 1, { type: "put", key: "k1", value: "1" });
  for (now = 0; now < 2_000 && doneAt.length < count; now++) {
    for (const h of held.filter((x) => x.due <= now)) {
      released.add(h.e);
      c.queue.push(h.e);
    }
    held.splice(0, held.length, ...held.filter((x) => x.due > now));
    c.tick(1);
    const replies = c.outputsOf("n2", "reply").length;
    if (replies > doneAt.length) {
      doneAt.push(now);
      if (replies < count) c.invoke("n2", 1, replies + 1, { type: "put", key: `k${replies + 1}`, value: String(replies + 1) });
    }
  }
  return { c, doneAt };
}

describe("PBFT slow primary (Aardvark)", () => {
  it("a primary that orders just under the view-change timeout is replaced, and the next one orders at the replicas' pace", () => {
    // Ten writes at full speed calibrate the backups (their prepare phase), then n1 turns slow.
    const { c, doneAt } = run({}, 30, 10);
    // n2, n3 and n4 each saw a request wait twice the expectation (10 ticks, the floor) and left view 0.
    for (const id of ["n2", "n3", "n4"]) {
      const slow = c.outputsOf(id, "slowPrimary");
      expect(slow.map((o) => [o.view, o.primary]), id).toEqual([[0, "n1"]]);
      expect(c.node(id).view, id).toBe(1);
      expect(c.node(id).viewActive, id).toBe(true);
      expect(c.node(id).metrics.slowPrimaryViewChanges, id).toBe(1);
    }
    // The ordering stalled once, for less than the slow primary's hold, and never again under n2.
    const gaps = doneAt.slice(1).map((t, i) => t - (doneAt[i] as number));
    expect(Math.max(...gaps)).toBeLessThan(HOLD_TICKS);
    expect(gaps.slice(15).every((g) => g <= 2)).toBe(true);
    expect(c.node("n2").lastExecuted).toBe(30);
  });

  it("without the defence the same primary stays: every write waits out its hold, and no view change ever starts", () => {
    const { c, doneAt } = run({ replaceSlowPrimary: false }, 20, 10);
    for (const id of ["n2", "n3", "n4"]) expect(c.node(id).view, id).toBe(0);
    const gaps = doneAt.slice(1).map((t, i) => t - (doneAt[i] as number));
    expect(gaps.slice(10).every((g) => g >= HOLD_TICKS)).toBe(true);
  });

  it("an honest primary is never replaced: 40 writes at full speed, all in view 0", () => {
    const { c } = run({}, 40, 1_000_000);
    for (const id of c.ids) {
      expect(c.outputsOf(id, "slowPrimary"), id).toEqual([]);
      expect(c.node(id).view, id).toBe(0);
    }
  });

  it("a backup that missed a pre-prepare forwards the request and the honest primary sends the pre-prepare again (no view change)", () => {
    const c = new Cluster(4, { retransmitTicks: 1_000 });
    // Three writes calibrate n4 (until it has measured a prepare phase it expects only the view-change timeout).
    for (let t = 1; t <= 3; t++) {
      c.invoke("n2", 1, t, { type: "put", key: "x", value: String(t) });
      c.tick(1);
    }
    let dropped = false;
    c.filter = (e) => {
      if (!dropped && e.from === "n1" && e.to === "n4" && e.message.type === "prePrepare") return !(dropped = true);
      return true;
    };
    c.invoke("n2", 1, 4, { type: "put", key: "x", value: "4" });
    c.deliverAll();
    expect(dropped).toBe(true);
    expect(c.node("n4").lastExecuted).toBe(3);
    c.tick(15); // past the 10-tick floor: n4 forwards the request to n1, which re-sends its pre-prepare
    expect(c.node("n4").lastExecuted).toBe(4);
    for (const id of c.ids) expect(c.node(id).view, id).toBe(0);
    expect(c.sent.some((e) => e.from === "n4" && e.to === "n1" && e.message.type === "request")).toBe(true);
  });
});
