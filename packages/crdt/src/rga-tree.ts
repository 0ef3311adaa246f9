import { assert, type NodeId } from "@synod/core";
import { MAX_INNER_CHILDREN, MAX_LEAF_RUNS } from "./limits.js";
import { RunIndex } from "./run-index.js";
import type { RgaInsert } from "./rga.js";

/** @returns the position of `run` in its leaf's runs, `hint` when it is right (one comparison, no scan) */
function positionOf(run: Run, hint: number): number {
  const runs = run.leaf.runs;
  return hint >= 0 && hint < runs.length && runs[hint] === run ? hint : runs.indexOf(run);
}

/**
 * @returns whether `right` continues `left`: the same replica, the next ids, and its first
 *   character's origin is `left`'s last (so the two could be one run, states aside)
 */
function continues(left: Run, right: Run): boolean {
  return (
    left.replica === right.replica &&
    left.lamport + left.length === right.lamport &&
    right.originReplica === left.replica &&
    right.originLamport === right.lamport - 1
  );
}

/**
 * A run: consecutive characters inserted one after the other by the same replica, with
 * consecutive Lamport timestamps, each character's origin being the previous one (run-length
 * encoding of RGA items). Character `i` has id `(replica, lamport + i)`; the first character's
 * origin (the character it was inserted after) is `(originReplica, originLamport)`, or the start
 * of the document when `originReplica` is undefined. A deleted run is a tombstone: only its ids
 * and length are kept, never its text.
 */
export class Run {
  constructor(
    public replica: NodeId,
    public lamport: number,
    public length: number,
    public originReplica: NodeId | undefined,
    public originLamport: number,
    public deleted: boolean,
    public text: string,
    public leaf: Leaf,
  ) {}

  /**
   * This run's insert in the last canonical form built that had it alone in one insert (see
   * `Rga.toDelta`), or the insert that made it; stale once the run changed (its fields no longer
   * match; the edits that change a live run's text drop it). Never changed after it is made:
   * canonical forms and deltas share it.
   */
  canonical: RgaInsert | undefined = undefined;

  /** @returns the number of visible characters (0 for a tombstone) */
  get visible(): number {
    return this.deleted ? 0 : this.length;
  }
}

/** A leaf of the run tree: runs in document order and their visible length. */
export class Leaf {
  runs: Run[] = [];
  visible = 0;
  parent: Inner | undefined = undefined;
  next: Leaf | undefined = undefined;
  prev: Leaf | undefined = undefined;
}

/** An inner node: children in document order and their total visible length. */
export class Inner {
  children: (Leaf | Inner)[] = [];
  visible = 0;
  parent: Inner | undefined = undefined;
}

/**
 * The run tree: a B-tree of runs indexed by visible length (a rope), so that finding the run at a
 * visible index costs O(log n) in the number of runs, plus an index from ids to runs per replica
 * (runs sorted by Lamport timestamp, {@link RunIndex}), so that remote operations find their origin
 * in O(log n) too.
 */
export class RunTree {
  root: Leaf | Inner = new Leaf();
  first: Leaf = this.root as Leaf;
  /** replica → its runs sorted by lamport (every run, tombstones included). */
  readonly byReplica = new Map<NodeId, RunIndex>();
  private tail: Leaf = this.first;
  /** Number of runs in the tree. */
  runCount = 0;
  /**
   * The leaf {@link locate} found last and the visible index of its first character: typing and
   * deleting stay in one leaf for long stretches, so most lookups skip the descent. Forgotten when
   * the visible count of any other leaf changes (it may lie before this one).
   */
  private cachedLeaf: Leaf | undefined = undefined;
  private cachedLeafStart = 0;

  /** @returns the visible length of the document */
  get visible(): number {
    return this.root.visible;
  }

  /**
   * The offset in its run, and the run's position in its leaf's `runs`, of the character
   * {@link locateRun} found last (fields, not a returned object: a lookup per edit allocates nothing).
   */
  locatedOffset = 0;
  locatedAt = 0;

  /**
   * @param index - 0 ≤ index < visible
   * @returns the run holding the visible character at `index` and its offset in the run
   */
  locate(index: number): { run: Run; offset: number } {
    const run = this.locateRun(index);
    return { run, offset: this.locatedOffset };
  }

  /**
   * @param index - 0 ≤ index < visible
   * @returns the run holding the visible character at `index` (its offset in the run is then
   *   {@link locatedOffset}, its position in its leaf {@link locatedAt})
   */
  locateRun(index: number): Run {
    if (!(index >= 0 && index < this.root.visible)) assert(false, "locate index out of range", { index, visible: this.root.visible });
    const cached = this.cachedLeaf;
    const start = this.cachedLeafStart;
    if (cached !== undefined && index >= start && index < start + cached.visible) return this.locateInLeaf(cached, index - start);
    let node: Leaf | Inner = this.root;
    let rest = index;
    while (node instanceof Inner) {
      const children = node.children;
      let i = 0;
      let child = children[0] as Leaf | Inner;
      while (rest >= child.visible) {
        rest -= child.visible;
        child = children[++i] as Leaf | Inner;
        if (child === undefined) assert(false, "visible counts inconsistent");
      }
      node = child;
    }
    this.cachedLeaf = node;
    this.cachedLeafStart = index - rest;
    return this.locateInLeaf(node, rest);
  }

