import type { NodeId } from "@synod/core";
import { compareDots, type Dot } from "./dot.js";
import { VersionVector } from "./version-vector.js";
import { sortSmall } from "./sort-small.js";

/** Orders `[replica, …]` entries by replica (a module-level function: sorts run on every message). */
const byReplica = (a: readonly [NodeId, number], b: readonly [NodeId, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Wire form of a causal context: the compact vector and the dot cloud, both sorted. */
export interface CausalContextWire {
  readonly vv: [NodeId, number][];
  readonly cloud: [NodeId, number][];
}

/**
 * A causal context: the set of dots (events) a state has seen, kept compact as a version vector
 * (every dot up to `vv[r]` for each replica r) plus a "dot cloud" of the dots seen out of order.
 * {@link CausalContext.compact} moves cloud dots into the vector as soon as they become contiguous,
 * so a context never grows with the number of removals (no tombstones).
 *
 * Mutable: `add`, `next` and `merge` change it in place. States own their context.
 */
export class CausalContext {
  private vv = new Map<NodeId, number>();
  private cloud = new Map<NodeId, Set<number>>();

  /** @returns whether `dot` is in the context */
  contains(dot: Dot): boolean {
    const [replica, counter] = dot;
    if (counter <= (this.vv.get(replica) ?? 0)) return true;
    return this.cloud.get(replica)?.has(counter) ?? false;
  }

  /** Add one dot (and compact). */
  add(dot: Dot): void {
    const [replica, counter] = dot;
    const max = this.vv.get(replica) ?? 0;
    if (counter <= max) return;
    if (counter === max + 1) {
      this.vv.set(replica, counter);
      this.compactReplica(replica);
      return;
    }
    let set = this.cloud.get(replica);
    if (set === undefined) this.cloud.set(replica, (set = new Set()));
    set.add(counter);
  }

  /**
   * The dot `replica` would generate next, without adding it (delta-mutators build a delta with it
   * and the state then joins the delta).
   * @returns the next dot of `replica`
   */
  nextDot(replica: NodeId): Dot {
    let max = this.vv.get(replica) ?? 0;
    const set = this.cloud.get(replica);
    if (set !== undefined) for (const c of set) if (c > max) max = c;
    return [replica, max + 1];
  }

  /**
   * Generate the next dot of `replica` and add it. Only the replica itself calls this, for its own
   * events, so its own dots are always contiguous.
   * @returns the new dot
   */
  next(replica: NodeId): Dot {
    let max = this.vv.get(replica) ?? 0;
    const set = this.cloud.get(replica);
    if (set !== undefined) for (const c of set) if (c > max) max = c;
    const dot: Dot = [replica, max + 1];
    this.add(dot);
    return dot;
  }

  /** Join another context into this one (set union of the dots). */
  merge(other: CausalContext): void {
    for (const [replica, counter] of other.vv) {
      if (counter > (this.vv.get(replica) ?? 0)) {
        this.vv.set(replica, counter);
        this.compactReplica(replica);
      }
    }
    for (const [replica, set] of other.cloud) for (const counter of set) this.add([replica, counter]);
  }

  /** @returns whether every dot of `other` is in this context (no copies made: called for every delivered group) */
  includes(other: CausalContext): boolean {
    for (const [replica, counter] of other.vv) if (counter > (this.vv.get(replica) ?? 0)) return false;
    for (const [replica, set] of other.cloud) for (const counter of set) if (!this.contains([replica, counter])) return false;
    return true;
  }

  /** @returns whether this context holds no dot beyond the version vector `entries` (replica → counter) */
  coveredBy(entries: ReadonlyMap<NodeId, number> | VersionVector): boolean {
    if (this.cloud.size > 0) return false;
    for (const [replica, counter] of this.vv) if (counter > (entries.get(replica) ?? 0)) return false;
    return true;
  }

  /**
   * @returns whether this context holds no dot beyond the version vector of `entries`, one entry per
   *   replica (what {@link CausalContext.coveredBy} says of their map, without building it)
   */
  coveredByEntries(entries: readonly (readonly [NodeId, number])[]): boolean {
    if (this.cloud.size > 0) return false;
    for (const [replica, counter] of this.vv) {
      let theirs = 0;
      for (const entry of entries) if (entry[0] === replica) theirs = entry[1];
      if (counter > theirs) return false;
    }
    return true;
  }

  /** @returns the compact part: every dot up to vv[r] is known */
  versionVector(): VersionVector {
    return new VersionVector(this.vv);
  }

  /** @returns the version vector's entries sorted by replica, zeros omitted (what `versionVector().toEntries()` gives, without the copies) */
  vectorEntries(): [NodeId, number][] {
    const entries: [NodeId, number][] = [];
    for (const [replica, counter] of this.vv) if (counter > 0) entries.push([replica, counter]);
    return sortSmall(entries, byReplica);
  }

  /** @returns the dots known out of order */
  cloudDots(): Dot[] {
    const dots: Dot[] = [];
    for (const [replica, set] of this.cloud) for (const counter of set) dots.push([replica, counter]);
    return dots.sort(compareDots);
  }

  /** @returns a deep copy */
  clone(): CausalContext {
    const copy = new CausalContext();
    copy.vv = new Map(this.vv);
    for (const [replica, set] of this.cloud) copy.cloud.set(replica, new Set(set));
    return copy;
  }

  /** @returns whether both contexts hold the same dots (they are always compact, so this is structural) */
  equals(other: CausalContext): boolean {
    if (this.vv.size !== other.vv.size || this.cloud.size !== other.cloud.size) return false;
    for (const [replica, counter] of this.vv) if (other.vv.get(replica) !== counter) return false;
    for (const [replica, set] of this.cloud) {
      const theirs = other.cloud.get(replica);
      if (theirs === undefined || theirs.size !== set.size) return false;
      for (const counter of set) if (!theirs.has(counter)) return false;
    }
    return true;
  }

  /** @returns the canonical wire form */
  toWire(): CausalContextWire {
    // The cloud's entries built here as they are sent (`cloudDots` and a copy of each: twice the arrays).
    const cloud: [NodeId, number][] = [];
    for (const [replica, set] of this.cloud) for (const counter of set) cloud.push([replica, counter]);
    return { vv: this.vectorEntries(), cloud: sortSmall(cloud, compareDots) };
  }

  /**
   * Rebuild a context from its wire form (already shape-checked by the schema).
   * @returns the context (compacted)
   */
  static fromWire(wire: CausalContextWire): CausalContext {
    const ctx = new CausalContext();
    for (const [replica, counter] of wire.vv) if (counter > (ctx.vv.get(replica) ?? 0)) ctx.vv.set(replica, counter);
    for (const [replica, counter] of wire.cloud) ctx.add([replica, counter]);
    for (const replica of [...ctx.vv.keys()]) ctx.compactReplica(replica);
    return ctx;
  }

  /** @returns a context holding exactly `dots` */
  static of(dots: Iterable<Dot>): CausalContext {
    const ctx = new CausalContext();
    for (const dot of dots) ctx.add(dot);
    return ctx;
  }

  private compactReplica(replica: NodeId): void {
    const set = this.cloud.get(replica);
    if (set === undefined) return;
    let max = this.vv.get(replica) ?? 0;
    while (set.delete(max + 1)) max++;
    for (const c of set) if (c <= max) set.delete(c);
    this.vv.set(replica, max);
    if (set.size === 0) this.cloud.delete(replica);
  }
}
