import { DKG_STRATEGIES, DKG_TARGETED_STRATEGIES } from "./dkg-strategies.js";
import { PLUMTREE_TARGETED_STRATEGIES } from "./plumtree-eclipse.js";
import { PBFT_MAC_STRATEGIES, PBFT_STRATEGIES, PBFT_TARGETED_STRATEGIES, PBFT_THRESHOLD_STRATEGIES } from "./pbft-strategies.js";

/** Built-in strategies drawn for protocols without protocol-aware ones (`createAdversary`). */
export const GENERIC_STRATEGIES = ["drop", "delay", "duplicate", "replay", "equivocate", "forge"] as const;

/** The Byzantine strategies of one protocol. */
export interface ProtocolStrategies {
  /** Those `--byzantine K` draws from the seed. */
  readonly drawn: readonly string[];
  /** Those aimed at one window: never drawn, only run when named (`--strategy`, `SimDetector.strategy`). */
  readonly namedOnly: readonly string[];
}

/** @returns whether `protocol` is one of the PBFT targets (`pbft`, `pbft-mac`, `pbft-ro`, …) */
export function isPbftProtocol(protocol: string): boolean {
  return protocol === "pbft" || protocol.startsWith("pbft-");
}

/** @returns whether `protocol` is one of the overlay targets (`plumtree`, `plumtree-defended`) */
export function isPlumtreeProtocol(protocol: string): boolean {
  return protocol === "plumtree" || protocol.startsWith("plumtree-");
}

/**
 * @returns the strategies of `protocol`: PBFT's protocol-aware ones (per variant: `claim-liar` on
 *   `pbft-mac`, `bad-share` on `pbft-threshold`) and the targeted ones; the DKG's dealer
 *   strategies; the overlay's built-in ones and the aimed `eclipse`; the built-in ones for every other protocol
 */
export function byzantineStrategies(protocol: string): ProtocolStrategies {
  if (isPbftProtocol(protocol)) {
    const drawn = protocol.startsWith("pbft-mac") ? PBFT_MAC_STRATEGIES : protocol.startsWith("pbft-threshold") ? PBFT_THRESHOLD_STRATEGIES : PBFT_STRATEGIES;
    return { drawn, namedOnly: PBFT_TARGETED_STRATEGIES };
  }
  if (protocol === "dkg" || protocol === "dkg-q") return { drawn: DKG_STRATEGIES, namedOnly: DKG_TARGETED_STRATEGIES };
  if (isPlumtreeProtocol(protocol)) return { drawn: GENERIC_STRATEGIES, namedOnly: PLUMTREE_TARGETED_STRATEGIES };
  return { drawn: GENERIC_STRATEGIES, namedOnly: [] };
}

/**
 * @returns why `name` cannot be forced on `protocol`'s faulty nodes (one line naming the valid
 *   strategies), or undefined when it is one of the protocol's
 */
export function strategyNameProblem(protocol: string, name: string): string | undefined {
  const { drawn, namedOnly } = byzantineStrategies(protocol);
  if (drawn.includes(name) || namedOnly.includes(name)) return undefined;
  const targeted = namedOnly.length > 0 ? `; aimed, never drawn: ${namedOnly.join(", ")}` : "";
  return `unknown Byzantine strategy "${name}" for ${protocol} (drawn: ${drawn.join(", ")}${targeted})`;
}
