import { assert } from "@synod/core";
import { KvStateMachine, kvCommandCodec, type KvResult, type KvValue } from "@synod/raft";
import type { Write } from "./messages.js";
import { chainHash } from "./write-hash.js";

/** A write this node holds but has not seen committed: the command and what applying it gave. */
export interface PendingWrite extends Write {
  readonly key: string;
  /** The key's value after this write (its version `seq`). */
  readonly valueAfter: KvValue;
  readonly result: KvResult;
  /** The log hash up to and including this write. */
  readonly hash: number;
}

/** A version of a key: its value and the sequence number of the write that produced it. */
export interface KeyVersion {
  readonly value: KvValue;
  readonly version: number;
}

/**
 * One node's copy of the chain's data (CRAQ's per-key version lists, kept as two KV stores):
 * `clean` holds every committed write, `latest` every received one; writes between the two are
 * pending (dirty). Writes arrive in sequence order without gaps and commit in that order.
 * Both stores are Raft's {@link KvStateMachine}, so results (sessions included) are the Raft service's.
 */
export class ChainStore {
  private clean = new KvStateMachine();
  private latest = new KvStateMachine();
  private pendingWrites: PendingWrite[] = [];
  /** Sequence number of the latest committed write of each key written since `floorSeq`. */
  private lastWrite = new Map<string, number>();
  /** Dirty writes per key. */
  private dirty = new Map<string, number>();
  /** Keys not in `lastWrite` were last written at or before this sequence (a restored snapshot's). */
  private floorSeq = 0;
  /** Highest sequence number held. */
  received = 0;
  /** Highest sequence number known committed (≤ received). */
  committed = 0;
  private committedHash = 0;

  /** Writes received but not known committed, in sequence order. */
  get pending(): readonly PendingWrite[] {
    return this.pendingWrites;
  }

  /** Log hash at `seq`, when this node can tell (from its commit point to what it received). */
  hashAt(seq: number): number | undefined {
    if (seq === this.committed) return this.committedHash;
    if (seq < this.committed || seq > this.received) return undefined;
    return this.pendingWrites[seq - this.committed - 1]?.hash;
  }

  /** The log hash at `received`. */
  get receivedHash(): number {
    return this.hashAt(this.received) as number;
  }

  /**
   * Append the next write (seq = received + 1) and apply it to the latest state.
   * @returns the pending write
   */
  append(write: Write): PendingWrite {
    assert(write.seq === this.received + 1, "writes arrive in order without gaps", { seq: write.seq, received: this.received });
    const decoded = kvCommandCodec.decode(write.command);
    const key = decoded.ok ? decoded.value.op.key : "";
    const reply = this.latest.apply({ type: "normal", term: 0, index: write.seq, data: write.command });
    const hash = chainHash(this.receivedHash, write.command);
    const entry: PendingWrite = { ...write, key, valueAfter: this.latest.peek(key) ?? null, result: reply.result, hash };
    this.pendingWrites.push(entry);
    this.dirty.set(key, (this.dirty.get(key) ?? 0) + 1);
    this.received = write.seq;
    return entry;
  }

  /**
   * Commit every pending write up to `seq` (clamped to what was received).
   * @returns the writes newly committed, in order
   */
  commitTo(seq: number): PendingWrite[] {
    const upTo = Math.min(seq, this.received);
    if (upTo <= this.committed) return [];
    const done = this.pendingWrites.splice(0, upTo - this.committed);
    for (const w of done) {
      this.clean.apply({ type: "normal", term: 0, index: w.seq, data: w.command });
      this.lastWrite.set(w.key, w.seq);
      const left = (this.dirty.get(w.key) ?? 1) - 1;
      if (left === 0) this.dirty.delete(w.key);
      else this.dirty.set(w.key, left);
    }
    this.committed = upTo;
    this.committedHash = (done[done.length - 1] as PendingWrite).hash;
    return done;
  }

  /** @returns whether `key` has a write this node has not seen committed */
  isDirty(key: string): boolean {
    return this.dirty.has(key);
  }

  /** The committed version of `key`: its value and the sequence number that wrote it (at most `committed`). */
  cleanVersion(key: string): KeyVersion {
    return { value: this.clean.peek(key) ?? null, version: this.lastWrite.get(key) ?? Math.min(this.floorSeq, this.committed) };
  }

  /**
   * The value of `key` as of sequence `version` (the latest write of it at or before `version`):
   * what a CRAQ node answers once the tail names the committed version of a dirty key.
   */
  versionAt(key: string, version: number): KeyVersion {
    let found: PendingWrite | undefined;
    for (const w of this.pendingWrites) {
      if (w.seq > version) break;
      if (w.key === key) found = w;
    }
    return found === undefined ? this.cleanVersion(key) : { value: found.valueAfter, version: found.seq };
  }

  /** The newest version of `key` at most `maxAhead` dirty versions beyond its committed one. */
  newestVersion(key: string, maxAhead = Number.MAX_SAFE_INTEGER): KeyVersion {
    let result = this.cleanVersion(key);
    let ahead = 0;
    for (const w of this.pendingWrites) {
      if (w.key !== key) continue;
      if (++ahead > maxAhead) break;
      result = { value: w.valueAfter, version: w.seq };
    }
    return result;
  }

  /** The committed state, for a successor that is behind this node's commit point. */
  snapshot(): { seq: number; hash: number; state: Uint8Array } {
    return { seq: this.committed, hash: this.committedHash, state: this.clean.snapshot() };
  }

  /**
   * Replace everything by a committed state at `seq`.
   * @throws {DecodeError} when the state does not decode (nothing is changed)
   */
  restore(seq: number, hash: number, state: Uint8Array): void {
    const clean = new KvStateMachine();
    clean.restore(state);
    const latest = new KvStateMachine();
    latest.restore(state);
    this.clean = clean;
    this.latest = latest;
    this.pendingWrites = [];
    this.lastWrite.clear();
    this.dirty.clear();
    this.floorSeq = seq;
    this.received = seq;
    this.committed = seq;
    this.committedHash = hash;
  }

  /** Forget everything (a node that left the chain, or joins it again). */
  reset(): void {
    this.restore(0, 0, new KvStateMachine().snapshot());
  }
}
