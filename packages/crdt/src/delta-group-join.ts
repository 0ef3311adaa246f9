import { CausalContext } from "./causal-context.js";
import { LWWRegister } from "./lww-register.js";
import { ORSet } from "./or-set.js";
import { PNCounter } from "./pn-counter.js";
import type { DeltaGroup } from "./replica-document.js";
import type { RgaDelta } from "./rga.js";

/** A group's state-based parts, decoded (read only: merging them into an accumulator does not change them). */
export interface DecodedParts {
  readonly dots: CausalContext;
  readonly counter: PNCounter | undefined;
  readonly set: ORSet | undefined;
  readonly register: LWWRegister | undefined;
}

/**
 * Decoded parts of the groups seen, by group object: a buffered group enters the intervals of
 * several peers and rounds, and is decoded once. Groups are never changed after they are made.
 */
const decoded = new WeakMap<DeltaGroup, DecodedParts>();

/**
 * @returns the group's state-based parts, decoded once per group object and cached (read only)
 * @throws {DecodeError} when a part is malformed (nothing is cached then)
 */
export function decodedParts(group: DeltaGroup): DecodedParts {
  let parts = decoded.get(group);
  if (parts === undefined) {
    parts = {
      dots: CausalContext.fromWire(group.dots),
      counter: group.counter ? PNCounter.fromWire(group.counter) : undefined,
      set: group.set ? ORSet.fromWire(group.set) : undefined,
      register: group.register !== undefined ? LWWRegister.fromWire(group.register) : undefined,
    };
    decoded.set(group, parts);
  }
  return parts;
}

/**
 * Record the decoded parts of a group made from another (the same state-based parts, e.g. with its
 * text part reduced to what was new), so that it is not decoded again.
 */
export function shareDecodedParts(group: DeltaGroup, parts: DecodedParts): void {
  decoded.set(group, parts);
}

/**
 * A join of delta groups being built: each group added is decoded once and merged into live
 * accumulators, and {@link DeltaGroupJoin.toGroup} encodes the join so far. Extending a join with
 * later groups costs only those groups (re-joining a wire form re-decodes all of it). Joins are
 * associative and commutative and wire forms canonical, so the result equals a pairwise fold of
 * `joinDeltaGroups`; text operations keep the order they were added in.
 */
export class DeltaGroupJoin {
  private readonly dots = new CausalContext();
  private counter: PNCounter | undefined;
  private set: ORSet | undefined;
  private register: LWWRegister | undefined;
  private readonly inserts: RgaDelta["inserts"] = [];
  private readonly deletes: RgaDelta["deletes"] = [];
  private text = false;

  /** Join one more group (the caller keeps it unchanged: its decoded parts are cached, its text tuples shared). */
  add(group: DeltaGroup): void {
    const parts = decodedParts(group);
    this.dots.merge(parts.dots);
    if (parts.counter) (this.counter ??= PNCounter.empty()).merge(parts.counter);
    if (parts.set) (this.set ??= new ORSet()).merge(parts.set);
    if (parts.register) (this.register ??= LWWRegister.fromWire(null)).merge(parts.register);
    if (group.text) {
      this.text = true;
      for (const insert of group.text.inserts) this.inserts.push(insert);
      for (const span of group.text.deletes) this.deletes.push(span);
    }
  }

  /** @returns the join of the groups added so far (a new value: later `add`s do not change it) */
  toGroup(): DeltaGroup {
    const out: { -readonly [K in keyof DeltaGroup]: DeltaGroup[K] } = { dots: this.dots.toWire() };
    if (this.counter) out.counter = this.counter.toWire();
    if (this.set) out.set = this.set.toWire();
    if (this.register) out.register = this.register.toWire();
    if (this.text) out.text = { inserts: this.inserts.slice(), deletes: this.deletes.slice() };
    // Its decoded parts are copies of the accumulators (what decoding the canonical wire form just
    // made gives, without parsing it again): an interval is made to be sent, and decoded by each
    // replica it reaches. Copies: later `add`s change the accumulators.
    decoded.set(out, {
      dots: this.dots.clone(),
      counter: this.counter?.clone(),
      set: this.set?.clone(),
      register: this.register?.clone(),
    });
    return out;
  }
}
