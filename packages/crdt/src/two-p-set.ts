import { DecodeError, s, type Codec, type Schema } from "@synod/core";
import { elementsSchema, GSet } from "./g-set.js";
import { wireCodec } from "./wire-codec.js";

/** Wire form of a 2P-Set. */
export interface TwoPSetWire {
  readonly added: string[];
  readonly removed: string[];
}

/** Op of the op-based 2P-Set. */
export type TwoPSetOp = { readonly add: string } | { readonly remove: string };

/**
 * A two-phase set: an added G-Set and a removed G-Set (tombstones); an element is present when
 * added and not removed, and can never be re-added once removed (remove wins, forever). The
 * tombstones are inherent to this type; use the OR-Set when elements come and go.
 * @example
 * const x = new TwoPSet(); x.add("a"); x.remove("a"); x.has("a") === false
 */
export class TwoPSet {
  private constructor(
    private readonly added: GSet,
    private readonly removed: GSet,
  ) {}

  /** @returns an empty set */
  static empty(): TwoPSet {
    return new TwoPSet(new GSet(), new GSet());
  }

  /** @returns whether `element` is present */
  has(element: string): boolean {
    return this.added.has(element) && !this.removed.has(element);
  }

  /** @returns the present elements, sorted */
  values(): string[] {
    return this.added.values().filter((e) => !this.removed.has(e));
  }

  /** Delta-mutator: add `element`. @returns the delta */
  add(element: string): TwoPSet {
    return new TwoPSet(this.added.add(element), new GSet());
  }

  /**
   * Delta-mutator: remove `element` (precondition: it was added here).
   * @returns the delta, or undefined when the element was never added (nothing to remove)
   */
  remove(element: string): TwoPSet | undefined {
    if (!this.added.has(element)) return undefined;
    const added = new GSet();
    added.add(element);
    // The delta carries the add too, so that every delta keeps removed ⊆ added on its own.
    return new TwoPSet(added, this.removed.add(element));
  }

  /** Join a state or delta. */
  merge(other: TwoPSet): void {
    this.added.merge(other.added);
    this.removed.merge(other.removed);
  }

  /** @returns the join of both */
  join(other: TwoPSet): TwoPSet {
    const out = this.clone();
    out.merge(other);
    return out;
  }

  /** Op-based form: apply an op (a remove must be delivered after the add it observed). */
  effect(op: TwoPSetOp): void {
    if ("add" in op) this.added.effect(op);
    else {
      this.added.effect({ add: op.remove });
      this.removed.effect({ add: op.remove });
    }
  }

  /** @returns a copy */
  clone(): TwoPSet {
    return new TwoPSet(this.added.clone(), this.removed.clone());
  }

  /** @returns structural equality */
  equals(other: TwoPSet): boolean {
    return this.added.equals(other.added) && this.removed.equals(other.removed);
  }

  /** @returns the wire form */
  toWire(): TwoPSetWire {
    return { added: this.added.toWire(), removed: this.removed.toWire() };
  }

  /** @returns a set from its wire form; @throws {DecodeError} on duplicates or a removed element never added */
  static fromWire(wire: TwoPSetWire): TwoPSet {
    const added = GSet.fromWire(wire.added);
    const removed = GSet.fromWire(wire.removed);
    for (const e of removed.values()) if (!added.has(e)) throw new DecodeError(`removed element ${JSON.stringify(e)} was never added`, "removed");
    return new TwoPSet(added, removed);
  }
}

/** Schema of a 2P-Set's wire form. */
export const twoPSetSchema: Schema<TwoPSetWire> = s.object({ added: elementsSchema, removed: elementsSchema });

/** Codec of 2P-Set states and deltas. */
export const twoPSetCodec: Codec<TwoPSet> = wireCodec(twoPSetSchema, (x) => x.toWire(), (w) => TwoPSet.fromWire(w));
