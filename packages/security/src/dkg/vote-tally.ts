import type { NodeId } from "@synod/core";

/** One member's signed vote as a certificate carries it. */
export interface SignedVote {
  readonly signer: NodeId;
  readonly sig: Uint8Array;
}

/**
 * Signed votes of one kind (prepares or commits), the first per member per view: a member that
 * votes twice in a view (equivocates) is counted for the first digest it was heard voting for, so
 * its second vote adds to no quorum here. Views more than `window` ahead of the caller's are
 * dropped (resent later), so a faulty member cannot grow the tally without bound.
 */
export class VoteTally {
  private readonly byView = new Map<number, Map<NodeId, { digest: string; sig: Uint8Array }>>();

  constructor(private readonly window: number) {}

  /** Record `signer`'s vote for `digest` (hex) in `view` (already verified). @returns false when dropped */
  add(view: number, current: number, signer: NodeId, digest: string, sig: Uint8Array): boolean {
    if (view > current + this.window) return false;
    const voters = this.byView.get(view) ?? new Map<NodeId, { digest: string; sig: Uint8Array }>();
    this.byView.set(view, voters);
    if (voters.has(signer)) return false;
    voters.set(signer, { digest, sig });
    return true;
  }

  /** @returns whether `signer` already has a vote in `view` */
  has(view: number, signer: NodeId): boolean {
    return this.byView.get(view)?.has(signer) ?? false;
  }

  /** @returns the votes for `digest` (hex) in `view` */
  votes(view: number, digest: string): SignedVote[] {
    const out: SignedVote[] = [];
    for (const [signer, vote] of this.byView.get(view) ?? []) if (vote.digest === digest) out.push({ signer, sig: vote.sig });
    return out;
  }
}
