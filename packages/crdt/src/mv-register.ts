import { s, type Codec, type NodeId, type Schema } from "@synod/core";
import { CausalContext } from "./causal-context.js";
import { CausalCrdt, type CausalWire } from "./causal-crdt.js";
import { dotKey, type Dot } from "./dot.js";
import { dotFunKind, type DotFun, type DotStoreKind, type Primitive } from "./dot-store.js";
import { boundReplica, checkReplicaId } from "./replica-binding.js";
import { wireCodec } from "./wire-codec.js";

/** Schema of a primitive register value (string ≤ 4096, finite number, boolean). */
export const primitiveSchema: Schema<Primitive> = {
  description: "string | number | boolean",
  parse(value, path) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return s.number().parse(value, path);
    return s.string().parse(value, path);
  },
};

/** The dot-store kind of an MV-Register: dot → value written with it. */
export const mvRegisterKind: DotStoreKind<DotFun<Primitive>, [NodeId, number, Primitive][]> = dotFunKind(primitiveSchema);

/** The causal state of an MV-Register (also usable as a value inside an OR-Map). */
export type MVRegisterState = CausalCrdt<DotFun<Primitive>, [NodeId, number, Primitive][]>;

/**
 * Delta of writing `value` at `replica`: a fresh dot holding the value, with a context that covers
 * every value currently visible (they are overwritten).
 * @returns the delta (not applied)
 */
export function mvAssignDelta(store: DotFun<Primitive>, ctx: CausalContext, replica: NodeId, value: Primitive): MVRegisterState {
  const dot = ctx.nextDot(replica);
  const dots: Dot[] = [dot];
  for (const entry of store.values()) dots.push(entry.dot);
  return new CausalCrdt(mvRegisterKind, new Map([[dotKey(dot), { dot, value }]]), CausalContext.of(dots));
}

/** Op of the op-based MV-Register. */
export interface MVRegisterOp {
  readonly dot: Dot;
  readonly value: Primitive;
  readonly overwrites: readonly Dot[];
}

/**
 * Multi-value register: a write overwrites the values it has seen; concurrent writes are all kept
 * until a later write overwrites them. `values()` lists the concurrent values. A replica is created
 * for its id ({@link MVRegister.forReplica}); deltas, joins and decoded states only merge.
 * @example
 * const a = MVRegister.forReplica("a"), b = MVRegister.forReplica("b");
 * const da = a.assign(1), db = b.assign(2);
 * a.merge(db); a.values() // [1, 2]
 */
export class MVRegister {
  /**
   * @param state - causal state (default: empty)
   * @param replica - the replica this register writes for (undefined: a delta or state that only merges)
   */
  constructor(
    readonly state: MVRegisterState = CausalCrdt.empty(mvRegisterKind),
    readonly replica?: NodeId,
  ) {}

  /**
   * @param from - a state to start from (copied), e.g. one decoded from storage
   * @returns a register bound to `replica`
   * @throws {SynodError} code `usage` when `replica` is not a node id
   */
  static forReplica(replica: NodeId, from?: MVRegister): MVRegister {
    return new MVRegister(from === undefined ? CausalCrdt.empty(mvRegisterKind) : from.state.clone(), checkReplicaId(replica, "MVRegister"));
  }

  /** @returns the concurrent values, sorted by dot (deterministic) */
  values(): Primitive[] {
    return [...this.state.store.values()]
      .sort((x, y) => (x.dot[0] !== y.dot[0] ? (x.dot[0] < y.dot[0] ? -1 : 1) : x.dot[1] - y.dot[1]))
      .map((e) => e.value);
  }

  /** Delta-mutator: write `value` at this replica. @returns the delta; @throws {SynodError} `usage` when unbound */
  assign(value: Primitive): MVRegister {
    const delta = mvAssignDelta(this.state.store, this.state.ctx, boundReplica(this.replica, "MVRegister", "assign"), value);
    this.state.merge(delta);
    return new MVRegister(delta);
  }

  /** Join a state or delta. */
  merge(other: MVRegister): void {
    this.state.merge(other.state);
  }

  /** @returns the join of both */
  join(other: MVRegister): MVRegister {
    return new MVRegister(this.state.join(other.state));
  }

  /** Op-based form: @returns the op writing `value` at this replica (not applied); @throws {SynodError} `usage` when unbound */
  prepareAssign(value: Primitive): MVRegisterOp {
    const replica = boundReplica(this.replica, "MVRegister", "prepareAssign");
    return { dot: this.state.ctx.nextDot(replica), value, overwrites: [...this.state.store.values()].map((e) => e.dot) };
  }

  /** Op-based form: apply a causally delivered op. Idempotent. */
  effect(op: MVRegisterOp): void {
    const store = new Map([[dotKey(op.dot), { dot: op.dot, value: op.value }]]);
    this.state.merge(new CausalCrdt(mvRegisterKind, store, CausalContext.of([op.dot, ...op.overwrites])));
  }

  /** @returns a copy of the state, unbound */
  clone(): MVRegister {
    return new MVRegister(this.state.clone());
  }

  /** @returns structural equality */
  equals(other: MVRegister): boolean {
    return this.state.equals(other.state);
  }

  /** @returns the canonical wire form */
  toWire(): CausalWire<[NodeId, number, Primitive][]> {
    return this.state.toWire();
  }

  /** @returns a register from its wire form; @throws {DecodeError} on a dot outside its own context */
  static fromWire(wire: CausalWire<[NodeId, number, Primitive][]>): MVRegister {
    return new MVRegister(CausalCrdt.fromWire(mvRegisterKind, wire));
  }
}

/** Codec of MV-Register states and deltas. */
export const mvRegisterCodec: Codec<MVRegister> = wireCodec(CausalCrdt.wireSchema(mvRegisterKind), (x) => x.toWire(), (w) => MVRegister.fromWire(w));
