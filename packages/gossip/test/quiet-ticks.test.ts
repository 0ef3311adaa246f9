import { describe, expect, it } from "vitest";
import { emptyStep } from "@synod/core";
import { BuddyPings } from "../src/buddy-pings.js";
import type { GossipMessage } from "../src/messages.js";
import { TestCluster } from "./support/cluster.js";

// Push-pull and key-value exchanges off: between probes a member then has nothing due unless an input schedules it.
const QUIET = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2, pushPullIntervalTicks: 0, kvSyncIntervalTicks: 0 };

type Ping = Extract<GossipMessage, { type: "ping" }>;

describe("a tick with nothing due only counts (GossipNode's quiet ticks), and what an input schedules still happens on time", () => {
  it("a relay's nack goes out at its deadline, between two probes", () => {
    const n1 = new TestCluster(40, QUIET).node("n1");
    let probe: { to: string; message: Ping } | undefined;
    while (probe === undefined) probe = n1.tick().send.find((e) => e.message.type === "ping") as typeof probe;
    n1.receive(probe.to, { type: "ack", seq: probe.message.seq, inc: 0, updates: [] });
    const target = ["n4", "n5"].find((id) => id !== probe?.to) as string;
    n1.receive("n3", { type: "pingReq", seq: 77, target, nack: true, inc: 0, updates: [] });
    const [first, second, third] = [n1.tick(), n1.tick(), n1.tick()];
    expect(first).toBe(emptyStep());
    expect(second.send).toEqual([{ from: "n1", to: "n3", message: { type: "nack", seq: 77, inc: 0 } }]);
    expect(third).toBe(emptyStep());
  });

  it("a member that left (it probes no more) still times a suspicion heard after leaving out at its expiry", () => {
    const n1 = new TestCluster(40, QUIET).node("n1");
    n1.request({ type: "leave" });
    n1.tick();
    const heardAt = n1.ticks;
    n1.receive("n3", { type: "ping", seq: 1, target: "n1", inc: 0, updates: [{ state: "suspect", member: "n2", incarnation: 0, from: "n3" }] });
    expect(n1.viewOf("n2")).toEqual({ state: "suspect", incarnation: 0 });
    const steps = Array.from({ length: n1.suspicionTimeoutTicks.max + 5 }, () => n1.tick());
    const deathTick = heardAt + 1 + steps.findIndex((step) => step.output.some((o) => o.type === "failed" && o.member === "n2"));
    expect(deathTick).toBe(heardAt + n1.suspicionTimeoutTicks.max);
  });
});

describe("BuddyPings.nextExpiry: the first tick at which expire forgets anything", () => {
  it("follows the first entry in deadline order, which a key added again leaves for the back, and tells each change", () => {
    const told: number[] = [];
    const pings = new BuddyPings(40, (tick) => told.push(tick));
    expect(pings.nextExpiry).toBe(Infinity);
    pings.add(7, 0);
    pings.add(8, 1);
    pings.add(7, 5); // 7 moves behind 8: 8 (due at 41) is first, 7 now due at 45
    expect(pings.nextExpiry).toBe(41);
    expect(told.at(-1)).toBe(41);
    pings.expire(40);
    expect(pings.size).toBe(2);
    pings.expire(41);
    expect(pings.size).toBe(1);
    expect(pings.answered(8)).toBe(false);
    expect(pings.nextExpiry).toBe(45);
    expect(pings.answered(7)).toBe(true);
    expect(pings.nextExpiry).toBe(Infinity);
    expect(told.at(-1)).toBe(Infinity);
  });
});
