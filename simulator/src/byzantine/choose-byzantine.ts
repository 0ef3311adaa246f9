import { createRng, SynodError, type NodeId } from "@synod/core";
import type { AdversaryName } from "../faults/schedule.js";
import { createAdversary, type Adversary } from "./adversary.js";
import { createDkgAdversary, DKG_STRATEGIES, type DkgStrategy } from "./dkg-strategies.js";
import { createPbftAdversary, PBFT_MAC_STRATEGIES, PBFT_STRATEGIES, type PbftStrategy } from "./pbft-strategies.js";
import { PBFT_TARGETED_STRATEGIES, PBFT_THRESHOLD_STRATEGIES } from "./pbft-strategies.js";

/** Built-in strategies drawn for protocols without protocol-aware ones. */
const GENERIC: readonly AdversaryName[] = ["drop", "delay", "duplicate", "replay", "equivocate", "forge"];

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
 * @param strategy - PBFT: every faulty node runs this strategy (the faulty nodes are still drawn from
 *   the seed); one of the drawn ones or of `PBFT_TARGETED_STRATEGIES`, which are never drawn. DKG
 *   (`dkg`, `dkg-q`): one of `DKG_STRATEGIES`, run by every faulty node
 * @throws {SynodError} code `usage` when `count` exceeds the cluster, or for a strategy that is not the protocol's
 */
export function chooseByzantine(protocol: string, members: readonly NodeId[], count: number, seed: number, strategy?: string): ByzantineChoice {
  if (!Number.isSafeInteger(count) || count < 0 || count > members.length) throw new SynodError("usage", `--byzantine must be between 0 and ${members.length} (the cluster size), got ${count}`);
  const pbft = protocol === "pbft" || protocol.startsWith("pbft-");
  const dkg = protocol === "dkg" || protocol === "dkg-q";
  const named = (dkg ? DKG_STRATEGIES : [...PBFT_MAC_STRATEGIES, "bad-share", ...PBFT_TARGETED_STRATEGIES]) as readonly string[];
  if (strategy !== undefined && ((!pbft && !dkg) || !named.includes(strategy))) {
    const whose = dkg ? "the DKG's" : "PBFT's";
    throw new SynodError("usage", `a named Byzantine strategy is one of ${whose} (${named.join(", ")}), got "${strategy}" for ${protocol}`);
  }
  const rng = createRng(seed).fork("byzantine-choice");
  const faulty = rng.shuffle([...members]).slice(0, count);
  const strategies: Record<NodeId, string> = {};
  const adversaries: Record<NodeId, Adversary<unknown>> = {};
  const collude = count > 1 && rng.bool(0.5);
  for (const id of faulty) {
    if (pbft) {
      const drawn: readonly PbftStrategy[] = protocol.startsWith("pbft-mac")
        ? PBFT_MAC_STRATEGIES
        : protocol.startsWith("pbft-threshold")
          ? PBFT_THRESHOLD_STRATEGIES
          : PBFT_STRATEGIES;
      const chosen: PbftStrategy = strategy !== undefined ? (strategy as PbftStrategy) : collude || rng.bool(0.5) ? "equivocate" : rng.pick(drawn);
      strategies[id] = chosen;
      adversaries[id] = createPbftAdversary(chosen, faulty) as Adversary<unknown>;
    } else if (dkg) {
      const chosen: DkgStrategy = strategy !== undefined ? (strategy as DkgStrategy) : rng.pick(DKG_STRATEGIES);
      strategies[id] = chosen;
      adversaries[id] = createDkgAdversary(chosen) as Adversary<unknown>;
    } else {
      const strategy = rng.pick(GENERIC);
      strategies[id] = strategy;
      adversaries[id] = createAdversary<unknown>(strategy);
    }
  }
  return { strategies, adversaries };
}
