import type { Codec } from "@synod/core";
import { CausalContext } from "./causal-context.js";
import { CausalCrdt, type CausalWire } from "./causal-crdt.js";
import type { Dot } from "./dot.js";
import { dotMapKind, type DotMap, type DotStoreKind } from "./dot-store.js";
import { wireCodec } from "./wire-codec.js";

/**
 * A delta-mutator of an embedded causal CRDT: given the current value's store and the map's shared
 * causal context, return a delta (e.g. {@link orSetAddDelta}, {@link mvAssignDelta}).
 */
export type EmbeddedMutator<S, W> = (store: S, ctx: CausalContext) => CausalCrdt<S, W>;

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
 * @example
 * const m = new ORMap(orSetKind);
 * const d = m.update("fruits", (s, c) => orSetAddDelta(s, c, "a", "apple"));
 * m.get("fruits") // the embedded OR-Set store
 */
export class ORMap<S, W> {
  /** The state: key → nested store, and the shared causal context. */
  readonly state: CausalCrdt<DotMap<S>, [string, W][]>;

  /**
   * @param inner - kind of the nested values
   * @param state - the causal state (default: empty)
   */
  constructor(
    readonly inner: DotStoreKind<S, W>,
    state?: CausalCrdt<DotMap<S>, [string, W][]>,
  ) {
    this.state = state ?? CausalCrdt.empty(dotMapKind(inner));
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
   * Delta-mutator: apply `mutate` to the value of `key` (created empty if absent).
   * @returns the map delta, holding the nested delta under `key`
   */
  update(key: string, mutate: EmbeddedMutator<S, W>): ORMap<S, W> {
    const innerDelta = mutate(this.state.store.get(key) ?? this.inner.empty(), this.state.ctx);
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

  /** @returns a copy */
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

