/**
 * Lifeguard's local health multiplier (LHM, memberlist's awareness.go): a score in
 * [0, max − 1] that rises when this member misses its own deadlines (a probe fails while the
 * members it asked to help send no nack, or it must refute a suspicion of itself) and falls with
 * every successful probe. Probe intervals and timeouts are multiplied by `score + 1`, so a member
 * that is itself slow probes less often and waits longer before it suspects anyone.
 */
export class Awareness {
  private value = 0;

  /** @param max - the largest multiplier (the score stays below it) */
  constructor(private readonly max: number) {}

  /** The current score, 0 when healthy. */
  get score(): number {
    return this.value;
  }

  /** Add `delta` to the score, clamped to [0, max − 1]. @returns whether the score changed */
  apply(delta: number): boolean {
    const next = Math.min(this.max - 1, Math.max(0, this.value + delta));
    const changed = next !== this.value;
    this.value = next;
    return changed;
  }

  /** @returns `ticks` scaled by the multiplier `score + 1` */
  scale(ticks: number): number {
    return ticks * (this.value + 1);
  }
}
