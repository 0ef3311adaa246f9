import { describe, expect, it } from "vitest";
import { ADAPTIVE_MAX_INDIRECT_CHECKS, ADAPTIVE_TARGET_FALSE_SUSPICION, falseSuspicionProbability, oneWayLoss, retransmitLimit, tune, type TuningObservation } from "../src/adaptive.js";
import { ConfigError } from "@synod/core";
import { DEFAULT_GOSSIP_CONFIG, resolveGossipConfig } from "../src/config.js";
import type { GossipOutput } from "../src/messages.js";
import { TestCluster } from "./support/cluster.js";

/** memberlist's defaults: k = 3, λ = 4, probe every 10 ticks. */
const BASE = { indirectChecks: 3, retransmitMult: 4, probeIntervalTicks: 10 };
const window = (direct: number, indirect: number, failed = 0, members = 100): TuningObservation => ({ probes: direct + indirect + failed, direct, indirect, failed, members });

describe("the adaptive controller: a pure function of one window's probes, the previous estimate and the cluster size", () => {
  it("without loss it keeps the configured parameters (retransmit limit λ·⌈log10(m + 1)⌉ of the members held)", () => {
    const result = tune(BASE, undefined, window(10, 0));
    expect(result.windowLoss).toBe(0);
    expect(result.loss).toBe(0);
    expect(result.parameters).toEqual({ indirectChecks: 3, retransmitLimit: 4 * 3, probeIntervalTicks: 10 });
  });

  it("at 10% one-way loss (19% of acked probes need help) it raises the fanout to 5, λ to 4/0.9 → 4, and stretches the interval to pay for the relays", () => {
    const result = tune(BASE, undefined, window(81, 19));
    expect(result.windowLoss).toBeCloseTo(0.1, 6);
    // 0.19 · 0.344^k ≤ 10⁻³ first at k = 5.
    expect(falseSuspicionProbability(0.1, 4)).toBeGreaterThan(ADAPTIVE_TARGET_FALSE_SUSPICION);
    expect(falseSuspicionProbability(0.1, 5)).toBeLessThanOrEqual(ADAPTIVE_TARGET_FALSE_SUSPICION);
    // Messages per period 2 + 4·k·q: 5.8 with k = 5 against 4.28 with k = 3, so the period goes 10 → 14 ticks.
    expect(result.parameters).toEqual({ indirectChecks: 5, retransmitLimit: 4 * 3, probeIntervalTicks: 14 });
  });

  it("at 20% loss λ grows too (4 / 0.8 = 5)", () => {
    const q = 1 - 0.8 ** 2;
    const result = tune(BASE, undefined, window(Math.round(1000 * (1 - q)), Math.round(1000 * q)));
    expect(result.loss).toBeCloseTo(0.2, 3);
    expect(result.parameters.retransmitLimit).toBe(5 * 3);
  });

  it("probes nobody acked are not loss (their targets may be down); a window with no ack keeps the estimate", () => {
    expect(tune(BASE, undefined, window(10, 0, 10)).loss).toBe(0);
    expect(tune(BASE, 0.1, window(0, 0, 10)).loss).toBe(0.1);
    expect(tune(BASE, undefined, window(0, 0, 10)).windowLoss).toBeUndefined();
    expect(tune(BASE, undefined, window(0, 0, 10)).parameters).toEqual({ indirectChecks: 3, retransmitLimit: 12, probeIntervalTicks: 10 });
  });

  it("backs off: once the loss is gone the estimate halves every window and the parameters return to the configured ones", () => {
    let loss: number | undefined = tune(BASE, undefined, window(81, 19)).loss;
    const ks: number[] = [];
    const intervals: number[] = [];
    for (let w = 0; w < 6; w++) {
      const result = tune(BASE, loss, window(10, 0));
      expect(result.loss).toBeCloseTo((loss as number) / 2, 9);
      loss = result.loss;
      ks.push(result.parameters.indirectChecks);
      intervals.push(result.parameters.probeIntervalTicks);
    }
    // 0.1 → 0.05 after one clean window, where k = 3 already meets the target (6.2·10⁻⁴).
    expect(ks).toEqual([3, 3, 3, 3, 3, 3]);
    expect(intervals).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it("is bounded: every probe needing help gives k = 8, λ = 2·4 and twice the interval, never more", () => {
    const result = tune(BASE, undefined, window(0, 10));
    expect(result.parameters).toEqual({ indirectChecks: ADAPTIVE_MAX_INDIRECT_CHECKS, retransmitLimit: 8 * 3, probeIntervalTicks: 20 });
    // A configured fanout above 8 is the bound itself, and the lower bound.
    expect(tune({ ...BASE, indirectChecks: 10 }, undefined, window(0, 10)).parameters.indirectChecks).toBe(10);
    expect(tune({ ...BASE, indirectChecks: 10 }, undefined, window(10, 0)).parameters.indirectChecks).toBe(10);
  });

  it("never goes below the configured fanout or interval, and the fanout grows with the loss", () => {
    let previous = 0;
    for (let indirect = 0; indirect <= 100; indirect += 5) {
      const { parameters, loss } = tune(BASE, undefined, window(100 - indirect, indirect));
      expect(parameters.indirectChecks).toBeGreaterThanOrEqual(previous);
      expect(parameters.indirectChecks).toBeGreaterThanOrEqual(BASE.indirectChecks);
      expect(parameters.probeIntervalTicks).toBeGreaterThanOrEqual(BASE.probeIntervalTicks);
      expect(parameters.probeIntervalTicks).toBeLessThanOrEqual(2 * BASE.probeIntervalTicks);
      if (parameters.indirectChecks < ADAPTIVE_MAX_INDIRECT_CHECKS && parameters.indirectChecks > BASE.indirectChecks) {
        expect(falseSuspicionProbability(loss, parameters.indirectChecks)).toBeLessThanOrEqual(ADAPTIVE_TARGET_FALSE_SUSPICION);
        expect(falseSuspicionProbability(loss, parameters.indirectChecks - 1)).toBeGreaterThan(ADAPTIVE_TARGET_FALSE_SUSPICION);
      }
      previous = parameters.indirectChecks;
    }
  });

  it("scales the retransmit limit with the members held neither dead nor left, not the member list", () => {
    expect(tune(BASE, undefined, window(10, 0, 0, 9)).parameters.retransmitLimit).toBe(4);
    expect(tune(BASE, undefined, window(10, 0, 0, 10_000)).parameters.retransmitLimit).toBe(4 * 5);
    expect(retransmitLimit(4, 0)).toBe(4);
    expect(oneWayLoss(0.19)).toBeCloseTo(0.1, 9);
  });
});

/** A tuned output as a transcript line. */
function line(o: GossipOutput): string {
  if (o.type !== "tuned") return "";
  const r = o.reason;
  const measured = r.windowLoss === undefined ? "no ack" : `window loss ${r.windowLoss.toFixed(3)}`;
  return `${o.parameter} ${o.from} → ${o.to} (${r.probes} probes: ${r.direct} direct, ${r.indirect} indirect, ${r.failed} failed; ${measured}; estimate ${r.loss.toFixed(3)}; ${r.members} members)`;
}

describe("adaptive tuning's configuration", () => {
  it("is off by default, with windows of 10 probes; a non-boolean switch or an empty window is refused", () => {
    expect(DEFAULT_GOSSIP_CONFIG.adaptive).toBe(false);
    expect(DEFAULT_GOSSIP_CONFIG.adaptiveWindowProbes).toBe(10);
    expect(() => resolveGossipConfig({ adaptive: "yes" as unknown as boolean })).toThrow(ConfigError);
    expect(() => resolveGossipConfig({ adaptiveWindowProbes: 0 })).toThrow(ConfigError);
  });
});

describe("adaptive tuning in a member (transcript)", () => {
  const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2, pushPullIntervalTicks: 0 };

  it("off by default: no tuned output, the configured parameters throughout", () => {
    const cluster = new TestCluster(10, FAST);
    cluster.partition("n1", "n2");
    cluster.run(300);
    expect(cluster.outputsOf("n1").filter((o) => o.type === "tuned")).toEqual([]);
    expect(cluster.node("n1").tunedParameters).toEqual({ indirectChecks: 3, retransmitLimit: 8, probeIntervalTicks: 5 });
  });

  it("n1 cut off from 4 of its 9 peers (relays still reach them) raises its fanout, retransmit limit and interval, each with its reason; healed, it backs off to the configured ones", () => {
    const cluster = new TestCluster(10, { ...FAST, adaptive: true });
    for (const peer of ["n2", "n3", "n4", "n5"]) cluster.partition("n1", peer);
    cluster.run(200);
    const n1 = cluster.node("n1");
    const lossy = cluster.outputsOf("n1").filter((o) => o.type === "tuned").map(line);
    expect(lossy).toEqual([
      "indirectChecks 3 → 8 (10 probes: 5 direct, 5 indirect, 0 failed; window loss 0.293; estimate 0.293; 10 members)",
      "retransmitLimit 8 → 12 (10 probes: 5 direct, 5 indirect, 0 failed; window loss 0.293; estimate 0.293; 10 members)",
      "probeIntervalTicks 5 → 10 (10 probes: 5 direct, 5 indirect, 0 failed; window loss 0.293; estimate 0.293; 10 members)",
      "retransmitLimit 12 → 10 (10 probes: 7 direct, 3 indirect, 0 failed; window loss 0.163; estimate 0.228; 10 members)",
    ]);
    expect(n1.tunedParameters).toEqual({ indirectChecks: 8, retransmitLimit: 10, probeIntervalTicks: 10 });
    // No member was suspected by n1's probes: the relays answered for the cut peers.
    expect(cluster.outputsOf("n1").some((o) => o.type === "suspected" && o.cause === "probe")).toBe(false);
    const before = cluster.outputsOf("n1").length;
    cluster.cut.clear();
    cluster.run(800);
    const healed = cluster.outputsOf("n1").slice(before).filter((o) => o.type === "tuned").map(line);
    expect(healed).toEqual([
      "indirectChecks 8 → 5 (10 probes: 10 direct, 0 indirect, 0 failed; window loss 0.000; estimate 0.098; 10 members)",
      "retransmitLimit 10 → 8 (10 probes: 10 direct, 0 indirect, 0 failed; window loss 0.000; estimate 0.098; 10 members)",
      "probeIntervalTicks 10 → 7 (10 probes: 10 direct, 0 indirect, 0 failed; window loss 0.000; estimate 0.098; 10 members)",
      "indirectChecks 5 → 3 (10 probes: 10 direct, 0 indirect, 0 failed; window loss 0.000; estimate 0.049; 10 members)",
      "probeIntervalTicks 7 → 5 (10 probes: 10 direct, 0 indirect, 0 failed; window loss 0.000; estimate 0.049; 10 members)",
    ]);
    expect(n1.tunedParameters).toEqual({ indirectChecks: 3, retransmitLimit: 8, probeIntervalTicks: 5 });
    // The other members, never cut from most peers, kept or regained the configured parameters.
    for (const id of ["n6", "n7", "n8", "n9", "n10"]) expect(cluster.node(id).tunedParameters).toEqual({ indirectChecks: 3, retransmitLimit: 8, probeIntervalTicks: 5 });
  });
});
