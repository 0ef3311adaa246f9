import type { NodeId } from "@synod/core";

/** Orders `[replica, …]` entries by replica (a module-level function: sorts run on every message). */
const byReplica = (a: readonly [NodeId, number], b: readonly [NodeId, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * A version vector: for each replica, how many of its events are known (all of 1..n).
 * Immutable from the outside: every operation returns a new vector.
 */
export class VersionVector {
  private readonly entries: ReadonlyMap<NodeId, number>;

  /** @param entries - replica → counter; zero entries are dropped */
  constructor(entries: Iterable<readonly [NodeId, number]> = []) {
    const map = new Map<NodeId, number>();
    for (const [replica, counter] of entries) if (counter > 0) map.set(replica, counter);
    this.entries = map;
  }

  /** @returns the counter of `replica` (0 when unknown) */
  get(replica: NodeId): number {
    return this.entries.get(replica) ?? 0;
  }

  /** @returns a vector with `replica`'s entry set to `counter` */
  with(replica: NodeId, counter: number): VersionVector {
    const next = new Map(this.entries);
    next.set(replica, counter);
    return new VersionVector(next);
  }

  /** @returns the pointwise maximum (the join of two vectors) */
  join(other: VersionVector): VersionVector {
    const next = new Map(this.entries);
    for (const [replica, counter] of other.entries) if (counter > (next.get(replica) ?? 0)) next.set(replica, counter);
    return new VersionVector(next);
  }

  /** @returns the pointwise minimum (the meet; e.g. the causally stable frontier of several replicas) */
  meet(other: VersionVector): VersionVector {
    const next: [NodeId, number][] = [];
    for (const [replica, counter] of this.entries) next.push([replica, Math.min(counter, other.get(replica))]);
    return new VersionVector(next);
  }

  /** @returns whether every entry of this vector is ≤ the same entry of `other` */
  leq(other: VersionVector): boolean {
    for (const [replica, counter] of this.entries) if (counter > other.get(replica)) return false;
    return true;
  }

  /** @returns whether both vectors have the same entries */
  equals(other: VersionVector): boolean {
    return this.leq(other) && other.leq(this);
  }

  /** @returns whether neither vector is ≤ the other */
  concurrentWith(other: VersionVector): boolean {
    return !this.leq(other) && !other.leq(this);
  }

  /** @returns the entries, sorted by replica (a canonical, encodable form) */
  toEntries(): [NodeId, number][] {
    return [...this.entries].sort(byReplica);
  }

  /** @returns the sum of all counters (number of events summarised) */
  total(): number {
    let sum = 0;
    for (const counter of this.entries.values()) sum += counter;
    return sum;
  }
}
