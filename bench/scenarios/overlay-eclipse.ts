import type { NodeContext, NodeId, Rng } from "@synod/core";
import { createPlumtreeSimulation, MAX_SHUFFLE_NODES, OverlayNode, type OverlayConfig, type OverlayRecord } from "@synod/gossip";
import { AdmissionControl, createIdealProvider, issueMembershipCertificate, seededRandomBytes } from "@synod/security";
import { runSimulation } from "@synod/simulator";

/**
 * An eclipse attempt on the HyParView overlay (issue 19): the first `share` of the member ids are
 * attackers. Each runs the protocol without defence (it answers, forwards and, with room for 64 links,
 * accepts every request) and, every
 * tick, asks 2 random honest members to take it into their active views with `high` priority (which
 * the paper's HyParView accepts even when full, evicting an honest neighbour) and sends one random
 * honest member a shuffle made only of attacker ids. Measured at the end: the share of the honest
 * members' active and passive view entries held by attackers, against the attackers' share of ids.
 *
 * With `admittedAttackers` set, `@synod/security`'s admission is on (`isAdmitted`): an authority
 * certifies every honest id and only that many attacker ids (the other attacker ids are Sybils
 * without a certificate, which still attack); honest members refuse whoever is not admitted.
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

/**
 * The attackers' own settings, whatever the honest members run: no defence, no admission, and room
 * for as many links as a shuffle may name, so that they accept (nearly) every neighbour request.
 */
const ATTACKER_CONFIG: Partial<OverlayConfig> = { basalt: false, activeDefence: false };

/** @returns `isAdmitted` backed by an {@link AdmissionControl} that admitted every member of `members` but the first `attackers`, and `admitted` of those */
function certifiedMembers(members: readonly NodeId[], attackers: number, admitted: number, seed: number): (peer: NodeId) => boolean {
  const random = seededRandomBytes(seed);
  const provider = createIdealProvider(random);
  const authority = provider.generateKeyPair(random);
  const admission = new AdmissionControl(provider, authority.publicKey);
  members.forEach((id, i) => {
    if (i >= admitted && i < attackers) return;
    const cert = issueMembershipCertificate(provider, authority.secretKey, id, provider.generateKeyPair(random).publicKey, Number.MAX_SAFE_INTEGER);
    if (!admission.admit(cert, 0).ok) throw new Error(`${id} not admitted`);
  });
  return (peer) => admission.isMember(peer, 0);
}

/**
 * @param admittedAttackers - admission on, with this many attacker ids certified (undefined: admission off)
 * @returns the attackers' share of the honest members' active and passive view entries after `durationMs`
 */
export function eclipseRun(n: number, share: number, config: Partial<OverlayConfig>, seed = 1, durationMs = 60_000, admittedAttackers?: number) {
  const attackers = Math.round(n * share);
  const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  if (admittedAttackers !== undefined) config = { ...config, isAdmitted: certifiedMembers(ids, attackers, admittedAttackers, seed) };
  const base = createPlumtreeSimulation(config);
  let lastView: Parameters<NonNullable<typeof base.metrics>>[0] | undefined;
  const kept = { active: 0, attackerActive: 0, passive: 0, attackerPassive: 0 };
  const target = {
    ...base,
    createNode: (ctx: NodeContext<OverlayRecord>) => {
      if (ctx.members.join() !== ids.join()) throw new Error(`unexpected member ids ${ctx.members.join()}`);
      const bad = new Set(ctx.members.slice(0, attackers));
      if (!bad.has(ctx.id)) return base.createNode(ctx);
      return new Attacker(ctx, ATTACKER_CONFIG, ctx.members.filter((id) => !bad.has(id)), [...bad]);
    },
    metrics: (view: Parameters<NonNullable<typeof base.metrics>>[0]) => {
      lastView = view;
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
  const notAdmitted = [...(lastView?.nodes ?? [])].reduce((sum, [id, node]) => {
    if (node === undefined || id === undefined || ids.indexOf(id) < attackers) return sum;
    return sum + Object.values(node.hyparview.counters.notAdmitted).reduce((a, b) => a + b, 0);
  }, 0);
  return {
    violations: result.violations.length,
    notAdmitted,
    attackerIdsPct: pct(attackers, n),
    // With admission, the attackers' share of the admitted ids (what they can hope to hold).
    attackerAdmittedPct: admittedAttackers === undefined ? pct(attackers, n) : pct(admittedAttackers, n - attackers + admittedAttackers),
    attackerActivePct: pct(kept.attackerActive, kept.active),
    attackerPassivePct: pct(kept.attackerPassive, kept.passive),
    honestMeanActive: Math.round((kept.active / (n - attackers)) * 100) / 100,
  };
}
