import type { Rng } from "@synod/core";

/** {@link Twins.route}: the send goes to both copies of a twinned recipient. */
export const TWIN_BOTH = -1;
/** {@link Twins.route}: the send is dropped (a twin copy talking to a node on the other side). */
export const TWIN_CUT = -2;
/** A side value: in this episode the node talks to both copies of every twin. */
const OPEN = 2;

/** Shortest and longest episode of fixed sides, in virtual ms (log-uniform in between). */
export const TWIN_EPISODE_MS = [100, 2000] as const;
/** Share of episodes in which both copies reach everyone (the rest split the honest nodes in two sides). */
export const TWIN_OPEN_SHARE = 0.2;

/** One stretch of the faulty period with fixed sides, as a run's recording shows it. */
export interface TwinEpisode {
  readonly fromMs: number;
  readonly toMs: number;
  /** Node indices on side 0 (twin copies included); empty when both copies reach everyone. */
  readonly side0: readonly number[];
  /** Node indices on side 1. */
  readonly side1: readonly number[];
}

/**
 * Twins (Bano et al., "Twins: BFT Systems Made Robust", 2020): a faulty node is two honest copies
 * sharing one id — and so one key — and the network decides which peers talk to which copy, so
 * equivocation arises from honest code without a hand-written attack.
 *
 * The member at index `twinned[j]` has its second copy at index `members + j` (its own disk and
 * random stream). Until healing, time is cut into episodes (log-uniform {@link TWIN_EPISODE_MS}),
 * drawn one after another from their own generator: in a share {@link TWIN_OPEN_SHARE} of them both
 * copies reach everyone (a send to a twinned id goes to both copies); in the others every honest
 * node is on side 0 or 1 at random, and each twin has one copy on each side (which one, drawn per
 * twin). A send to a twinned id goes to the copy on the sender's side; a twin copy's send to an
 * honest node on the other side is dropped ({@link cut}); honest nodes always reach each other. At
 * healing the second copies stop for good ({@link retire}) and every send goes to the first copy.
 */
export class Twins {
  /** Member indices of the twinned ids; copy j lives at index `members + j`. */
  readonly twinned: readonly number[];
  /** Number of members (the first copies included). */
  readonly members: number;
  /** Sends of a twin copy dropped because the recipient was on the other side. */
  cut = 0;
  /** Episodes of fixed sides drawn so far. */
  episodes = 0;
  private active = true;
  /** Per node index: the index of its other copy, −1 when the node is not twinned. */
  private readonly otherCopy: Int32Array;
  /** Per node index: 1 for either copy of a twinned id. */
  private readonly isCopy: Uint8Array;
  /** Per node index: its side in the current episode (0, 1, or {@link OPEN}). */
  private readonly side: Uint8Array;
  private episodeEndMs = 0;

  /**
   * @param members - the cluster size
   * @param twinned - member indices to twin (distinct, each below `members`)
   * @param rng - draws the episodes (its own fork of the seed)
   * @param onEpisode - told of each episode as it is drawn (for a recording)
   */
  constructor(
    members: number,
    twinned: readonly number[],
    private readonly rng: Rng,
    private readonly onEpisode?: (episode: TwinEpisode) => void,
  ) {
    this.members = members;
    this.twinned = twinned;
    const total = members + twinned.length;
    this.otherCopy = new Int32Array(total).fill(-1);
    this.isCopy = new Uint8Array(total);
    this.side = new Uint8Array(total);
    twinned.forEach((i, j) => {
      this.otherCopy[i] = members + j;
      this.otherCopy[members + j] = i;
      this.isCopy[i] = this.isCopy[members + j] = 1;
    });
  }

  /** @returns whether node index `i` is either copy of a twinned id while the twins run */
  isTwinCopy(i: number): boolean {
    return this.active && this.isCopy[i] === 1;
  }

  /** @returns the other copy of member `i`'s id (−1 when `i` is not twinned) */
  copyOf(i: number): number {
    return this.otherCopy[i] as number;
  }

  /**
   * Where a send from node `from` to member `to` goes at `nowMs`: a node index (`to` or its other
   * copy), {@link TWIN_BOTH} or {@link TWIN_CUT}.
   */
  route(from: number, to: number, nowMs: number): number {
    if (!this.active) return to;
    const other = this.otherCopy[to] as number;
    if (from === to || other === from) return from; // a copy's send to its own id stays with it
    if (nowMs >= this.episodeEndMs) this.advance(nowMs);
    const side = this.side;
    const s = side[from] as number;
    if (other < 0) return s === OPEN || this.isCopy[from] === 0 || side[to] === s ? to : TWIN_CUT;
    if (s === OPEN) return TWIN_BOTH;
    return side[to] === s ? to : other;
  }

  /** Healing: the second copies stop, and every send goes to the first copy. */
  retire(): void {
    this.active = false;
  }

  /** The counters of a run with twins (reported in `metrics`). */
  metrics(): Record<string, number> {
    return { twinCut: this.cut, twinEpisodes: this.episodes };
  }

  /** Draw episodes until the one in force at `nowMs`. */
  private advance(nowMs: number): void {
    const { rng, side, members, twinned } = this;
    const [minMs, maxMs] = TWIN_EPISODE_MS;
    while (nowMs >= this.episodeEndMs) {
      const fromMs = this.episodeEndMs;
      this.episodeEndMs = fromMs + minMs * Math.exp(Math.log(maxMs / minMs) * rng.float());
      this.episodes++;
      if (rng.bool(TWIN_OPEN_SHARE)) side.fill(OPEN);
      else {
        for (let i = 0; i < members; i++) side[i] = rng.int(0, 2);
        twinned.forEach((i, j) => {
          const first = rng.int(0, 2);
          side[i] = first;
          side[members + j] = 1 - first;
        });
      }
      if (this.onEpisode !== undefined) {
        const side0: number[] = [];
        const side1: number[] = [];
        side.forEach((s, i) => {
          if (s === 0) side0.push(i);
          else if (s === 1) side1.push(i);
        });
        this.onEpisode({ fromMs, toMs: this.episodeEndMs, side0, side1 });
      }
    }
  }
}
