/**
 * A growable series of numbers kept in a Float64Array, read like an array (`at(k)` is undefined
 * outside `0 … length − 1`). For the per-tick series a checker keeps over a whole run (thousands of
 * entries per node): a number[] that size lives on the JS heap and is copied by every
 * young-generation collection until promoted, a typed array's storage is not.
 */
export class DoubleSeries {
  private data = new Float64Array(64);
  /** Number of values pushed since the last {@link clear}. */
  length = 0;

  /** Append `value`. */
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** @returns the value at `index`, or undefined when it is outside the series (as an array's element) */
  at(index: number): number | undefined {
    return index >= 0 && index < this.length ? this.data[index] : undefined;
  }

  /** Empty the series (its storage is kept). */
  clear(): void {
    this.length = 0;
  }
}
