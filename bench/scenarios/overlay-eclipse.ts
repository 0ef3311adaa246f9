import type { NodeContext, NodeId, Rng } from "@synod/core";
import { createPlumtreeSimulation, OverlayNode, type OverlayConfig, type OverlayRecord } from "@synod/gossip";
import { runSimulation } from "@synod/simulator";

/**
 * An eclipse attempt on the HyParView overlay (issue 19): the first `share` of the member ids are
 * attackers. Each runs the protocol (it answers, forwards and accepts every request) and, every
 * tick, asks 2 random honest members to take it into their active views with `high` priority (which
 * the paper's HyParView accepts even when full, evicting an honest neighbour) and sends one random
 * honest member a shuffle made only of attacker ids. Measured at the end: the share of the honest
 * members' active and passive view entries held by attackers, against the attackers' share of ids.
 */
class Attacker extends OverlayNode {
  private readonly attack: Rng;

  constructor(
    ctx: NodeContext<OverlayRecord>,
    config: Partial<OverlayConfig>,
    private readonly honest: readonly NodeId[],
    private readonly accomplices: readonly NodeId[],
  ) {
    super(ctx, config);
    this.attack = ctx.rng.fork("attack");
  }

  override tick(): ReturnType<OverlayNode["tick"]> {
    const step = super.tick();
    const extra: ReturnType<OverlayNode["tick"]>["send"][number][] = [];
    for (let i = 0; i < 2; i++) extra.push({ from: this.id, to: this.attack.pick(this.honest), message: { type: "neighbor", priority: "high" } });
    const nodes = this.attack.shuffle([...this.accomplices]).slice(0, 8);
    extra.push({ from: this.id, to: this.attack.pick(this.honest), message: { type: "shuffle", origin: this.id, ttl: 0, nodes } });
    return { ...step, send: [...step.send, ...extra] };
  }
}

/** @returns the attackers' share of the honest members' active and passive view entries after `durationMs` */
export function eclipseRun(n: number, share: number, config: Partial<OverlayConfig>, seed = 1, durationMs = 60_000) {
  const base = createPlumtreeSimulation(config);
  const attackers = Math.round(n * share);
  const kept = { active: 0, attackerActive: 0, passive: 0, attackerPassive: 0 };
  const target = {
    ...base,
    createNode: (ctx: NodeContext<OverlayRecord>) => {
      const bad = new Set(ctx.members.slice(0, attackers));
      if (!bad.has(ctx.id)) return base.createNode(ctx);
      return new Attacker(ctx, config, ctx.members.filter((id) => !bad.has(id)), [...bad]);
    },
    metrics: (view: Parameters<NonNullable<typeof base.metrics>>[0]) => {
      const bad = new Set(view.members.slice(0, attackers));
      for (const [id, node] of view.nodes) {
        if (node === undefined || bad.has(id)) continue;
        kept.active += node.active.length;
        kept.attackerActive += node.active.filter((p) => bad.has(p)).length;
        kept.passive += node.passive.length;
        kept.attackerPassive += node.passive.filter((p) => bad.has(p)).length;
      }
      return base.metrics?.(view) ?? {};
    },
  };
  const result = runSimulation(target, { seed, nodes: n, durationMs, healAtMs: durationMs, checkLiveness: false, faults: "none" });
  const pct = (a: number, b: number) => (b === 0 ? -1 : Math.round((a / b) * 1000) / 10);
  return {
    violations: result.violations.length,
    attackerIdsPct: pct(attackers, n),
    attackerActivePct: pct(kept.attackerActive, kept.active),
    attackerPassivePct: pct(kept.attackerPassive, kept.passive),
    honestMeanActive: Math.round((kept.active / (n - attackers)) * 100) / 100,
  };
}
