import type { Codec, NodeId } from "@synod/core";
import { CausalContext } from "./causal-context.js";
import { CausalCrdt, type CausalWire } from "./causal-crdt.js";
import type { Dot } from "./dot.js";
import { dotMapKind, type DotMap, type DotStoreKind } from "./dot-store.js";
import { boundReplica, checkReplicaId } from "./replica-binding.js";
import { wireCodec } from "./wire-codec.js";

/**
 * A delta-mutator of an embedded causal CRDT: given the current value's store, the map's shared
 * causal context and the replica the map is bound to, return a delta (e.g. {@link orSetAddDelta},
 * {@link mvAssignDelta}, issuing their dots for `replica`).
 */
export type EmbeddedMutator<S, W> = (store: S, ctx: CausalContext, replica: NodeId) => CausalCrdt<S, W>;

/**
 * An observed-remove map from string keys to nested causal CRDTs (OR-Sets, MV-Registers, causal
 * counters, or OR-Maps again), all sharing the map's one causal context (Almeida et al. §6).
 *
 * Removal semantics — **add-wins (update-wins) with observed reset**: `remove(key)` deletes the
 * dots it has observed under the key. An update concurrent with the removal keeps its own fresh
 * dots, so the key survives (update wins), holding only the effects of the concurrent updates (the
 * observed state was reset). We chose this over reset-wins (a removal erases concurrent updates
 * too) because reset-wins needs per-key removal tombstones that can only be collected at causal
 * stability, while add-wins needs no metadata beyond the compact causal context.
 *
 * A replica is created for its id ({@link ORMap.forReplica}) and `update` hands that id to the
 * embedded mutator: two replicas writing under one id would issue the same dots and lose each
 * other's updates. Deltas, joins, clones and decoded states are unbound and only merge (and remove).
 * @example
 * const m = ORMap.forReplica(orSetKind, "a");
 * const d = m.update("fruits", (s, c, replica) => orSetAddDelta(s, c, replica, "apple"));
 * m.get("fruits") // the embedded OR-Set store
 */
export class ORMap<S, W> {
  /** The state: key → nested store, and the shared causal context. */
  readonly state: CausalCrdt<DotMap<S>, [string, W][]>;

  /**
   * @param inner - kind of the nested values
   * @param state - the causal state (default: empty)
   * @param replica - the replica this map updates for (undefined: a delta or state that only merges)
   */
  constructor(
    readonly inner: DotStoreKind<S, W>,
    state?: CausalCrdt<DotMap<S>, [string, W][]>,
    readonly replica?: NodeId,
  ) {
    this.state = state ?? CausalCrdt.empty(dotMapKind(inner));
  }

  /**
   * @param inner - kind of the nested values
   * @param from - a state to start from (copied), e.g. one decoded from storage
   * @returns a map bound to `replica`: its `update` hands `replica` to the embedded mutator
   * @throws {SynodError} code `usage` when `replica` is not a node id
   */
  static forReplica<S, W>(inner: DotStoreKind<S, W>, replica: NodeId, from?: ORMap<S, W>): ORMap<S, W> {
    return new ORMap(inner, from?.state.clone(), checkReplicaId(replica, "ORMap"));
  }

  /** @returns the nested store of `key`, or undefined when absent */
  get(key: string): S | undefined {
    return this.state.store.get(key);
  }

  /** @returns the present keys, sorted */
  keys(): string[] {
    return [...this.state.store.keys()].sort();
  }

  /**
   * Delta-mutator: apply `mutate` to the value of `key` (created empty if absent), for this replica.
   * @returns the map delta, holding the nested delta under `key`
   * @throws {SynodError} code `usage` when the map is not bound to a replica
   */
  update(key: string, mutate: EmbeddedMutator<S, W>): ORMap<S, W> {
    const replica = boundReplica(this.replica, "ORMap", "update");
    const innerDelta = mutate(this.state.store.get(key) ?? this.inner.empty(), this.state.ctx, replica);
    const store: DotMap<S> = this.inner.isEmpty(innerDelta.store) ? new Map() : new Map([[key, innerDelta.store]]);
    const delta = new CausalCrdt(this.state.kind, store, innerDelta.ctx);
    this.state.merge(delta);
    return new ORMap(this.inner, delta);
  }

  /** Delta-mutator: remove `key` (the dots observed under it). @returns the delta */
  remove(key: string): ORMap<S, W> {
    const dots: Dot[] = [];
    const value = this.state.store.get(key);
    if (value !== undefined) this.inner.collectDots(value, dots);
    const delta = new CausalCrdt(this.state.kind, new Map(), CausalContext.of(dots));
    this.state.merge(delta);
    return new ORMap(this.inner, delta);
  }

  /** Join a state or delta. */
  merge(other: ORMap<S, W>): void {
    this.state.merge(other.state);
  }

  /** @returns the join of both */
  join(other: ORMap<S, W>): ORMap<S, W> {
    return new ORMap(this.inner, this.state.join(other.state));
  }

  /** Op-based form: a map op is its delta, delivered causally; applying it is a join (idempotent). */
  effect(op: ORMap<S, W>): void {
    this.merge(op);
  }

  /** @returns a copy of the state, unbound */
  clone(): ORMap<S, W> {
    return new ORMap(this.inner, this.state.clone());
  }

  /** @returns structural equality */
  equals(other: ORMap<S, W>): boolean {
    return this.state.equals(other.state);
  }

  /** @returns the canonical wire form */
  toWire(): CausalWire<[string, W][]> {
    return this.state.toWire();
  }
}

/**
 * Codec of OR-Map states and deltas with values of kind `inner`.
 * @param inner - kind of the nested values
 * @returns the codec (validates every nested dot against the shared context)
 */
export function orMapCodec<S, W>(inner: DotStoreKind<S, W>): Codec<ORMap<S, W>> {
  const kind = dotMapKind(inner);
  return wireCodec(CausalCrdt.wireSchema(kind), (x) => x.toWire(), (w) => new ORMap(inner, CausalCrdt.fromWire(kind, w)));
}

