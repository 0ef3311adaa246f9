import { s, SynodError, type Codec, type NodeId, type Schema } from "@synod/core";
import { GCounter, gCounterSchema } from "./g-counter.js";
import { boundReplica, checkReplicaId } from "./replica-binding.js";
import { wireCodec } from "./wire-codec.js";

/** Op-based PN-Counter op: `replica` adds `amount` (negative to decrement). */
export interface PNCounterOp {
  readonly replica: NodeId;
  readonly amount: number;
}

/** Wire form of a PN-Counter: the increments and the decrements, each a G-Counter. */
export interface PNCounterWire {
  readonly p: [NodeId, number][];
  readonly n: [NodeId, number][];
}

/**
 * A counter that goes up and down: two G-Counters (increments `p`, decrements `n`); value p − n.
 * A replica is created for its id ({@link PNCounter.forReplica}); deltas, joins and decoded states
 * ({@link PNCounter.empty}) are unbound and only merge.
 * @example
 * const c = PNCounter.forReplica("a");
 * const d1 = c.add(5), d2 = c.add(-2); // c.value() === 3; d1, d2 are deltas
 */
export class PNCounter {
  private constructor(
    private readonly p: GCounter,
    private readonly n: GCounter,
  ) {}

  /** @returns an empty counter, unbound (it only merges) */
  static empty(): PNCounter {
    return new PNCounter(new GCounter(), new GCounter());
  }

  /**
   * @param from - a state to start from (copied), e.g. one decoded from storage
   * @returns a counter bound to `replica`: its `add` and `prepareAdd` act for it
   * @throws {SynodError} code `usage` when `replica` is not a node id
   */
  static forReplica(replica: NodeId, from?: PNCounter): PNCounter {
    checkReplicaId(replica, "PNCounter");
    return new PNCounter(GCounter.forReplica(replica, from?.p), GCounter.forReplica(replica, from?.n));
  }

  /** The replica this counter acts for (undefined: a delta or state that only merges). */
  get replica(): NodeId | undefined {
    return this.p.replica;
  }

  /** @returns the value */
  value(): number {
    return this.p.value() - this.n.value();
  }

  /**
   * Delta-mutator: add `amount` (may be negative) at this replica, applying it here.
   * @returns the delta
   * @throws {SynodError} code `usage` when `amount` is not a safe integer or the counter is unbound
   */
  add(amount: number): PNCounter {
    boundReplica(this.replica, "PNCounter", "add");
    if (!Number.isSafeInteger(amount)) throw new SynodError("usage", `amount must be a safe integer, got ${amount}`);
    const delta = PNCounter.empty();
    if (amount >= 0) delta.p.merge(this.p.increment(amount));
    else delta.n.merge(this.n.increment(-amount));
    return delta;
  }

  /** Join a state or delta into this counter. */
  merge(other: PNCounter): void {
    this.p.merge(other.p);
    this.n.merge(other.n);
  }

  /** @returns the join of both */
  join(other: PNCounter): PNCounter {
    const out = this.clone();
    out.merge(other);
    return out;
  }

  /**
   * Op-based form: @returns the op adding `amount` at this replica (not applied)
   * @throws {SynodError} code `usage` when `amount` is not a safe integer or the counter is unbound
   */
  prepareAdd(amount: number): PNCounterOp {
    const replica = boundReplica(this.replica, "PNCounter", "prepareAdd");
    if (!Number.isSafeInteger(amount)) throw new SynodError("usage", `amount must be a safe integer, got ${amount}`);
    return { replica, amount };
  }

  /** Op-based form: apply a causally delivered op exactly once. */
  effect(op: PNCounterOp): void {
    if (op.amount >= 0) this.p.effect({ replica: op.replica, amount: op.amount });
    else this.n.effect({ replica: op.replica, amount: -op.amount });
  }

  /** @returns a copy of the state, unbound */
  clone(): PNCounter {
    return new PNCounter(this.p.clone(), this.n.clone());
  }

  /** @returns structural equality */
  equals(other: PNCounter): boolean {
    return this.p.equals(other.p) && this.n.equals(other.n);
  }

  /** @returns the canonical wire form */
  toWire(): PNCounterWire {
    return { p: this.p.toWire(), n: this.n.toWire() };
  }

  /** @returns a counter from its wire form; @throws {DecodeError} on a duplicate replica */
  static fromWire(wire: PNCounterWire): PNCounter {
    return new PNCounter(GCounter.fromWire(wire.p), GCounter.fromWire(wire.n));
  }
}

/** Schema of a PN-Counter's wire form. */
export const pnCounterSchema: Schema<PNCounterWire> = s.object({ p: gCounterSchema, n: gCounterSchema });

/** Codec of PN-Counter states and deltas. */
export const pnCounterCodec: Codec<PNCounter> = wireCodec(pnCounterSchema, (c) => c.toWire(), (w) => PNCounter.fromWire(w));
