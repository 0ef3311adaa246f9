/**
 * A fast, non-cryptographic 64-bit hash folded over event records: two 32-bit lanes, each a
 * multiply–xorshift mix (FNV/Murmur style) of 32-bit words. Same words in the same order ⇒ same
 * hash; one changed word changes it with overwhelming probability. It detects divergence between
 * two runs; it is not a defence against an adversary.
 */
export class TraceHash {
  private h1 = 0x811c9dc5;
  private h2 = 0x27d4eb2f;
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  /** Fold one 32-bit integer (the low 32 bits of `word`). */
  word(word: number): void {
    const w = word | 0;
    this.h1 = Math.imul(this.h1 ^ w, 0x01000193);
    this.h1 ^= this.h1 >>> 15;
    this.h2 = Math.imul(this.h2 ^ w, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 13;
  }

  /** Fold a number exactly (its 64-bit IEEE representation). */
  number(value: number): void {
    this.f64[0] = value;
    this.word(this.u32[0] as number);
    this.word(this.u32[1] as number);
  }

  /**
   * Fold one simulator event as two words: `kind`, `subject` and `detail` in one, the time (exactly, both
   * halves of its IEEE representation) and the step summary in the other. Each field enters its
   * word through a bijection of 32-bit words (itself, or a multiplication by an odd constant), so
   * changing any one field always changes the word.
   */
  event(kind: number, timeMs: number, subject: number, detail: number, summary: number): void {
    this.f64[0] = timeMs;
    const words = this.u32;
    const w1 = kind ^ Math.imul(subject, 0x27d4eb2f) ^ Math.imul(detail, 0x9e3779b1);
    const w2 = (words[0] as number) ^ Math.imul(words[1] as number, 0x85ebca77) ^ Math.imul(summary, 0xc2b2ae3d);
    let h1 = Math.imul(this.h1 ^ w1, 0x01000193);
    h1 ^= h1 >>> 15;
    h1 = Math.imul(h1 ^ w2, 0x01000193);
    this.h1 = h1 ^ (h1 >>> 15);
    let h2 = Math.imul(this.h2 ^ w1, 0x5bd1e995);
    h2 ^= h2 >>> 13;
    h2 = Math.imul(h2 ^ w2, 0x5bd1e995);
    this.h2 = h2 ^ (h2 >>> 13);
  }

  /** Fold a string (its UTF-16 code units and length). */
  string(text: string): void {
    this.word(text.length);
    for (let i = 0; i < text.length; i++) this.word(text.charCodeAt(i));
  }

  /** @returns the hash as 16 lowercase hex digits */
  hex(): string {
    let a = Math.imul(this.h1 ^ (this.h2 >>> 16), 0x85ebca6b) >>> 0;
    let b = Math.imul(this.h2 ^ (this.h1 >>> 16), 0xc2b2ae35) >>> 0;
    a = (a ^ (a >>> 13)) >>> 0;
    b = (b ^ (b >>> 16)) >>> 0;
    return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
  }
}
