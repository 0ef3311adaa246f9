import type { ProtocolNode, Rng, SimulationTarget, Step } from "@synod/core";
import type { SimulationCounters } from "./counters.js";

/**
 * What a step that passed an armed crash point does: nothing, crash before its sends, after the
 * step, lose its sends (no crash), or lose its sends and crash after the step.
 */
export const BuggifyCrash = {
  None: 0,
  BeforeSend: 1,
  AfterSend: 2,
  DropSends: 3,
  DropSendsThenCrash: 4,
} as const;

const TIMING = {
  "before-send": BuggifyCrash.BeforeSend,
  "after-send": BuggifyCrash.AfterSend,
  "drop-sends": BuggifyCrash.DropSends,
  "drop-sends-then-crash": BuggifyCrash.DropSendsThenCrash,
} as const;

/**
 * The driver's side of buggify crash points (`SimulationTarget.crashPoints`): while a `buggify`
 * episode is on, each step of a node is shown to the target, and a step that passes an enabled
 * point crashes its node with the episode's probability. Draws come from the run's own `buggify`
 * fork, and only while armed: runs without the fault draw nothing and keep their traces.
 */
export class Buggify<N extends ProtocolNode<M, I, O, P>, M, I, O, P> {
  /** Whether an episode is on (the step contract asks nothing otherwise). */
  armed = false;
  /** How long a node crashed at a point stays down. */
  downMs = 0;
  private probability = 0;
  private dropProbability = 0;
  private pointMask = 0;
  private readonly timing: Uint8Array;
  /** Crashes (or dropped sends) per point, reported as `buggify:<name>` in the protocol metrics. */
  readonly crashesByPoint: Float64Array;

  constructor(
    private readonly target: SimulationTarget<N, M, I, O, P, unknown, unknown>,
    private readonly rng: Rng,
    private readonly counters: SimulationCounters,
  ) {
    const points = target.crashPoints ?? [];
    this.timing = Uint8Array.from(points, (p) => TIMING[p.crash]);
    this.crashesByPoint = new Float64Array(points.length);
  }

  /**
   * Arm the points in `pointMask` (bit k mod 30 for point k) with `probability` (`drop-sends` points
   * with `dropProbability`, else `probability` too); 0 disarms.
   */
  set(probability: number, pointMask: number, downMs: number, dropProbability = probability): void {
    this.armed = (probability > 0 || dropProbability > 0) && this.timing.length > 0 && this.target.crashPointOf !== undefined;
    this.probability = probability;
    this.dropProbability = dropProbability;
    this.pointMask = pointMask;
    this.downMs = Math.max(0, downMs);
  }

  /**
   * @returns where `node`'s `step` crashes it ({@link BuggifyCrash}); counted when it does
   */
  crashOf(node: N, step: Step<M, O, P>): number {
    const point = this.target.crashPointOf?.(node, step) ?? -1;
    if (point < 0 || point >= this.timing.length || ((this.pointMask >>> point % 30) & 1) === 0) return BuggifyCrash.None;
    const timing = this.timing[point] as number;
    if (!this.rng.bool(timing === BuggifyCrash.DropSends ? this.dropProbability : this.probability)) return BuggifyCrash.None;
    if (timing !== BuggifyCrash.DropSends) this.counters.buggifyCrashes++;
    this.crashesByPoint[point]!++;
    return timing;
  }

  /** @returns crashes per point name, for the run's metrics (points that never fired left out) */
  metrics(): Record<string, number> {
    const out: Record<string, number> = {};
    (this.target.crashPoints ?? []).forEach((p, k) => {
      if ((this.crashesByPoint[k] as number) > 0) out[`buggify:${p.name}`] = this.crashesByPoint[k] as number;
    });
    return out;
  }
}
