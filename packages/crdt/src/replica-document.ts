import { DecodeError, err, ok, s, type NodeId, type Result, type Schema } from "@synod/core";
import { CausalContext, type CausalContextWire } from "./causal-context.js";
import { CausalCrdt, causalContextSchema, type CausalWire } from "./causal-crdt.js";
import type { Dot } from "./dot.js";
import { decodedParts, DeltaGroupJoin, shareDecodedParts, type DecodedParts } from "./delta-group-join.js";
import { HybridLogicalClock } from "./hlc.js";
import { LWWRegister, lwwRegisterSchema, type LWWRegisterWire } from "./lww-register.js";
import { ORSet, orSetKind } from "./or-set.js";
import { PNCounter, pnCounterSchema, type PNCounterWire } from "./pn-counter.js";
import { Rga, rgaDeltaSchema, type RgaDelta } from "./rga.js";
import { deleteRangeError, insertIndexError } from "./rga-index-error.js";

type ORSetWire = CausalWire<[string, [NodeId, number][]][]>;

/**
 * A delta group: the join of the deltas of some updates (each update named by a dot in `dots`),
 * for every CRDT of a replica's document. A single local update, a delta-interval and a full state
 * are all delta groups. Plain data (the wire form).
 */
export interface DeltaGroup {
  readonly dots: CausalContextWire;
  readonly counter?: PNCounterWire;
  readonly set?: ORSetWire;
  readonly register?: LWWRegisterWire;
  readonly text?: RgaDelta;
}

/** Schema of a {@link DeltaGroup} (shape only; {@link ReplicaDocument.applyGroup} checks the rest). */
export const deltaGroupSchema: Schema<DeltaGroup> = s.object({
  dots: causalContextSchema,
  counter: s.optional(pnCounterSchema),
  set: s.optional(CausalCrdt.wireSchema(orSetKind)),
  register: s.optional(lwwRegisterSchema),
  text: s.optional(rgaDeltaSchema),
});

/** A local operation on the document. */
export type DocumentOp =
  | { readonly type: "increment"; readonly amount: number }
  | { readonly type: "add"; readonly element: string }
  | { readonly type: "remove"; readonly element: string }
  | { readonly type: "assign"; readonly value: string }
  | { readonly type: "insert"; readonly index: number; readonly text: string }
  | { readonly type: "delete"; readonly index: number; readonly count: number };

/**
 * @returns the join of two delta groups (the later's text ops after the earlier's)
 */
export function joinDeltaGroups(a: DeltaGroup, b: DeltaGroup): DeltaGroup {
  return joinDeltaGroupList([a, b]);
}

/**
 * The join of several delta groups in one pass (see {@link DeltaGroupJoin}).
 * @returns the join (text ops in the order of `groups`)
 */
export function joinDeltaGroupList(groups: readonly DeltaGroup[]): DeltaGroup {
  const join = new DeltaGroupJoin();
  for (const group of groups) join.add(group);
  return join.toGroup();
}

/**
 * The document a replication node keeps: a PN-Counter, an OR-Set, a LWW-Register (stamped by a
 * hybrid logical clock driven by ticks) and an RGA text, plus the causal context of the updates it
 * has delivered (one dot per update, whichever CRDT it touched).
 */
export class ReplicaDocument {
  /** Updates delivered here. */
  readonly updates = new CausalContext();
  readonly counter: PNCounter;
  readonly set: ORSet;
  readonly register: LWWRegister;
  readonly text: Rga;
  /** The clock stamping register writes; advance it with `clock.tick()` on every node tick. */
  readonly clock = new HybridLogicalClock();
  private revisionCount = 0;
  /** The last {@link ReplicaDocument.toGroup}, with the revision it was made at. */
  private wholeGroup: { readonly revision: number; readonly group: DeltaGroup } | undefined;

  /**
   * Advances on every call that may change the updates or the CRDT states (`applyLocal`,
   * `applyGroup`; not clock ticks): checkers cache a verdict about this document while it is unchanged.
   */
  get revision(): number {
    return this.revisionCount;
  }

  /** @param replica - this replica's id */
  constructor(readonly replica: NodeId) {
    this.counter = PNCounter.forReplica(replica);
    this.set = ORSet.forReplica(replica);
    this.register = LWWRegister.forReplica(replica);
    this.text = new Rga(replica);
  }

