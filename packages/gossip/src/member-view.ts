import type { NodeId } from "@synod/core";
import type { MemberState } from "./member-state.js";
import { insertSorted } from "./insert-sorted.js";

/** One member's entry in an observer's view. */
export interface ViewEntry {
  readonly state: MemberState;
  readonly incarnation: number;
}

const STATES: readonly MemberState[] = ["alive", "suspect", "dead", "left"];
/** Entries by `incarnation · 4 + state index`: one frozen object per pair, shared by every view. */
const interned = new Map<number, ViewEntry>();

/**
 * @returns the shared, frozen entry `state` at `incarnation` (views of 10,000 members hold millions
 * of entries: interning makes a change allocate nothing)
 */
export function viewEntry(state: MemberState, incarnation: number): ViewEntry {
  const key = incarnation * 4 + STATES.indexOf(state);
  let entry = interned.get(key);
  if (entry === undefined) interned.set(key, (entry = Object.freeze({ state, incarnation })));
  return entry;
}

const ALIVE_AT_ZERO: ViewEntry = viewEntry("alive", 0);

/** Member positions by id, shared by every view over the same member list (10,000 members, one map). */
const positionsByList = new WeakMap<readonly NodeId[], ReadonlyMap<NodeId, number>>();

/** @returns the position of each member of `members` (built once per list) */
export function memberPositions(members: readonly NodeId[]): ReadonlyMap<NodeId, number> {
  let positions = positionsByList.get(members);
  if (positions === undefined) {
    positions = new Map(members.map((id, i) => [id, i]));
    positionsByList.set(members, positions);
  }
  return positions;
}

/**
 * An observer's view of every member, stored sparsely: a member it never heard news of is alive at
 * incarnation 0, so a view costs memory in proportion to the changes it saw, not to the cluster.
 * Keeps, incrementally, how many members are not alive and the sum of the incarnations held
 * (what the convergence check compares in O(1) per observer).
 */
export class MemberView {
  private readonly changed = new Map<number, ViewEntry>();
  /** The positions in `changed`, ascending (an entry is never removed: each position is inserted once). */
  private readonly sorted: number[] = [];
  private notAlive = 0;
  private deadOrLeft = 0;
  private incarnations = 0;

  /** @returns the entry of the member at `position` */
  get(position: number): ViewEntry {
    return this.changed.get(position) ?? ALIVE_AT_ZERO;
  }

  /** Replace the entry of the member at `position`. */
  set(position: number, entry: ViewEntry): void {
    const before = this.get(position);
    if (before.state !== "alive") this.notAlive--;
    if (entry.state !== "alive") this.notAlive++;
    if (before.state === "dead" || before.state === "left") this.deadOrLeft--;
    if (entry.state === "dead" || entry.state === "left") this.deadOrLeft++;
    this.incarnations += entry.incarnation - before.incarnation;
    if (!this.changed.has(position)) insertSorted(this.sorted, position);
    this.changed.set(position, entry);
  }

  /** Members held in a state other than alive. */
  get notAliveCount(): number {
    return this.notAlive;
  }

  /** Members held dead or left. */
  get deadOrLeftCount(): number {
    return this.deadOrLeft;
  }

  /** Members whose entry differs from alive at 0 (the entries stored). */
  get changedCount(): number {
    return this.changed.size;
  }

  /** Sum of the incarnations held over every member. */
  get incarnationSum(): number {
    return this.incarnations;
  }

  /**
   * @returns the positions of the entries stored (those that ever differed from alive at 0),
   * ascending: a walk of the member order that visits only them (push-pull windows)
   */
  changedPositions(): readonly number[] {
    return this.sorted;
  }

  /** Entries that differ from alive at 0, with their positions. */
  entries(): IterableIterator<[number, ViewEntry]> {
    return this.changed.entries();
  }
}
