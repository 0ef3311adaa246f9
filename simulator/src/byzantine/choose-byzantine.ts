import { createRng, SynodError, type NodeId } from "@synod/core";
import type { AdversaryName } from "../faults/schedule.js";
import { createAdversary, type Adversary } from "./adversary.js";
import { createDkgAdversary, type DkgStrategy } from "./dkg-strategies.js";
import { createPbftAdversary, type PbftStrategy } from "./pbft-strategies.js";
import { eclipse } from "./plumtree-eclipse.js";
import { byzantineStrategies, isPbftProtocol, strategyNameProblem } from "./strategy-names.js";

/** What {@link chooseByzantine} drew for one seed. */
export interface ByzantineChoice {
  /** Strategy per faulty node. */
  readonly strategies: Readonly<Record<NodeId, string>>;
  /** The adversaries, as `SimulationOptions.byzantine` takes them (active from the start until healing). */
  readonly adversaries: Readonly<Record<NodeId, Adversary<unknown>>>;
}

/**
 * Draw `count` faulty nodes and a strategy for each from the seed (swarm: every seed its own mix).
 * PBFT gets its protocol-aware strategies — with two or more faulty nodes, half the seeds make
 * them all colluding equivocators; otherwise each draws its own, equivocation half the time —
 * the DKG its Byzantine dealer strategies (one each, uniformly), other protocols the built-in ones.
 * The one way a run's faulty nodes get their strategies: `pnpm sim --byzantine K [--strategy NAME]`,
 * its reports and the mutation hunts (`SimDetector.strategy`) all call this.
 * @param strategy - every faulty node runs this strategy instead of a drawn one (the faulty nodes are
 *   still drawn from the seed): one of the protocol's (`byzantineStrategies`), the targeted ones
 *   included, which are never drawn
 * @throws {SynodError} code `usage` when `count` exceeds the cluster, or for a strategy that is not the protocol's
 */
export function chooseByzantine(protocol: string, members: readonly NodeId[], count: number, seed: number, strategy?: string): ByzantineChoice {
  if (!Number.isSafeInteger(count) || count < 0 || count > members.length) throw new SynodError("usage", `--byzantine must be between 0 and ${members.length} (the cluster size), got ${count}`);
  const pbft = isPbftProtocol(protocol);
  const problem = strategy === undefined ? undefined : strategyNameProblem(protocol, strategy);
  if (problem !== undefined) throw new SynodError("usage", problem);
  const { drawn } = byzantineStrategies(protocol);
  const rng = createRng(seed).fork("byzantine-choice");
  const faulty = rng.shuffle([...members]).slice(0, count);
  const strategies: Record<NodeId, string> = {};
  const adversaries: Record<NodeId, Adversary<unknown>> = {};
  const collude = count > 1 && rng.bool(0.5);
  for (const id of faulty) {
    if (pbft) {
      const chosen = (strategy ?? (collude || rng.bool(0.5) ? "equivocate" : rng.pick(drawn))) as PbftStrategy;
      strategies[id] = chosen;
      adversaries[id] = createPbftAdversary(chosen, faulty) as Adversary<unknown>;
    } else if (protocol === "dkg" || protocol === "dkg-q") {
      const chosen = (strategy ?? rng.pick(drawn)) as DkgStrategy;
      strategies[id] = chosen;
      adversaries[id] = createDkgAdversary(chosen, faulty) as Adversary<unknown>;
    } else if (strategy === "eclipse") {
      // The overlay's aimed strategy (strategyNameProblem let it through only for plumtree targets): the faulty members collude.
      strategies[id] = strategy;
      adversaries[id] = eclipse(faulty) as Adversary<unknown>;
    } else {
      const chosen = (strategy ?? rng.pick(drawn)) as AdversaryName;
      strategies[id] = chosen;
      adversaries[id] = createAdversary<unknown>(chosen);
    }
  }
  return { strategies, adversaries };
}
