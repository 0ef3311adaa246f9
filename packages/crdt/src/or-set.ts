import type { Codec, NodeId } from "@synod/core";
import { CausalContext } from "./causal-context.js";
import { CausalCrdt, type CausalWire } from "./causal-crdt.js";
import { dotKey, type Dot } from "./dot.js";
import { dotMapKind, dotSetKind, type DotMap, type DotSet, type DotStoreKind } from "./dot-store.js";
import { boundReplica, checkReplicaId } from "./replica-binding.js";
import { wireCodec } from "./wire-codec.js";

/** The dot-store kind of an OR-Set: element → dots of the adds that are still live. */
export const orSetKind: DotStoreKind<DotMap<DotSet>, [string, [NodeId, number][]][]> = dotMapKind(dotSetKind);

/** The causal state of an OR-Set (also usable as a value inside an OR-Map). */
export type ORSetState = CausalCrdt<DotMap<DotSet>, [string, [NodeId, number][]][]>;

/**
 * Delta of adding `element` at `replica` to the set `(store, ctx)`: a fresh dot for the element,
 * and a context that also covers the element's current dots (they are superseded).
 * @returns the delta (not applied)
 */
export function orSetAddDelta(store: DotMap<DotSet>, ctx: CausalContext, replica: NodeId, element: string): ORSetState {
  const dot = ctx.nextDot(replica);
  const old = store.get(element);
  const deltaCtx = CausalContext.of(old ? [...old.values(), dot] : [dot]);
  return new CausalCrdt(orSetKind, new Map([[element, new Map([[dotKey(dot), dot]])]]), deltaCtx);
}

/**
 * Delta of removing `element`: an empty store whose context holds the element's observed dots.
 * @returns the delta (not applied; empty when the element is absent)
 */
export function orSetRemoveDelta(store: DotMap<DotSet>, element: string): ORSetState {
  const old = store.get(element);
  return new CausalCrdt(orSetKind, new Map(), CausalContext.of(old ? old.values() : []));
}

/** Op of the op-based OR-Set. `observed` lists the add dots a remove (or re-add) supersedes. */
export type ORSetOp =
  | { readonly type: "add"; readonly element: string; readonly dot: Dot; readonly observed: readonly Dot[] }
  | { readonly type: "remove"; readonly element: string; readonly observed: readonly Dot[] };

/**
 * Add-wins observed-remove set of strings, dot based with a compact causal context: a removal
 * deletes the dots it observed, so an add concurrent with a removal survives (add wins), and no
 * tombstone is kept — the context (version vector + dot cloud) remembers what was removed.
 * A replica is created for its id ({@link ORSet.forReplica}) and adds under it: two replicas
 * writing under one id would issue the same dots and lose each other's adds. Deltas, joins and
 * decoded states are unbound and only merge (and remove).
 * @example
 * const a = ORSet.forReplica("a"), b = ORSet.forReplica("b");
 * b.merge(a.add("x"));                      // both hold x
 * const rm = a.remove("x"), add = b.add("x");
 * a.merge(add); b.merge(rm);                 // concurrent add and remove: x stays (add wins)
 */
export class ORSet {
  /**
   * @param state - the causal state (default: empty)
   * @param replica - the replica this set adds for (undefined: a delta or state that only merges)
   */
  constructor(
    readonly state: ORSetState = CausalCrdt.empty(orSetKind),
    readonly replica?: NodeId,
  ) {}

  /**
   * @param from - a state to start from (copied), e.g. one decoded from storage
   * @returns a set bound to `replica`: its `add` and `prepareAdd` act for it
   * @throws {SynodError} code `usage` when `replica` is not a node id
   */
  static forReplica(replica: NodeId, from?: ORSet): ORSet {
    return new ORSet(from === undefined ? CausalCrdt.empty(orSetKind) : from.state.clone(), checkReplicaId(replica, "ORSet"));
  }

  /** @returns whether `element` is present */
  has(element: string): boolean {
    return this.state.store.has(element);
  }

  /** @returns the present elements, sorted */
  values(): string[] {
    return [...this.state.store.keys()].sort();
  }

  /**
   * Delta-mutator: add `element` at this replica. @returns the delta
   * @throws {SynodError} code `usage` when the set is not bound to a replica
   */
  add(element: string): ORSet {
    const delta = orSetAddDelta(this.state.store, this.state.ctx, boundReplica(this.replica, "ORSet", "add"), element);
    this.state.merge(delta);
    return new ORSet(delta);
  }

  /** Delta-mutator: remove `element` (the adds observed here). @returns the delta */
  remove(element: string): ORSet {
    const delta = orSetRemoveDelta(this.state.store, element);
    this.state.merge(delta);
    return new ORSet(delta);
  }

  /** Join a state or delta into this set. */
  merge(other: ORSet): void {
    this.state.merge(other.state);
  }

  /** @returns the join of both */
  join(other: ORSet): ORSet {
    return new ORSet(this.state.join(other.state));
  }

  /** Op-based form: @returns the op adding `element` at this replica (not applied); @throws {SynodError} `usage` when unbound */
  prepareAdd(element: string): ORSetOp {
    const dot = this.state.ctx.nextDot(boundReplica(this.replica, "ORSet", "prepareAdd"));
    return { type: "add", element, dot, observed: [...(this.state.store.get(element)?.values() ?? [])] };
  }

  /** Op-based form: @returns the op removing `element` (not applied) */
  prepareRemove(element: string): ORSetOp {
    return { type: "remove", element, observed: [...(this.state.store.get(element)?.values() ?? [])] };
  }

  /** Op-based form: apply a causally delivered op. Idempotent. */
  effect(op: ORSetOp): void {
    const dots = op.type === "add" ? [...op.observed, op.dot] : op.observed;
    const store = op.type === "add" ? new Map([[op.element, new Map([[dotKey(op.dot), op.dot]])]]) : new Map<string, DotSet>();
    this.state.merge(new CausalCrdt(orSetKind, store, CausalContext.of(dots)));
  }

  /** @returns a copy of the state, unbound */
  clone(): ORSet {
    return new ORSet(this.state.clone());
  }

  /** @returns structural equality (elements, dots and context) */
  equals(other: ORSet): boolean {
    return this.state.equals(other.state);
  }

  /** @returns the canonical wire form */
  toWire(): CausalWire<[string, [NodeId, number][]][]> {
    return this.state.toWire();
  }

  /** @returns a set from its wire form; @throws {DecodeError} on a dot outside its own context */
  static fromWire(wire: CausalWire<[string, [NodeId, number][]][]>): ORSet {
    return new ORSet(CausalCrdt.fromWire(orSetKind, wire));
  }
}

/** Codec of OR-Set states and deltas. */
export const orSetCodec: Codec<ORSet> = wireCodec(CausalCrdt.wireSchema(orSetKind), (x) => x.toWire(), (w) => ORSet.fromWire(w));
