import { insertSorted } from "./insert-sorted.js";

/** One key of an owner's state: its value and the owner's version at which it was written. */
export interface KvValue {
  readonly value: string;
  readonly version: number;
}

/** What a member holds of one owner's keys (Scuttlebutt's per-participant state). */
export interface OwnerState {
  /** The highest version held: every write of this owner up to it is held (or was overwritten). */
  max: number;
  /** Key → latest value held. */
  readonly keys: Map<string, KvValue>;
}

/**
 * The replicated key-value state of Scuttlebutt reconciliation (van Renesse, Dumitriu, Gough, Nguyen:
 * "Efficient Reconciliation and Flow Control for Anti-Entropy Protocols", 2008) as one member holds
 * it: every member owns the keys it writes; each write takes the owner's next version; a member
 * holds, per owner, the latest value of each key and the highest version it has, `max`.
 *
 * The one rule that makes a digest (owner → max) enough: a member holds every write of an owner up
 * to its `max` (those not overwritten since). Deltas are therefore sent per owner in ascending
 * version from the receiver's max (`Scuttlebutt`), so a delta cut short by the message size limit
 * still leaves no gap. Pure: no clocks, no I/O.
 */
export class KvStore {
  private readonly owners = new Map<number, OwnerState>();
  /** Owner positions with a state here, ascending (for windows of the member order). */
  private sortedOwners: number[] = [];

  /** Owners of which something is held. */
  get ownerCount(): number {
    return this.owners.size;
  }

  /** @returns what is held of the owner at `position`, if anything */
  owner(position: number): Readonly<OwnerState> | undefined {
    return this.owners.get(position);
  }

  /** @returns the highest version held of the owner at `position` (0: nothing) */
  maxVersion(position: number): number {
    return this.owners.get(position)?.max ?? 0;
  }

  /** @returns the owner positions with a state here, ascending */
  positions(): readonly number[] {
    return this.sortedOwners;
  }

  /**
   * Take the write of `key` = `value` at `version` by the owner at `position` if it is newer than the
   * key's value held; the owner's `max` rises to `version` in any case (the sender holds every write
   * below it, and sent the ones we lack first).
   * @returns whether the key's value changed
   */
  apply(position: number, key: string, value: string, version: number): boolean {
    let state = this.owners.get(position);
    if (state === undefined) {
      state = { max: 0, keys: new Map() };
      this.owners.set(position, state);
      insertSorted(this.sortedOwners, position);
    }
    if (version > state.max) state.max = version;
    const held = state.keys.get(key);
    if (held !== undefined && held.version >= version) return false;
    state.keys.set(key, { value, version });
    return true;
  }

  /**
   * @returns the owner's writes newer than `after`, oldest first (the order that leaves no gap when
   * the receiver gets only a prefix)
   */
  newerThan(position: number, after: number): Array<[string, KvValue]> {
    const state = this.owners.get(position);
    if (state === undefined || state.max <= after) return [];
    const out: Array<[string, KvValue]> = [];
    for (const entry of state.keys) if (entry[1].version > after) out.push(entry);
    out.sort((a, b) => a[1].version - b[1].version);
    return out;
  }
}
