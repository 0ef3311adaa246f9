import type { Rng } from "@synod/core";

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * SWIM's shuffled round robin without an array per member: each pass visits every position of
 * 0 … n − 1 exactly once, in the order `(offset + i · stride) mod n` with a random offset and a
 * random stride coprime with n, redrawn at every pass. A failed member is therefore probed by each
 * observer within two passes (SWIM's time-bounded completeness), and the memory is O(1).
 */
export class ProbeOrder {
  private offset = 0;
  private stride = 1;
  private step: number;

  constructor(
    private readonly n: number,
    private readonly rng: Rng,
  ) {
    this.step = n; // start with a fresh pass
  }

  /** @returns the next position of the round robin */
  next(): number {
    if (this.step >= this.n) this.newPass();
    const position = (this.offset + this.step * this.stride) % this.n;
    this.step++;
    return position;
  }

  private newPass(): void {
    this.step = 0;
    this.offset = this.rng.int(0, this.n);
    if (this.n <= 2) {
      this.stride = 1;
      return;
    }
    do this.stride = this.rng.int(1, this.n);
    while (gcd(this.stride, this.n) !== 1);
  }
}
