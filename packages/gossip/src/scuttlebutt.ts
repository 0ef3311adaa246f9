import type { NodeId } from "@synod/core";
import type { KvStore } from "./kv-store.js";
import { MAX_GOSSIP_MESSAGE_BYTES, MAX_KV_ENTRIES, type KvDeltaEntry, type KvDigestEntry } from "./messages.js";
import { memberIdBytes, stringBytes, uintBytes, utf8Length } from "./msgpack-size.js";

/**
 * Bytes of a key-value message other than its entries, at most: the field names, the type, `inc`,
 * `span`, two arrays' headers, and `first` (a member id: up to 64 UTF-16 units, 192 UTF-8 bytes).
 */
export const KV_OVERHEAD_BYTES = 256;

/** Bytes the entries of one key-value message may take, so that it fits MAX_GOSSIP_MESSAGE_BYTES. */
export const KV_ENTRY_BUDGET_BYTES = MAX_GOSSIP_MESSAGE_BYTES - KV_OVERHEAD_BYTES;

/** @returns the encoded size of a digest entry `[owner, version]` whose owner id has `idUtf8Bytes` UTF-8 bytes, at most */
export function kvDigestEntryBytes(idUtf8Bytes: number, version: number): number {
  return 1 + stringBytes(idUtf8Bytes) + uintBytes(version);
}

/** @returns the encoded size of a delta entry `[owner, key, value, version]`, at most */
export function kvDeltaEntryBytes(idUtf8Bytes: number, key: string, value: string, version: number): number {
  return 1 + stringBytes(idUtf8Bytes) + stringBytes(utf8Length(key)) + stringBytes(utf8Length(value)) + uintBytes(version);
}

/** A byte budget shared by the entries of one message. */
interface Budget {
  bytes: number;
  entries: number;
}

const fresh = (): Budget => ({ bytes: KV_ENTRY_BUDGET_BYTES, entries: 0 });

/**
 * Scuttlebutt reconciliation (van Renesse et al. 2008), push-pull, bounded by the message size limit.
 * A member sends its digest (owner → highest version held) to a random member; that member answers
 * with the writes the first lacks and asks, in a digest of its own versions, for the owners the first
 * holds newer; the first answers with those writes. Writes go out per owner **oldest first** from the
 * version the receiver holds, so a delta the size limit cuts short leaves no gap: the receiver's
 * version of the owner (the highest it got) still means "every write up to it" — the paper's rule.
 *
 * When the digest does not fit one message (thousands of owners), it covers a window of the member
 * order, as a push-pull does (`first`, `span`): owners of the window absent from it are at 0 at the
 * sender, and the answer covers the same window. Random starts make every owner travel.
 */
export class Scuttlebutt {
  /** UTF-8 bytes of each member's id, by position (shared by every member over the same list). */
  private readonly idBytes: readonly number[];
  /** The largest digest entry any member can have here (its longest id, a 2^53 version). */
  private readonly largestDigestEntry: number;

  /** @param members - the cluster's member order (the same at every member: windows are ranges of it) */
  constructor(private readonly members: readonly NodeId[]) {
    const ids = memberIdBytes(members);
    this.idBytes = ids.byPosition;
    this.largestDigestEntry = kvDigestEntryBytes(ids.max, Number.MAX_SAFE_INTEGER);
  }

  /**
   * The digest of `store`: every owner held, or when they do not all fit, those from position `first`
   * on in member order (wrapping) until the next would not fit.
   * @returns the entries and `span`, the number of members of the window they cover (n when all)
   */
  digest(store: KvStore, first: number): { span: number; digest: KvDigestEntry[] } {
    const n = this.members.length;
    const owners = store.positions();
    const digest: KvDigestEntry[] = [];
    const budget = fresh();
    if (owners.length * this.largestDigestEntry <= KV_ENTRY_BUDGET_BYTES && owners.length <= MAX_KV_ENTRIES) {
      for (const owner of owners) this.addDigest(digest, budget, owner, store.maxVersion(owner));
      return { span: n, digest };
    }
    // Owners in member order from `first`: the sorted owners from the first at or after it, wrapping.
    let start = owners.findIndex((p) => p >= first);
    if (start < 0) start = 0;
    for (let k = 0; k < owners.length; k++) {
      const owner = owners[(start + k) % owners.length] as number;
      if (!this.addDigest(digest, budget, owner, store.maxVersion(owner))) return { span: (owner - first + n) % n, digest };
    }
    return { span: n, digest };
  }

  /**
   * The answer to a digest `theirs` (owner position → version; owners of the window it omits are at 0
   * there) covering the `span` members from `first`: `request`, the owners of the window it holds
   * newer than here, with the versions held here (first: small, and it keeps the exchange going), then
   * the writes it lacks, per owner oldest first, as many as fit.
   */
  reply(store: KvStore, first: number, span: number, theirs: ReadonlyMap<number, number>): { deltas: KvDeltaEntry[]; request: KvDigestEntry[] } {
    const n = this.members.length;
    const budget = fresh();
    const request: KvDigestEntry[] = [];
    for (const [owner, version] of theirs) {
      const mine = store.maxVersion(owner);
      if (version > mine && !this.addDigest(request, budget, owner, mine)) break;
    }
    const wanted: Array<[number, number]> = [];
    const owners = store.positions();
    let start = owners.findIndex((p) => p >= first);
    if (start < 0) start = 0;
    for (let k = 0; k < owners.length; k++) {
      const owner = owners[(start + k) % owners.length] as number;
      if ((owner - first + n) % n >= span) continue;
      const version = theirs.get(owner) ?? 0;
      if (store.maxVersion(owner) > version) wanted.push([owner, version]);
    }
    return { deltas: this.deltas(store, wanted, budget), request };
  }

  /**
   * The writes newer than each `[owner, version]` asked for, per owner oldest first, until the next
   * would not fit (then the rest wait for a later exchange: what was sent is a prefix, so no gap).
   */
  deltas(store: KvStore, wanted: Iterable<readonly [number, number]>, budget: Budget = fresh()): KvDeltaEntry[] {
    const out: KvDeltaEntry[] = [];
    for (const [owner, after] of wanted) {
      const id = this.members[owner] as NodeId;
      const idBytes = this.idBytes[owner] ?? 0;
      for (const [key, { value, version }] of store.newerThan(owner, after)) {
        const bytes = kvDeltaEntryBytes(idBytes, key, value, version);
        if (bytes > budget.bytes || budget.entries >= MAX_KV_ENTRIES) return out;
        budget.bytes -= bytes;
        budget.entries++;
        out.push([id, key, value, version]);
      }
    }
    return out;
  }

  /** Append `[owner, version]` if it fits. @returns whether it did */
  private addDigest(digest: KvDigestEntry[], budget: Budget, owner: number, version: number): boolean {
    const bytes = kvDigestEntryBytes(this.idBytes[owner] ?? 0, version);
    if (bytes > budget.bytes || budget.entries >= MAX_KV_ENTRIES) return false;
    budget.bytes -= bytes;
    budget.entries++;
    digest.push([this.members[owner] as NodeId, version]);
    return true;
  }
}
