import { assert } from "@synod/core";
import type { Run } from "./rga-tree.js";

/** Runs per chunk after a split; a chunk splits when it holds twice as many. */
const CHUNK_RUNS = 128;

/** @returns the first position in `runs` (sorted by lamport) whose lamport is ≥ `lamport` */
function position(runs: readonly Run[], lamport: number): number {
  let lo = 0, hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((runs[mid] as Run).lamport < lamport) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The runs of one replica sorted by Lamport timestamp, for finding the run that holds an id.
 * Stored in chunks of at most 2 × {@link CHUNK_RUNS} runs (a two-level sorted array), so that
 * adding or removing a run in the middle, as splitting and merging runs do, moves one chunk's
 * entries and not every run of the replica (one flat array made that O(n) per split or merge:
 * half the CPU of replaying the B4 editing trace).
 */
export class RunIndex {
  private readonly chunks: Run[][] = [];

  /** @returns an index of `runs`, which must be sorted by lamport */
  static fromSorted(runs: readonly Run[]): RunIndex {
    const index = new RunIndex();
    for (let i = 0; i < runs.length; i += CHUNK_RUNS) index.chunks.push(runs.slice(i, i + CHUNK_RUNS));
    return index;
  }

  /** @returns the run holding id `lamport`, or undefined when unknown */
  find(lamport: number): Run | undefined {
    const runs = this.chunks[this.chunkOf(lamport)];
    if (runs === undefined) return undefined;
    let lo = 0, hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = runs[mid] as Run;
      if (lamport < run.lamport) hi = mid - 1;
      else if (lamport >= run.lamport + run.length) lo = mid + 1;
      else return run;
    }
    return undefined;
  }

  /** Add `run` (its lamport must not be in the index yet). */
  add(run: Run): void {
    const c = Math.max(0, this.chunkOf(run.lamport));
    const runs = this.chunks[c];
    if (runs === undefined) {
      this.chunks.push([run]);
      return;
    }
    const last = runs[runs.length - 1] as Run;
    if (last.lamport < run.lamport) runs.push(run);
    else runs.splice(position(runs, run.lamport), 0, run);
    if (runs.length > 2 * CHUNK_RUNS) this.chunks.splice(c + 1, 0, runs.splice(CHUNK_RUNS));
  }

  /** Remove `run`, which must be in the index. */
  remove(run: Run): void {
    const c = this.chunkOf(run.lamport);
    const runs = this.chunks[c];
    const i = runs === undefined ? -1 : position(runs, run.lamport);
    assert(runs !== undefined && runs[i] === run, "removed run is not in the index", { lamport: run.lamport });
    runs.splice(i, 1);
    if (runs.length === 0) this.chunks.splice(c, 1);
  }

  /** @returns whether some run holds an id in [start, end) */
  overlaps(start: number, end: number): boolean {
    const c = this.chunkOf(start);
    const runs = this.chunks[c];
    if (runs === undefined) return (this.chunks[0]?.[0]?.lamport ?? end) < end;
    const i = position(runs, start);
    // i = 0 only when the chunk's first run starts at `start` (chunkOf), which then overlaps: the
    // run before `start` is in this chunk whenever it matters.
    const before = runs[i - 1];
    if (before !== undefined && before.lamport + before.length > start) return true;
    const at = i < runs.length ? runs[i] : this.chunks[c + 1]?.[0];
    return at !== undefined && at.lamport < end;
  }

  /** Visit the runs in lamport order. */
  forEach(visit: (run: Run) => void): void {
    for (const runs of this.chunks) for (const run of runs) visit(run);
  }

  /** @returns the index of the last chunk whose first run's lamport is ≤ `lamport` (-1: none) */
  private chunkOf(lamport: number): number {
    let lo = 0, hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (((this.chunks[mid] as Run[])[0] as Run).lamport <= lamport) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
