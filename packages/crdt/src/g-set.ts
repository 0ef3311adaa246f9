import { DecodeError, s, type Codec, type Schema } from "@synod/core";
import { wireCodec } from "./wire-codec.js";
import { MAX_ELEMENT_LENGTH, MAX_SET_ELEMENTS } from "./limits.js";

/** Schema of one set element. */
export const elementSchema: Schema<string> = s.string({ maxLength: MAX_ELEMENT_LENGTH });

/** Schema of a sorted list of distinct elements. */
export const elementsSchema: Schema<string[]> = s.array(elementSchema, { maxLength: MAX_SET_ELEMENTS });

/** @throws {DecodeError} when `elements` repeats an element */
export function distinctElements(elements: readonly string[], path: string): Set<string> {
  const set = new Set(elements);
  if (set.size !== elements.length) throw new DecodeError("duplicate element", path);
  return set;
}

/**
 * A grow-only set of strings: the join is the union. Op-based: an add op is the element itself
 * (idempotent, so it needs neither causal nor exactly-once delivery).
 * @example
 * const a = new GSet(); const d = a.add("x"); new GSet().merge(d);
 */
export class GSet {
  private readonly elements = new Set<string>();

  /** @returns whether `element` is in the set */
  has(element: string): boolean {
    return this.elements.has(element);
  }

  /** @returns the elements, sorted */
  values(): string[] {
    return [...this.elements].sort();
  }

  /** @returns the number of elements */
  get size(): number {
    return this.elements.size;
  }

  /** Delta-mutator: add `element` here. @returns the delta `{element}` */
  add(element: string): GSet {
    this.elements.add(element);
    const delta = new GSet();
    delta.elements.add(element);
    return delta;
  }

  /** Join a state or delta into this set (union). */
  merge(other: GSet): void {
    for (const element of other.elements) this.elements.add(element);
  }

  /** @returns the join of both */
  join(other: GSet): GSet {
    const out = this.clone();
    out.merge(other);
    return out;
  }

  /** Op-based form: apply an add op. */
  effect(op: { readonly add: string }): void {
    this.elements.add(op.add);
  }

  /** @returns a copy */
  clone(): GSet {
    const out = new GSet();
    out.merge(this);
    return out;
  }

  /** @returns whether both hold the same elements */
  equals(other: GSet): boolean {
    return this.size === other.size && this.values().every((e) => other.has(e));
  }

  /** @returns the canonical wire form (sorted elements) */
  toWire(): string[] {
    return this.values();
  }

  /** @returns a set from its wire form; @throws {DecodeError} on a duplicate element */
  static fromWire(wire: readonly string[]): GSet {
    const out = new GSet();
    for (const e of distinctElements(wire, "")) out.elements.add(e);
    return out;
  }
}

/** Codec of G-Set states and deltas. */
export const gSetCodec: Codec<GSet> = wireCodec(elementsSchema, (x) => x.toWire(), (w) => GSet.fromWire(w));
