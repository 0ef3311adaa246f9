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
 * Decoded parts of the groups seen, on the group object itself (a non-enumerable symbol property:
 * no wire form, spread, JSON or equality check sees it; a WeakMap entry per group cost more than
 * the lookups it saved): a buffered group enters the intervals of several peers and rounds, and is
 * decoded once. Groups are never changed after they are made.
 */
const DECODED: unique symbol = Symbol("decoded delta group parts");

type WithParts = DeltaGroup & { [DECODED]?: DecodedParts };

function remember(group: DeltaGroup, parts: DecodedParts): void {
  Object.defineProperty(group, DECODED, { value: parts, enumerable: false, writable: true, configurable: true });
}

/**
 * @returns the group's state-based parts, decoded once per group object and cached (read only)
 * @throws {DecodeError} when a part is malformed (nothing is cached then)
 */
export function decodedParts(group: DeltaGroup): DecodedParts {
  let parts = (group as WithParts)[DECODED];
  if (parts === undefined) {
    parts = {
      dots: CausalContext.fromWire(group.dots),
      counter: group.counter ? PNCounter.fromWire(group.counter) : undefined,
      set: group.set ? ORSet.fromWire(group.set) : undefined,
      register: group.register !== undefined ? LWWRegister.fromWire(group.register) : undefined,
    };
    remember(group, parts);
  }
  return parts;
}

/**
 * Record the decoded parts of a group made from another (the same state-based parts, e.g. with its
 * text part reduced to what was new), so that it is not decoded again.
 */
export function shareDecodedParts(group: DeltaGroup, parts: DecodedParts): void {
  remember(group, parts);
}

/**
 * A join of delta groups being built: each group added is decoded once and merged into live
 * accumulators, and {@link DeltaGroupJoin.toGroup} encodes the join so far. Extending a join with
 * later groups costs only those groups (re-joining a wire form re-decodes all of it). Joins are
 * associative and commutative and wire forms canonical, so the result equals a pairwise fold of
 * `joinDeltaGroups`; text operations keep the order they were added in.
 */
export class DeltaGroupJoin {
  private dots = new CausalContext();
  private counter: PNCounter | undefined;
  private set: ORSet | undefined;
  private register: LWWRegister | undefined;
  private readonly inserts: RgaDelta["inserts"] = [];
  private readonly deletes: RgaDelta["deletes"] = [];
  private text = false;
  /** The accumulators are the decoded parts of the last group made: copied before the next `add` changes them. */
  private shared = false;

  /** Join one more group (the caller keeps it unchanged: its decoded parts are cached, its text tuples shared). */
  add(group: DeltaGroup): void {
    if (this.shared) {
      this.shared = false;
      this.dots = this.dots.clone();
      this.counter = this.counter?.clone();
      this.set = this.set?.clone();
      this.register = this.register?.clone();
    }
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
    // Its decoded parts are the accumulators (what decoding the canonical wire form just made gives,
    // without parsing it again): an interval is made to be sent, and decoded by each replica it
    // reaches. Shared until the next `add`, which copies them first (most intervals are never
    // extended: the peer acknowledges, and the next one starts from there).
    remember(out, { dots: this.dots, counter: this.counter, set: this.set, register: this.register });
    this.shared = true;
    return out;
  }
}
