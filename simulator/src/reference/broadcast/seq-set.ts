/** Sequence numbers below this are kept in the bitmap (at most 2 MiB of bits per set); larger ones in a `Set`. */
export const DENSE_SEQ_LIMIT = 1 << 24;

/**
 * A set of sequence numbers of one origin. An origin numbers its broadcasts 0, 1, 2, …, so the
 * numbers a node sees are dense: they live in a growable bitmap (one bit each, no per-number
 * allocation). A number at or beyond {@link DENSE_SEQ_LIMIT} — only a misbehaving peer sends one —
 * goes to a `Set`, so a forged huge number cannot make the bitmap grow without bound.
 */
export class SeqSet {
  private words = new Uint32Array(4);
  private sparse: Set<number> | undefined;
  /** Numbers in the set. */
  size = 0;

  /** @returns whether `seq` is in the set */
  has(seq: number): boolean {
    if (seq < DENSE_SEQ_LIMIT) {
      const word = seq >>> 5;
      return word < this.words.length && ((this.words[word] as number) & (1 << (seq & 31))) !== 0;
    }
    return this.sparse !== undefined && this.sparse.has(seq);
  }

  /** Add `seq`. @returns false when it was already there */
  add(seq: number): boolean {
    if (seq >= DENSE_SEQ_LIMIT) {
      const sparse = (this.sparse ??= new Set());
      if (sparse.has(seq)) return false;
      sparse.add(seq);
      this.size++;
      return true;
    }
    const word = seq >>> 5;
    if (word >= this.words.length) this.grow(word);
    const bit = 1 << (seq & 31);
    const old = this.words[word] as number;
    if ((old & bit) !== 0) return false;
    this.words[word] = old | bit;
    this.size++;
    return true;
  }

  /** Calls `visit` for every number in the set (the dense ones in increasing order first). */
  forEach(visit: (seq: number) => void): void {
    const words = this.words;
    for (let w = 0; w < words.length; w++) {
      let bits = words[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        visit(w * 32 + 31 - Math.clz32(low));
        bits ^= low;
      }
    }
    this.sparse?.forEach((seq) => visit(seq));
  }

  private grow(word: number): void {
    let length = this.words.length * 2;
    while (length <= word) length *= 2;
    const words = new Uint32Array(length);
    words.set(this.words);
    this.words = words;
  }
}
