/**
 * Aardvark's slow-primary attack on PBFT, in the simulator: the primary of view 0 (n1) sends every
 * pre-prepare `SLOW_PRIMARY_DELAY_MS` late, just under the view-change timeout, so that a plain
 * PBFT replica never times out while throughput collapses. Measured on the same seeds, no other
 * fault: committed operations per simulated second fault-free, under the attack with the defence
 * (`replaceSlowPrimary`, the default), and under the attack without it.
 */
import type { NodeId } from "@synod/core";
import { createPbftSimulation, type PbftConfig } from "@synod/pbft";
import { createPbftAdversary, runSimulation, type Adversary } from "@synod/simulator";

/** Committed operations per simulated second, averaged over the seeds, for each of the three runs. */
export interface SlowPrimaryFigures {
  readonly faultFree: number;
  readonly slowPrimaryDefended: number;
  readonly slowPrimaryUndefended: number;
  /** View changes the backups started for a slow primary, over all seeds (defended runs). */
  readonly slowPrimaryViewChanges: number;
  /** The same count in the fault-free runs: each one would be an honest primary replaced. */
  readonly falseReplacements: number;
}

function okPerSecond(config: Partial<PbftConfig>, seed: number, durationMs: number, slow: boolean): { rate: number; replaced: number } {
  const attacker = createPbftAdversary("slow-primary", ["n1"]) as Adversary<unknown>;
  const byzantine: Record<NodeId, Adversary<unknown>> | undefined = slow ? { n1: attacker } : undefined;
  const result = runSimulation(createPbftSimulation(config), { seed, nodes: 4, durationMs, byzantine, checkLiveness: false });
  const v = result.violations[0];
  if (v !== undefined) throw new Error(`bench: pbft slow-primary seed ${seed} violated ${v.invariant}: ${v.message}`);
  const ok = result.history.filter((e) => e.type === "ok").length;
  return { rate: (ok * 1000) / durationMs, replaced: result.metrics.slowPrimaryViewChanges ?? 0 };
}

/** Run the three configurations on seeds 1…`seeds`, each `durationMs` of simulated time. */
export function measureSlowPrimary(seeds: number, durationMs: number): SlowPrimaryFigures {
  let faultFree = 0;
  let defended = 0;
  let undefended = 0;
  let replaced = 0;
  let falseReplacements = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const fair = okPerSecond({}, seed, durationMs, false);
    faultFree += fair.rate;
    falseReplacements += fair.replaced;
    const on = okPerSecond({}, seed, durationMs, true);
    defended += on.rate;
    replaced += on.replaced;
    undefended += okPerSecond({ replaceSlowPrimary: false }, seed, durationMs, true).rate;
  }
  return {
    faultFree: faultFree / seeds,
    slowPrimaryDefended: defended / seeds,
    slowPrimaryUndefended: undefended / seeds,
    slowPrimaryViewChanges: replaced,
    falseReplacements,
  };
}
