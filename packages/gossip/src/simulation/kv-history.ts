import type { NodeId } from "@synod/core";
import type { OwnerState } from "../kv-store.js";

interface Write {
  readonly key: string;
  readonly value: string;
  readonly atMs: number;
  /** The owner's state right after this write: key → latest version. */
  readonly after: ReadonlyMap<string, number>;
}

interface OwnerHistory {
  /** Version → the write and the owner's state right after it. */
  readonly writes: Map<number, Write>;
  /** Key → latest version written. */
  readonly latest: Map<string, number>;
  max: number;
}

/**
 * The ground truth of the replicated key-value state in one run: every write each owner persisted,
 * in order, and its state after each. Owners that recovered from corrupted storage (they raised an
 * alarm) may have lost writes their peers hold: they are `tainted`, and not checked.
 */
export class KvHistory {
  private readonly owners = new Map<number, OwnerHistory>();
  readonly tainted = new Set<number>();

  /** Owner positions that wrote something. */
  writers(): IterableIterator<number> {
    return this.owners.keys();
  }

  /** @returns the owner's highest version written at or before `atMs` (0: none) */
  maxAt(owner: number, atMs: number): number {
    let max = 0;
    for (const [version, write] of this.owners.get(owner)?.writes ?? []) if (write.atMs <= atMs && version > max) max = version;
    return max;
  }

  /**
   * Record the owner's write of `key` = `value` at `version` (from its persisted record).
   * @returns why it breaks the rules (a version reused or going back), or undefined
   */
  write(owner: number, ownerId: NodeId, key: string, value: string, version: number, atMs: number): string | undefined {
    let h = this.owners.get(owner);
    if (h === undefined) this.owners.set(owner, (h = { writes: new Map(), latest: new Map(), max: 0 }));
    if (version <= h.max && !this.tainted.has(owner)) return `${ownerId} wrote ${key} at version ${version}, not above its last version ${h.max}`;
    h.latest.set(key, version);
    h.max = Math.max(h.max, version);
    h.writes.set(version, { key, value, atMs, after: new Map(h.latest) });
    return undefined;
  }

  /** @returns the write of `owner` at `version`, if it was recorded */
  writeAt(owner: number, version: number): Write | undefined {
    return this.owners.get(owner)?.writes.get(version);
  }

  /**
   * Scuttlebutt's no-gap rule: a member that holds `owner` up to version `held.max` holds every key the
   * owner had written at or below it, at that version or later — unless the owner wrote the key again
   * above `held.max` (its sender held only that later write, which follows in a later delta).
   * @returns the first key missing, or undefined
   */
  gap(owner: number, held: Readonly<OwnerState>): { key: string; version: number } | undefined {
    const h = this.owners.get(owner);
    const at = h?.writes.get(held.max);
    if (h === undefined || at === undefined) return held.max === 0 ? undefined : { key: "?", version: held.max };
    for (const [key, version] of at.after) {
      if ((held.keys.get(key)?.version ?? 0) >= version || (h.latest.get(key) ?? 0) > held.max) continue;
      return { key, version };
    }
    return undefined;
  }
}