  /** @returns the run of `leaf` holding its visible character `rest` (sets the located offset and position) */
  private locateInLeaf(leaf: Leaf, rest: number): Run {
    const runs = leaf.runs;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i] as Run;
      if (!run.deleted) {
        if (rest < run.length) {
          this.locatedOffset = rest;
          this.locatedAt = i;
          return run;
        }
        rest -= run.length;
      }
    }
    throw new Error("unreachable: leaf visible count inconsistent");
  }

  /** @returns the run holding id `(replica, lamport)`, or undefined when unknown */
  find(replica: NodeId, lamport: number): Run | undefined {
    return this.byReplica.get(replica)?.find(lamport);
  }

  /**
   * @param at - where the caller last saw `run` in its leaf's runs (checked; any number when unknown)
   * @returns the run after `run` in document order
   */
  nextRun(run: Run, at = -1): Run | undefined {
    const leaf = run.leaf;
    const i = positionOf(run, at);
    if (i + 1 < leaf.runs.length) return leaf.runs[i + 1];
    for (let next = leaf.next; next !== undefined; next = next.next) if (next.runs.length > 0) return next.runs[0];
    return undefined;
  }

  /** @returns the first run of the document */
  firstRun(): Run | undefined {
    for (let leaf: Leaf | undefined = this.first; leaf !== undefined; leaf = leaf.next) if (leaf.runs.length > 0) return leaf.runs[0];
    return undefined;
  }

  /**
   * Insert `run` right after `after` (at the very start when undefined). Sets `run.leaf`, updates
   * visible counts and the id index, splits full nodes.
   * @param afterAt - where the caller last saw `after` in its leaf's runs (checked; any number when unknown)
   */
  insertAfter(after: Run | undefined, run: Run, afterAt = -1): void {
    const leaf = after === undefined ? this.first : after.leaf;
    const at = after === undefined ? 0 : positionOf(after, afterAt) + 1;
    if (at === leaf.runs.length) leaf.runs.push(run);
    else leaf.runs.splice(at, 0, run);
    run.leaf = leaf;
    this.runCount++;
    this.indexRun(run);
    if (run.visible !== 0) this.addVisible(leaf, run.visible);
    if (leaf.runs.length > MAX_LEAF_RUNS) this.splitLeaf(leaf);
  }

  /**
   * Split `run` so that it ends before `offset` (0 < offset < length).
   * @param at - where the caller last saw `run` in its leaf's runs (checked; any number when unknown)
   * @returns the new right part, placed after `run`
   */
  splitRun(run: Run, offset: number, at = -1): Run {
    assert(offset > 0 && offset < run.length, "split offset out of range", { offset, length: run.length });
    const right = new Run(
      run.replica,
      run.lamport + offset,
      run.length - offset,
      run.replica,
      run.lamport + offset - 1,
      run.deleted,
      run.deleted ? "" : run.text.slice(offset),
      run.leaf,
    );
    if (!run.deleted) run.text = run.text.slice(0, offset);
    run.length = offset;
    run.canonical = undefined;
    const leaf = run.leaf;
    const i = positionOf(run, at) + 1;
    if (i === leaf.runs.length) leaf.runs.push(right);
    else leaf.runs.splice(i, 0, right);
    this.runCount++;
    this.indexRun(right);
    if (leaf.runs.length > MAX_LEAF_RUNS) this.splitLeaf(leaf);
    return right;
  }

  /**
   * Delete `count` characters of the visible `run` from `offset` (count ≤ length − offset): split
   * them off, mark them deleted and merge them with the tombstones they continue. When they are the
   * run's tail (or head) and the tombstone next to it in the leaf continues it, they move into that
   * tombstone at once — the layout a split and a merge would leave, without making and indexing a
   * run only to merge it away (deleting backwards, character after character, does this each time).
   * @param at - where the caller last saw `run` in its leaf's runs (checked; any number when unknown)
   */
  deleteChars(run: Run, offset: number, count: number, at = -1): void {
    const end = offset + count;
    const runs = run.leaf.runs;
    const i = positionOf(run, at);
    if (offset > 0 && end === run.length) {
      const next = runs[i + 1];
      if (next !== undefined && next.deleted && continues(run, next)) {
        next.lamport -= count;
        next.length += count;
        next.originLamport -= count;
        run.length = offset;
        run.text = run.text.slice(0, offset);
        run.canonical = undefined;
        this.addVisible(run.leaf, -count);
        return;
      }
    } else if (offset === 0 && end < run.length) {
      const prev = runs[i - 1];
      if (prev !== undefined && prev.deleted && continues(prev, run)) {
        prev.length += count;
        run.lamport += count;
        run.length -= count;
        run.originLamport += count;
        run.text = run.text.slice(count);
        run.canonical = undefined;
        this.addVisible(run.leaf, -count);
        return;
      }
    }
    let target = run;
    let targetAt = i;
    if (offset > 0) {
      target = this.splitRun(run, offset, i);
      targetAt = i + 1;
    }
    if (count < target.length) this.splitRun(target, count, targetAt);
    this.markDeleted(target);
    this.mergeAround(target, targetAt);
  }

  /** Mark a whole run deleted (drops its text) and update counts. */
  markDeleted(run: Run): void {
    if (run.deleted) return;
    const removed = run.length;
    run.deleted = true;
    run.text = "";
    this.addVisible(run.leaf, -removed);
  }

  /**
   * Merge `run` with its neighbours in its leaf where they continue each other (same replica,
   * consecutive lamports, the right one's origin the left one's last character, same state).
   * @param at - where the caller last saw `run` in its leaf's runs (checked; any number when unknown)
   */
  mergeAround(run: Run, at = -1): void {
    let i = positionOf(run, at);
    if (i > 0 && this.mergeNext(run.leaf, i - 1)) i--;
    this.mergeNext(run.leaf, i);
  }

  /**
   * Merge the run at position `i` of `leaf` with the next one when they continue each other.
   * @returns whether they were merged
   */
  private mergeNext(leaf: Leaf, i: number): boolean {
    const runs = leaf.runs;
    const left = runs[i] as Run;
    const right = runs[i + 1];
    if (right === undefined || left.deleted !== right.deleted || !continues(left, right)) return false;
    left.length += right.length;
    if (!left.deleted) left.text += right.text;
    if (i + 2 === runs.length) runs.pop();
    else runs.splice(i + 1, 1);
    this.runCount--;
    (this.byReplica.get(right.replica) as RunIndex).remove(right);
    return true;
  }

  /** Add `delta` to the visible count of `leaf` and its ancestors. */
  addVisible(leaf: Leaf, delta: number): void {
    if (leaf !== this.cachedLeaf) this.cachedLeaf = undefined;
    leaf.visible += delta;
    for (let node = leaf.parent; node !== undefined; node = node.parent) node.visible += delta;
  }

  /**
   * Append `run` at the end of the document without indexing it (bulk load); call
   * {@link rebuildIndex} once after the last append.
   */
  appendUnindexed(run: Run): void {
    let leaf = this.tail;
    while (leaf.next !== undefined) leaf = leaf.next;
    this.tail = leaf;
    leaf.runs.push(run);
    run.leaf = leaf;
    this.runCount++;
    if (run.visible !== 0) this.addVisible(leaf, run.visible);
    if (leaf.runs.length > MAX_LEAF_RUNS) this.splitLeaf(leaf);
  }

  /** Rebuild the id index from the runs (after a bulk load). */
  rebuildIndex(): void {
    const byReplica = new Map<NodeId, Run[]>();
    this.forEachRun((run) => {
      let runs = byReplica.get(run.replica);
      if (runs === undefined) byReplica.set(run.replica, (runs = []));
      runs.push(run);
    });
    this.byReplica.clear();
    for (const [replica, runs] of byReplica) this.byReplica.set(replica, RunIndex.fromSorted(runs.sort((a, b) => a.lamport - b.lamport)));
  }

  /** @returns whether some known id of `replica` lies in [start, end) */
  overlaps(replica: NodeId, start: number, end: number): boolean {
    return this.byReplica.get(replica)?.overlaps(start, end) ?? false;
  }

  /** Visit every run in document order. */
  forEachRun(visit: (run: Run) => void): void {
    for (let leaf: Leaf | undefined = this.first; leaf !== undefined; leaf = leaf.next) for (const run of leaf.runs) visit(run);
  }

  private indexRun(run: Run): void {
    let runs = this.byReplica.get(run.replica);
    if (runs === undefined) this.byReplica.set(run.replica, (runs = new RunIndex()));
    runs.add(run);
  }

  private splitLeaf(leaf: Leaf): void {
    const right = new Leaf();
    right.runs = leaf.runs.splice(leaf.runs.length >> 1);
    let moved = 0;
    for (const run of right.runs) {
      run.leaf = right;
      moved += run.visible;
    }
    right.visible = moved;
    leaf.visible -= moved;
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next !== undefined) leaf.next.prev = right;
    leaf.next = right;
    this.insertSibling(leaf, right);
  }

  private insertSibling(node: Leaf | Inner, sibling: Leaf | Inner): void {
    const parent = node.parent;
    if (parent === undefined) {
      const root = new Inner();
      root.children = [node, sibling];
      root.visible = node.visible + sibling.visible;
      node.parent = root;
      sibling.parent = root;
      this.root = root;
      return;
    }
    parent.children.splice(parent.children.indexOf(node) + 1, 0, sibling);
    sibling.parent = parent;
    if (parent.children.length > MAX_INNER_CHILDREN) {
      const right = new Inner();
      right.children = parent.children.splice(parent.children.length >> 1);
      let moved = 0;
      for (const child of right.children) {
        child.parent = right;
        moved += child.visible;
      }
      right.visible = moved;
      parent.visible -= moved;
      this.insertSibling(parent, right);
    }
  }
}
