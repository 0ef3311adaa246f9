import type { NodeId, Rng } from "@synod/core";

/** One slot of a {@link BasaltSampler}: its seed, and the id ranked lowest under it among those offered. */
interface Slot {
  seed: number;
  id: NodeId | undefined;
  rank: number;
}

/** @returns a 32-bit hash of `id` under `seed` (FNV-1a over the id's characters, mixed with the seed, finalised by a multiply–xorshift) */
export function rankOf(seed: number, id: NodeId): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Basalt's view (Auvolat, Bromberg, Frey, Taïani, 2021): `size` slots, each with a random seed,
 * each holding the id of lowest rank (a seeded hash) among the ids offered to it. How often an id is
 * offered does not matter — only whether it ranks lowest — so members that push their own ids into
 * every message (an eclipse attempt) hold about their share of ids in the view, not their share of
 * the traffic. A few slots are reseeded now and then (`reseed`), so that the view keeps moving.
 */
export class BasaltSampler {
  private readonly slots: Slot[];
  private next = 0;

  constructor(
    size: number,
    private readonly rng: Rng,
  ) {
    this.slots = Array.from({ length: size }, () => ({ seed: rng.nextU32(), id: undefined, rank: Infinity }));
  }

  /** Offer `id` to every slot. */
  offer(id: NodeId): void {
    for (const slot of this.slots) {
      const rank = rankOf(slot.seed, id);
      if (slot.id === undefined || rank < slot.rank) {
        slot.id = id;
        slot.rank = rank;
      }
    }
  }

  /** Empty the slots that hold `id` (a member found dead); they fill again from later offers. */
  evict(id: NodeId): void {
    for (const slot of this.slots) {
      if (slot.id === id) {
        slot.id = undefined;
        slot.rank = Infinity;
      }
    }
  }

  /** @returns whether some slot holds `id` */
  has(id: NodeId): boolean {
    return this.slots.some((slot) => slot.id === id);
  }

  /** @returns the distinct ids held, in slot order */
  ids(): NodeId[] {
    const out: NodeId[] = [];
    for (const slot of this.slots) if (slot.id !== undefined && !out.includes(slot.id)) out.push(slot.id);
    return out;
  }

  /** Reseed the next `k` slots (round robin) and offer them `candidates` again (Basalt's reset). */
  reseed(k: number, candidates: readonly NodeId[]): void {
    for (let i = 0; i < k && this.slots.length > 0; i++) {
      const slot = this.slots[this.next] as Slot;
      this.next = (this.next + 1) % this.slots.length;
      slot.seed = this.rng.nextU32();
      slot.id = undefined;
      slot.rank = Infinity;
      for (const id of candidates) {
        const rank = rankOf(slot.seed, id);
        if (slot.id === undefined || rank < slot.rank) {
          slot.id = id;
          slot.rank = rank;
        }
      }
    }
  }
}

/**
 * @returns the rank of the link between `a` and `b` (the same either way round): a hash of both ids,
 * which each end computes alike and no member can move except by choosing its id (certified ids,
 * `@synod/security`'s admission, take that away)
 */
export function linkRank(a: NodeId, b: NodeId): number {
  const [low, high] = a < b ? [a, b] : [b, a];
  return rankOf(rankOf(LINK_SEED, low), high);
}

/** The seed of {@link linkRank} (any constant: ranks need only be the same at both ends). */
const LINK_SEED = 0x5eed_11c5;
