import { s, type Codec, type NodeId, type Schema } from "@synod/core";
import type { Primitive } from "./dot-store.js";
import { compareHlc, type HlcTimestamp } from "./hlc.js";
import { primitiveSchema } from "./mv-register.js";
import { boundReplica, checkReplicaId } from "./replica-binding.js";
import { wireCodec } from "./wire-codec.js";

/** Wire form of a LWW-Register: `null` when never written, else `[wallTicks, counter, replica, value]`. */
export type LWWRegisterWire = [number, number, NodeId, Primitive] | null;

/** A write: a value, its HLC timestamp and the writer. Also the register's delta and op. */
export interface LWWWrite {
  readonly stamp: HlcTimestamp;
  readonly replica: NodeId;
  readonly value: Primitive;
}

/** @returns whether two primitives have the same JSON text (every non-finite number is `null` there) */
function sameJson(a: Primitive, b: Primitive): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && !Number.isFinite(a) && !Number.isFinite(b));
}

function newer(a: LWWWrite, b: LWWWrite): boolean {
  const byStamp = compareHlc(a.stamp, b.stamp);
  return byStamp !== 0 ? byStamp > 0 : a.replica > b.replica;
}

/**
 * Last-writer-wins register: the write with the largest `(hlc timestamp, replica id)` wins. The
 * timestamp comes from the writer's {@link HybridLogicalClock}, carried in the delta; equal
 * timestamps are broken by the larger replica id. State, delta and op are all one write, and the
 * join keeps the newer one (so the op-based form needs no causal delivery). A replica is created
 * for its id ({@link LWWRegister.forReplica}); deltas, joins and decoded states only merge.
 * @example
 * const clock = new HybridLogicalClock(); const r = LWWRegister.forReplica("a");
 * const delta = r.assign(clock.now(), "hello");
 */
export class LWWRegister {
  /**
   * @param write - the current write (undefined: never written)
   * @param replica - the replica this register writes for (undefined: a delta or state that only merges)
   */
  constructor(
    private write: LWWWrite | undefined = undefined,
    readonly replica?: NodeId,
  ) {}

  /**
   * @param from - a state to start from, e.g. one decoded from storage
   * @returns a register bound to `replica`
   * @throws {SynodError} code `usage` when `replica` is not a node id
   */
  static forReplica(replica: NodeId, from?: LWWRegister): LWWRegister {
    return new LWWRegister(from?.write, checkReplicaId(replica, "LWWRegister"));
  }

  /** @returns the value (undefined when never written) */
  value(): Primitive | undefined {
    return this.write?.value;
  }

  /** @returns the winning write */
  current(): LWWWrite | undefined {
    return this.write;
  }

  /** Delta-mutator: write `value` with `stamp` (from this replica's HLC). @returns the delta; @throws {SynodError} `usage` when unbound */
  assign(stamp: HlcTimestamp, value: Primitive): LWWRegister {
    const delta = new LWWRegister({ stamp, replica: boundReplica(this.replica, "LWWRegister", "assign"), value });
    this.merge(delta);
    return delta;
  }

  /** Join a state or delta: keep the newer write. */
  merge(other: LWWRegister): void {
    if (other.write !== undefined && (this.write === undefined || newer(other.write, this.write))) this.write = other.write;
  }

  /** @returns the join of both */
  join(other: LWWRegister): LWWRegister {
    const out = this.clone();
    out.merge(other);
    return out;
  }

  /** Op-based form: apply a write op (commutes, idempotent). */
  effect(op: LWWWrite): void {
    this.merge(new LWWRegister(op));
  }

  /** @returns a copy of the state, unbound */
  clone(): LWWRegister {
    return new LWWRegister(this.write);
  }

  /** @returns structural equality (of the wire forms, as JSON would compare them; no strings built: checkers compare after every event) */
  equals(other: LWWRegister): boolean {
    const a = this.write, b = other.write;
    if (a === b) return true;
    if (a === undefined || b === undefined) return false;
    return sameJson(a.stamp[0], b.stamp[0]) && sameJson(a.stamp[1], b.stamp[1]) && a.replica === b.replica && sameJson(a.value, b.value);
  }

  /** @returns the wire form */
  toWire(): LWWRegisterWire {
    const w = this.write;
    return w === undefined ? null : [w.stamp[0], w.stamp[1], w.replica, w.value];
  }

  /** @returns a register from its shape-checked wire form */
  static fromWire(wire: LWWRegisterWire): LWWRegister {
    return new LWWRegister(wire === null ? undefined : { stamp: [wire[0], wire[1]], replica: wire[2], value: wire[3] });
  }
}

/** Schema of a LWW-Register's wire form: non-negative timestamp parts, string replica id. */
export const lwwRegisterSchema: Schema<LWWRegisterWire> = s.nullable(s.tuple([s.uint(), s.uint(), s.nodeId(), primitiveSchema] as const));

/** Codec of LWW-Register states and deltas. */
export const lwwRegisterCodec: Codec<LWWRegister> = wireCodec(lwwRegisterSchema, (x) => x.toWire(), (w) => LWWRegister.fromWire(w));
