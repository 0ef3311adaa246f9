import type { NodeId } from "@synod/core";
import { toHex } from "../bytes.js";
import { statementBytes } from "../statement.js";
import type { DkgKeys } from "./dkg-keys.js";
import type { DkgItem, DkgPhase } from "./dkg-messages.js";

/** An item a phase accepted: who broadcast it and what. */
export interface AcceptedItem {
  readonly origin: NodeId;
  readonly body: Uint8Array;
}

/** @returns the bytes every signer of an item signs */
export function itemDigestBytes(phase: DkgPhase, origin: NodeId, body: Uint8Array): Uint8Array {
  return statementBytes("synod/dkg/item/v1", phase, origin, body);
}

/**
 * One phase of Dolev–Strong authenticated broadcast (1983), for any number of items: in round r of
 * the phase (1-based), an item is accepted when its chain has at least r distinct valid member
 * signatures, the origin's first; an accepted item is signed and relayed to everyone if r ≤ t. After
 * round t+1 the accepted set is the same at every correct participant, provided a message sent
 * in round r arrives before round r+1 ends (the synchronous model): an item accepted by a correct
 * participant in round r ≤ t reaches every other by r+1, and a chain of t+1 distinct signers
 * contains a correct one that relayed it. An origin that broadcasts two bodies has both accepted
 * everywhere, so equivocation is seen by all.
 */
export class DolevStrongPhase {
  private readonly accepted = new Map<string, AcceptedItem>();
  /** Items refused: bad chain, non-member signer, or arriving too late. */
  refused = 0;

  /**
   * @param phase - which phase (its items carry it)
   * @param t - most faulty participants tolerated: the phase lasts t+1 rounds
   */
  constructor(
    readonly phase: DkgPhase,
    private readonly t: number,
    private readonly self: NodeId,
    private readonly keys: DkgKeys,
  ) {}

  /** @returns the accepted items, in acceptance order */
  items(): AcceptedItem[] {
    return [...this.accepted.values()];
  }

  /**
   * Originate an item (accepted at once) and sign it.
   * @returns the item to send to every other participant
   */
  originate(body: Uint8Array): DkgItem {
    const digest = itemDigestBytes(this.phase, this.self, body);
    this.accepted.set(toHex(digest), { origin: this.self, body });
    const sig = this.keys.provider.sign(this.keys.secretKey, digest);
    return { type: "item", phase: this.phase, origin: this.self, body, chain: [{ signer: this.self, sig }] };
  }

  /**
   * Offer an item received in phase round `round` (rounds before the phase count as 1; the caller
   * refuses items after the phase's last round).
   * @returns the item with this participant's signature added, to relay to everyone; undefined when
   *   it was refused, already accepted, or accepted in the last round (no relay)
   */
  offer(item: DkgItem, round: number): DkgItem | undefined {
    const digest = itemDigestBytes(this.phase, item.origin, item.body);
    const id = toHex(digest);
    if (this.accepted.has(id)) return undefined;
    if (!this.chainValid(item, digest, Math.max(1, round))) {
      this.refused++;
      return undefined;
    }
    this.accepted.set(id, { origin: item.origin, body: item.body });
    if (round > this.t || item.chain.some((link) => link.signer === this.self)) return undefined;
    return { ...item, chain: [...item.chain, { signer: this.self, sig: this.keys.provider.sign(this.keys.secretKey, digest) }] };
  }

  private chainValid(item: DkgItem, digest: Uint8Array, round: number): boolean {
    if (item.chain.length < round || item.chain[0]?.signer !== item.origin) return false;
    const signers = new Set<NodeId>();
    for (const { signer, sig } of item.chain) {
      if (signers.has(signer)) return false;
      signers.add(signer);
      const key = this.keys.publicKeyOf(signer);
      if (key === undefined || !this.keys.provider.verify(key, digest, sig)) return false;
    }
    return true;
  }
}
