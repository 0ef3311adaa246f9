import type { NodeId } from "@synod/core";
import { equalBytes } from "../bytes.js";
import { commitmentsDigest, dealingFault, supportStatement, type DealingRules } from "./complete-dealing.js";
import { rosterOf } from "./dkg-mode.js";
import type { CompleteDealing, DkgValue } from "./dkg-messages.js";

interface Support {
  readonly digest: Uint8Array;
  readonly sig: Uint8Array;
}

/**
 * What one participant has heard of each dealer: the commitments the dealer sent it (the first
 * version), the signed supports every receiver broadcast (each checked on arrival), the shares the
 * dealer revealed, and who withdrew. From these it builds complete dealings and, when ready, the
 * value it proposes when it leads a ballot.
 */
export class DealingCollector {
  private readonly commitments = new Map<NodeId, readonly Uint8Array[]>();
  private readonly supports = new Map<NodeId, Map<NodeId, Support[]>>();
  private readonly reveals = new Map<NodeId, Map<NodeId, Uint8Array>>();
  /** Complete dealings found so far (a complete dealing stays complete: its evidence only grows). */
  private readonly complete = new Map<NodeId, CompleteDealing>();
  /** Dealers with new evidence since their dealing was last checked. */
  private readonly dirty = new Set<NodeId>();
  /** Members that said they restarted and take no part. */
  readonly withdrawn = new Set<NodeId>();

  constructor(private readonly rules: DealingRules) {}

  /** Record the commitments `dealer` sent (the first version it sent this participant counts). */
  addCommitments(dealer: NodeId, commitments: readonly Uint8Array[]): void {
    if (this.commitments.has(dealer)) return;
    this.commitments.set(dealer, commitments);
    this.dirty.add(dealer);
  }

  /** @returns the commitments this participant holds for `dealer` */
  commitmentsOf(dealer: NodeId): readonly Uint8Array[] | undefined {
    return this.commitments.get(dealer);
  }

  /**
   * Record `signer`'s support of `dealer`'s commitments with `digest`, if its signature verifies.
   * @returns false when it does not (a forged or garbled support)
   */
  addSupport(signer: NodeId, dealer: NodeId, digest: Uint8Array, sig: Uint8Array): boolean {
    const key = this.rules.keys.publicKeyOf(signer);
    if (key === undefined || !this.rules.members.includes(dealer) || !this.rules.keys.provider.verify(key, supportStatement(dealer, digest), sig)) return false;
    const bySigner = this.supports.get(dealer) ?? new Map<NodeId, Support[]>();
    const list = bySigner.get(signer) ?? [];
    if (!list.some((s) => equalBytes(s.digest, digest)) && list.length < 2) list.push({ digest, sig });
    bySigner.set(signer, list);
    this.supports.set(dealer, bySigner);
    this.dirty.add(dealer);
    return true;
  }

  /** @returns whether `receiver` supports `dealer` (any version) */
  supported(dealer: NodeId, receiver: NodeId): boolean {
    return (this.supports.get(dealer)?.get(receiver)?.length ?? 0) > 0;
  }

  /** Record a share `dealer` revealed for `receiver` (the first one counts; it is checked when a dealing is built). */
  addReveal(dealer: NodeId, receiver: NodeId, share: Uint8Array): void {
    const byReceiver = this.reveals.get(dealer) ?? new Map<NodeId, Uint8Array>();
    if (byReceiver.has(receiver)) return;
    byReceiver.set(receiver, share);
    this.reveals.set(dealer, byReceiver);
    this.dirty.add(dealer);
  }

  /** @returns `dealer`'s complete dealing from what this participant holds, or undefined */
  dealing(dealer: NodeId): CompleteDealing | undefined {
    const known = this.complete.get(dealer);
    if (known !== undefined || !this.dirty.has(dealer)) return known;
    this.dirty.delete(dealer);
    const built = this.build(dealer);
    if (built !== undefined) this.complete.set(dealer, built);
    return built;
  }

  /**
   * Take the complete dealings of a valid proposed value as this participant's own where it has
   * none complete yet (each carries its evidence: signed supports, checked reveals), so a dealing
   * that reached some members only spreads with the proposals that name it.
   */
  learn(dealings: readonly CompleteDealing[]): void {
    for (const dealing of dealings) if (this.dealing(dealing.dealer) === undefined) this.complete.set(dealing.dealer, dealing);
  }

  private build(dealer: NodeId): CompleteDealing | undefined {
    const commitments = this.commitments.get(dealer);
    if (commitments === undefined) return undefined;
    const digest = commitmentsDigest(this.rules.keys.provider, commitments);
    const supports: { signer: NodeId; sig: Uint8Array }[] = [];
    for (const [signer, list] of this.supports.get(dealer) ?? []) {
      const match = list.find((s) => equalBytes(s.digest, digest));
      if (match !== undefined) supports.push({ signer, sig: match.sig });
    }
    const reveals = [...(this.reveals.get(dealer) ?? [])]
      .filter(([receiver]) => !supports.some((s) => s.signer === receiver))
      .map(([receiver, share]) => ({ receiver, share }));
    const dealing: CompleteDealing = { dealer, commitments: [...commitments], supports, reveals };
    return dealingFault(this.rules, dealing) === undefined ? dealing : undefined;
  }

  /**
   * The value this participant would propose: ready when every dealer is complete or withdrew, or —
   * once `excludeSilent` (the exclusion timeout passed) — when at least `minimum` dealers are complete.
   * @returns the complete dealings in member order, or undefined when not ready
   */
  proposal(minimum: number, excludeSilent: boolean): DkgValue | undefined {
    const dealings: CompleteDealing[] = [];
    let waiting = false;
    const roster = rosterOf(this.rules.mode, this.rules.members);
    for (const dealer of this.rules.members.filter((id) => roster.dealers.includes(id))) {
      const dealing = this.dealing(dealer);
      if (dealing !== undefined) dealings.push(dealing);
      else if (!this.withdrawn.has(dealer)) waiting = true;
    }
    if (dealings.length < minimum || (waiting && !excludeSilent)) return undefined;
    return { dealings };
  }
}