  /**
   * Apply a local operation. A text edit outside the text is refused, never clamped.
   * @returns the delta group of the update (one new dot), or undefined when it is a no-op
   *   (removing an absent element)
   * @throws {RgaIndexError} (code `usage`) when an insert or delete addresses positions outside the text;
   *   {@link SynodError} code `usage` for another bad argument (an amount that is not a safe integer,
   *   empty inserted text). Nothing changed then.
   */
  applyLocal(op: DocumentOp): { group: DeltaGroup; dot: Dot } | undefined {
    if (op.type === "insert") {
      const outside = insertIndexError(op.index, this.text.length);
      if (outside !== undefined) throw outside;
    } else if (op.type === "delete") {
      const outside = deleteRangeError(op.index, op.count, this.text.length);
      if (outside !== undefined) throw outside;
    }
    this.revisionCount++;
    const dot = this.updates.nextDot(this.replica);
    const dots = CausalContext.of([dot]);
    const group: { -readonly [K in keyof DeltaGroup]: DeltaGroup[K] } = { dots: dots.toWire() };
    let counter: PNCounter | undefined, set: ORSet | undefined, register: LWWRegister | undefined;
    switch (op.type) {
      case "increment":
        group.counter = (counter = this.counter.add(op.amount)).toWire();
        break;
      case "add":
        group.set = (set = this.set.add(op.element)).toWire();
        break;
      case "remove":
        if (!this.set.has(op.element)) return undefined;
        group.set = (set = this.set.remove(op.element)).toWire();
        break;
      case "assign":
        group.register = (register = this.register.assign(this.clock.now(), op.value)).toWire();
        break;
      case "insert":
        group.text = this.text.insert(op.index, op.text);
        break;
      case "delete":
        group.text = this.text.delete(op.index, op.count);
        break;
    }
    this.updates.add(dot);
    // The group's decoded parts are the deltas it was encoded from (never changed after): whoever
    // joins or applies the group need not parse it again.
    shareDecodedParts(group, { dots, counter, set, register });
    return { group, dot };
  }

  /**
   * Join a delta group from a peer (or from storage) into the document. Validates everything
   * before changing anything: a bad group never corrupts the document.
   *
   * A group whose updates (its dots) were all delivered here already is not joined (Almeida et al.,
   * Algorithm 2, joins a delta-interval only when it is not included in the state): each part of a
   * group is the join of the deltas of the updates its dots name, so joining it changes nothing.
   * It is still validated (a bad one is an error, as any) and its register timestamp observed. (About 60% of the groups a chaos
   * run delivers are such repeats: intervals re-sent after a lost ack, full states after a restart.)
   *
   * A group from this replica's own storage (`origin` `"storage"`) resumes the clock from its
   * register timestamp instead ({@link HybridLogicalClock.resume}): the tick count restarted at 0,
   * and state this replica held before must not be refused as "too far ahead" of it.
   * @param origin - `"peer"` (default) or `"storage"` (recovery, before any peer message)
   * @returns whether it brought any update not delivered before and the effective group (the text
   *   part reduced to the operations that were new here, so forwarding it never re-sends the
   *   same text twice), or a {@link DecodeError}
   */
  applyGroup(group: DeltaGroup, origin: "peer" | "storage" = "peer"): Result<{ fresh: boolean; effective: DeltaGroup }, DecodeError> {
    let parts: DecodedParts, dots: CausalContext, counter: PNCounter | undefined, set: ORSet | undefined, register: LWWRegister | undefined;
    try {
      for (const [replica, counterValue] of group.dots.cloud) {
        if (counterValue < 1) throw new DecodeError(`update dot counter must be ≥ 1 (${replica})`, "dots.cloud");
      }
      // Decoded once per group object: a buffered group reaches a replica from several peers.
      parts = decodedParts(group);
      ({ dots, counter, set, register } = parts);
    } catch (error) {
      return err(error instanceof DecodeError ? error : new DecodeError(String(error)));
    }
    const write = register?.current();
    if (write !== undefined && origin === "storage") this.clock.resume(write.stamp);
    else if (write !== undefined && !this.clock.observe(write.stamp)) return err(new DecodeError("register timestamp too far ahead of our clock", "register"));
    if (this.covers(dots)) {
      const problem = group.text === undefined ? undefined : this.text.validate(group.text);
      return problem === undefined ? ok({ fresh: false, effective: group }) : err(problem);
    }
    this.revisionCount++;
    let effective: DeltaGroup = group;
    if (group.text) {
      const applied = this.text.applyDelta(group.text);
      if (!applied.ok) return applied;
      effective = { ...group, text: applied.value };
      shareDecodedParts(effective, parts);
    }
    if (counter) this.counter.merge(counter);
    if (set) this.set.merge(set);
    if (register) this.register.merge(register);
    this.updates.merge(dots);
    return ok({ fresh: true, effective });
  }

  /**
   * @returns the whole document as one delta group (one object per revision: the full states of a
   *   round to several peers and a checkpoint are the same group, which receivers decode once)
   */
  toGroup(): DeltaGroup {
    const cached = this.wholeGroup;
    if (cached !== undefined && cached.revision === this.revisionCount) return cached.group;
    const group: DeltaGroup = {
      dots: this.updates.toWire(),
      counter: this.counter.toWire(),
      set: this.set.toWire(),
      register: this.register.toWire(),
      text: this.text.toDelta(),
    };
    this.wholeGroup = { revision: this.revisionCount, group };
    return group;
  }

  /** @returns whether both documents hold the same updates and the same CRDT states */
  equals(other: ReplicaDocument): boolean {
    return this.updates.equals(other.updates) && this.sameStates(other);
  }

  /** @returns whether both documents hold the same CRDT states (counter, set, register, text), whatever their updates */
  sameStates(other: ReplicaDocument): boolean {
    return this.counter.equals(other.counter) && this.set.equals(other.set) && this.register.equals(other.register) && this.text.equals(other.text);
  }

  private covers(dots: CausalContext): boolean {
    return this.updates.includes(dots);
  }
}
