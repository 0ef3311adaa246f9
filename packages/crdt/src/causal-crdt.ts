import { DecodeError, s, type Schema } from "@synod/core";
import { CausalContext, type CausalContextWire } from "./causal-context.js";
import type { Dot } from "./dot.js";
import type { DotStoreKind } from "./dot-store.js";
import { MAX_CONTEXT_ENTRIES } from "./limits.js";

/** Schema of a {@link CausalContextWire}. */
export const causalContextSchema: Schema<CausalContextWire> = s.object({
  vv: s.array(s.tuple([s.nodeId(), s.uint()] as const), { maxLength: MAX_CONTEXT_ENTRIES }),
  cloud: s.array(s.tuple([s.nodeId(), s.uint()] as const), { maxLength: MAX_CONTEXT_ENTRIES }),
});

/** Wire form of a causal CRDT state or delta. */
export interface CausalWire<W> {
  readonly store: W;
  readonly ctx: CausalContextWire;
}

/**
 * A causal CRDT state (or delta): a dot store plus the causal context of everything it has seen.
 * The join is the one of Almeida et al.: a dot survives if both sides have it or the other side has
 * never seen it. This class is the shared engine of the OR-Set, MV-Register, causal counter and
 * OR-Map; deltas are values of the same class.
 *
 * @typeParam S - the dot store
 * @typeParam W - its wire form
 */
export class CausalCrdt<S, W> {
  /**
   * @param kind - the dot-store kind
   * @param store - the payload
   * @param ctx - the causal context (owned by this state)
   */
  constructor(
    readonly kind: DotStoreKind<S, W>,
    public store: S,
    public ctx: CausalContext,
  ) {}

  /** @returns an empty state of `kind` */
  static empty<S, W>(kind: DotStoreKind<S, W>): CausalCrdt<S, W> {
    return new CausalCrdt(kind, kind.empty(), new CausalContext());
  }

  /** @returns the join of this state and `other` (neither changes) */
  join(other: CausalCrdt<S, W>): CausalCrdt<S, W> {
    const ctx = this.ctx.clone();
    ctx.merge(other.ctx);
    return new CausalCrdt(this.kind, this.kind.join(this.store, this.ctx, other.store, other.ctx), ctx);
  }

  /** Join `other` (a state or a delta) into this state, in place. */
  merge(other: CausalCrdt<S, W>): void {
    const store = this.kind.join(this.store, this.ctx, other.store, other.ctx);
    this.ctx.merge(other.ctx);
    this.store = store;
  }

  /** @returns a copy sharing nothing mutable */
  clone(): CausalCrdt<S, W> {
    return new CausalCrdt(this.kind, this.store, this.ctx.clone());
  }

  /** @returns structural equality (store and context) */
  equals(other: CausalCrdt<S, W>): boolean {
    return this.kind.equals(this.store, other.store) && this.ctx.equals(other.ctx);
  }

  /** @returns the dots present in the store */
  dots(): Dot[] {
    const dots: Dot[] = [];
    this.kind.collectDots(this.store, dots);
    return dots;
  }

  /** @returns the canonical wire form */
  toWire(): CausalWire<W> {
    return { store: this.kind.toWire(this.store), ctx: this.ctx.toWire() };
  }

  /** @returns the schema of the wire form for `kind` */
  static wireSchema<S, W>(kind: DotStoreKind<S, W>): Schema<CausalWire<W>> {
    return s.object({ store: kind.schema, ctx: causalContextSchema });
  }

  /**
   * Rebuild and validate a state from an untrusted, shape-checked wire form.
   * @throws {DecodeError} when a dot counter is 0, a dot repeats, or a dot of the store is not in
   *   the state's own causal context (a dot "from the future" of its context)
   */
  static fromWire<S, W>(kind: DotStoreKind<S, W>, wire: CausalWire<W>): CausalCrdt<S, W> {
    for (const [replica, counter] of wire.ctx.cloud) {
      if (counter < 1) throw new DecodeError(`cloud dot counter must be ≥ 1, got ${counter} for ${replica}`, "ctx.cloud");
    }
    const ctx = CausalContext.fromWire(wire.ctx);
    const store = kind.fromWire(wire.store, "store");
    const dots: Dot[] = [];
    kind.collectDots(store, dots);
    const seen = new Set<string>();
    for (const dot of dots) {
      if (!ctx.contains(dot)) {
        throw new DecodeError(`dot [${dot[0]}, ${dot[1]}] is not in the state's own causal context (a dot from its future)`, "store");
      }
      const key = `${dot[1]}@${dot[0]}`;
      if (seen.has(key)) throw new DecodeError(`dot [${dot[0]}, ${dot[1]}] appears twice`, "store");
      seen.add(key);
    }
    return new CausalCrdt(kind, store, ctx);
  }
}
