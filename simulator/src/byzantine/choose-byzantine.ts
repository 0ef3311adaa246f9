import { createRng, SynodError, type NodeId } from "@synod/core";
import type { AdversaryName } from "../faults/schedule.js";
import { createAdversary, type Adversary } from "./adversary.js";
import { createDkgAdversary, DKG_STRATEGIES } from "./dkg-strategies.js";
import { createPbftAdversary, PBFT_MAC_STRATEGIES, PBFT_STRATEGIES, PBFT_THRESHOLD_STRATEGIES, type PbftStrategy } from "./pbft-strategies.js";

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
 * @throws {SynodError} code `usage` when `count` exceeds the cluster
 */
export function chooseByzantine(protocol: string, members: readonly NodeId[], count: number, seed: number): ByzantineChoice {
  if (!Number.isSafeInteger(count) || count < 0 || count > members.length) throw new SynodError("usage", `--byzantine must be between 0 and ${members.length} (the cluster size), got ${count}`);
  const rng = createRng(seed).fork("byzantine-choice");
  const faulty = rng.shuffle([...members]).slice(0, count);
  const strategies: Record<NodeId, string> = {};
  const adversaries: Record<NodeId, Adversary<unknown>> = {};
  const collude = count > 1 && rng.bool(0.5);
  for (const id of faulty) {
    if (protocol === "pbft" || protocol.startsWith("pbft-")) {
      const drawn: readonly PbftStrategy[] = protocol.startsWith("pbft-mac")
        ? PBFT_MAC_STRATEGIES
        : protocol.startsWith("pbft-threshold")
          ? PBFT_THRESHOLD_STRATEGIES
          : PBFT_STRATEGIES;
      const strategy: PbftStrategy = collude || rng.bool(0.5) ? "equivocate" : rng.pick(drawn);
      strategies[id] = strategy;
      adversaries[id] = createPbftAdversary(strategy, faulty) as Adversary<unknown>;
    } else if (protocol === "dkg") {
      const strategy = rng.pick(DKG_STRATEGIES);
      strategies[id] = strategy;
      adversaries[id] = createDkgAdversary(strategy) as Adversary<unknown>;
    } else {
      const strategy = rng.pick(GENERIC);
      strategies[id] = strategy;
      adversaries[id] = createAdversary<unknown>(strategy);
    }
  }
  return { strategies, adversaries };
}
