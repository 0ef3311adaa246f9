/** The most 32-bit words of bitsets the memo holds (256 MiB), whatever `maxEntries` says. */
export const MAX_CACHE_POOL_WORDS = 64 * 1024 * 1024;

/**
 * The memo of the search (Lowe's improvement of Wing & Gong): every (set of linearized
 * operations, model state) configuration already explored. A configuration seen before cannot
 * lead to a linearization that was not already tried, so the search skips it.
 *
 * Flat storage, no allocation per entry: bitsets live back to back in one Uint32Array pool,
 * states in one array, and an open-addressing table maps a 32-bit key to entry numbers.
 * At most `maxEntries` configurations are kept, and no more than fit in
 * {@link MAX_CACHE_POOL_WORDS} (long partitions have long bitsets); past that the search goes on
 * without memoising new ones (still correct, only slower).
 */
export class StateCache<State> {
  private readonly words: number;
  private readonly equal: (a: State, b: State) => boolean;
  private readonly maxEntries: number;
  private table: Int32Array;
  private mask: number;
  private keys: Int32Array;
  private pool: Uint32Array;
  private readonly states: State[] = [];
  private count = 0;

  /**
   * @param words - bitset length in 32-bit words
   * @param equal - state equality of the model
   * @param maxEntries - the most configurations kept
   */
  constructor(words: number, equal: (a: State, b: State) => boolean, maxEntries: number) {
    this.words = words;
    this.equal = equal;
    this.maxEntries = Math.min(maxEntries, Math.floor(MAX_CACHE_POOL_WORDS / Math.max(1, words)));
    const initial = 1024;
    this.table = new Int32Array(initial * 2);
    this.mask = initial * 2 - 1;
    this.keys = new Int32Array(initial);
    this.pool = new Uint32Array(initial * Math.max(1, words));
  }

  /** How many configurations are stored. */
  get size(): number {
    return this.count;
  }

  /**
   * Record a configuration unless it was seen before.
   * @param key - a 32-bit hash of (bits, state)
   * @param bits - the linearized set (copied when stored)
   * @param state - the model state
   * @returns true when the configuration is new (and stored, if there was room), false when seen before
   */
  addIfAbsent(key: number, bits: Uint32Array, state: State): boolean {
    const words = this.words;
    const pool = this.pool;
    let slot = mix(key) & this.mask;
    for (;;) {
      const stored = this.table[slot] as number;
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.keys[entry] === key) {
        let same = true;
        const base = entry * words;
        for (let w = 0; w < words; w++) {
          if (pool[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same && this.equal(this.states[entry] as State, state)) return false;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.count >= this.maxEntries) return true;
    const entry = this.count++;
    if (entry >= this.keys.length) this.growEntries();
    this.keys[entry] = key;
    this.pool.set(bits, entry * words);
    this.states[entry] = state;
    this.table[slot] = entry + 1;
    if (this.count * 2 > this.table.length) this.growTable();
    return true;
  }

  private growEntries(): void {
    const keys = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const pool = new Uint32Array(keys.length * Math.max(1, this.words));
    pool.set(this.pool);
    this.pool = pool;
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = mix(this.keys[entry] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = entry + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A 32-bit finaliser (murmur3 fmix32), so nearby keys spread over the table. */
function mix(key: number): number {
  let h = key ^ (key >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
