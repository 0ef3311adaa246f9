import { DecodeError, s, SynodError, type Codec, type NodeId, type Schema } from "@synod/core";
import { boundReplica, checkReplicaId } from "./replica-binding.js";
import { wireCodec } from "./wire-codec.js";
import { MAX_COUNTER_REPLICAS } from "./limits.js";

/** Op-based increment: `replica` adds `amount` (delivered exactly once, causally). */
export interface GCounterOp {
  readonly replica: NodeId;
  readonly amount: number;
}

/** Orders `[replica, …]` entries by replica (a module-level function: sorts run on every message). */
const byReplica = (a: readonly [NodeId, number], b: readonly [NodeId, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * A grow-only counter: one monotonic count per replica; the value is their sum, the join their
 * pointwise maximum. Delta-mutator: `increment` returns a delta holding only the incremented entry.
 * A replica is created for its id ({@link GCounter.forReplica}) and increments under it; deltas,
 * joins and decoded states are unbound and only merge.
 * @example
 * const a = GCounter.forReplica("a"), b = GCounter.forReplica("b");
 * const delta = a.increment(2);
 * b.merge(delta);            // b.value() === 2
 */
export class GCounter {
  private readonly counts = new Map<NodeId, number>();

  /** @param replica - the replica this counter increments for (undefined: a delta or state that only merges) */
  constructor(readonly replica?: NodeId) {}

  /**
   * @param from - a state to start from (copied), e.g. one decoded from storage
   * @returns a counter bound to `replica`
   * @throws {SynodError} code `usage` when `replica` is not a node id
   */
  static forReplica(replica: NodeId, from?: GCounter): GCounter {
    const out = new GCounter(checkReplicaId(replica, "GCounter"));
    if (from !== undefined) out.merge(from);
    return out;
  }

  /** @returns the counter's value (sum over replicas) */
  value(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** @returns the count contributed by `replica` */
  get(replica: NodeId): number {
    return this.counts.get(replica) ?? 0;
  }

  /**
   * Delta-mutator: add `amount` at this replica, applying it here.
   * @returns the delta (a counter with this replica's new entry only)
   * @throws {SynodError} code `usage` when `amount` is not a non-negative safe integer, when the
   *   count would pass 2^53 − 1, or when this counter is not bound to a replica
   */
  increment(amount = 1): GCounter {
    const replica = boundReplica(this.replica, "GCounter", "increment");
    if (!Number.isSafeInteger(amount) || amount < 0) throw new SynodError("usage", `increment must be a non-negative safe integer, got ${amount}`);
    if (!Number.isSafeInteger(this.get(replica) + amount)) throw new SynodError("usage", `increment by ${amount} would take ${replica}'s count past 2^53 - 1`);
    const next = this.get(replica) + amount;
    this.counts.set(replica, next);
    const delta = new GCounter();
    delta.counts.set(replica, next);
    return delta;
  }

  /** Join `other` (a state or delta) into this counter: pointwise maximum. */
  merge(other: GCounter): void {
    for (const [replica, count] of other.counts) if (count > this.get(replica)) this.counts.set(replica, count);
  }

  /** @returns the join of both (neither changes) */
  join(other: GCounter): GCounter {
    const out = this.clone();
    out.merge(other);
    return out;
  }

  /**
   * Op-based form: @returns the op for an increment at this replica (does not apply it)
   * @throws {SynodError} code `usage` when `amount` is not a non-negative safe integer or the counter is unbound
   */
  prepareIncrement(amount = 1): GCounterOp {
    const replica = boundReplica(this.replica, "GCounter", "prepareIncrement");
    if (!Number.isSafeInteger(amount) || amount < 0) throw new SynodError("usage", `increment must be a non-negative safe integer, got ${amount}`);
    return { replica, amount };
  }

  /** Op-based form: apply a causally delivered op (exactly once: ops are not idempotent). */
  effect(op: GCounterOp): void {
    this.counts.set(op.replica, this.get(op.replica) + op.amount);
  }

  /** @returns a copy of the state, unbound (two instances must never write under one replica id) */
  clone(): GCounter {
    const out = new GCounter();
    for (const [replica, count] of this.counts) out.counts.set(replica, count);
    return out;
  }

  /** @returns whether both counters have the same entries */
  equals(other: GCounter): boolean {
    // Entry by entry, zeros counted as absent (as in the wire form); no copies: the simulator's
    // convergence check compares counters after every event.
    return this.coveredBy(other) && other.coveredBy(this);
  }

  /** @returns whether every non-zero count here equals the other's count for its replica */
  private coveredBy(other: GCounter): boolean {
    for (const [replica, count] of this.counts) if (count !== 0 && other.counts.get(replica) !== count) return false;
    return true;
  }

  /** @returns the canonical wire form (entries sorted by replica, zeros omitted) */
  toWire(): [NodeId, number][] {
    const entries: [NodeId, number][] = [];
    for (const [replica, count] of this.counts) if (count > 0) entries.push([replica, count]);
    return entries.sort(byReplica);
  }

  /**
   * @returns a counter from its shape-checked wire form
   * @throws {DecodeError} on a duplicate replica
   */
  static fromWire(wire: readonly (readonly [NodeId, number])[]): GCounter {
    const out = new GCounter();
    for (const [replica, count] of wire) {
      if (out.counts.has(replica)) throw new DecodeError(`duplicate replica ${JSON.stringify(replica)}`);
      out.counts.set(replica, count);
    }
    return out;
  }
}

/** Schema of a G-Counter's wire form: replica ids are strings, counts are non-negative integers. */
export const gCounterSchema: Schema<[NodeId, number][]> = s.array(s.tuple([s.nodeId(), s.uint()] as const), { maxLength: MAX_COUNTER_REPLICAS });

/** Codec of G-Counter states and deltas (validates untrusted input). */
export const gCounterCodec: Codec<GCounter> = wireCodec(gCounterSchema, (c) => c.toWire(), (w) => GCounter.fromWire(w));
