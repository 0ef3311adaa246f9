import type { Entry } from "./entry.js";

/** A group of entries one proposal created: its tag, the first index and how many. */
export interface ProposalSpan {
  readonly tag: number;
  readonly index: number;
  readonly count: number;
}

/**
 * The proposals this node accepted as leader whose entries have not applied yet, so that `apply`
 * can carry the proposal's tag and a step-down can report the rest as outcome unknown. An entry is
 * matched by index AND term: the entry applied at an index is the one proposed only if its term is
 * the term it was proposed in (otherwise a later leader overwrote it, and the proposal is lost).
 * Bounded by the leader's `maxUncommittedEntries` (proposals beyond it are refused).
 */
export class PendingProposals {
  private readonly byIndex = new Map<number, { readonly tag: number; readonly term: number }>();

  /** Entries at `index` … `index + count − 1`, proposed in `term` by the request tagged `tag`. */
  add(tag: number, term: number, index: number, count: number): void {
    for (let i = index; i < index + count; i++) this.byIndex.set(i, { tag, term });
  }

  /** @returns the tag of the request that proposed `entry` here, if any (and forgets it) */
  take(entry: Entry): number | undefined {
    const pending = this.byIndex.get(entry.index);
    if (pending === undefined) return undefined;
    this.byIndex.delete(entry.index);
    return pending.term === entry.term ? pending.tag : undefined;
  }

  /** @returns every pending proposal as spans of consecutive indexes per tag, in index order; forgets them all */
  drain(): ProposalSpan[] {
    const spans: ProposalSpan[] = [];
    const indexes = [...this.byIndex.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const { tag } = this.byIndex.get(index) as { tag: number };
      const last = spans[spans.length - 1];
      const continues = last !== undefined && last.tag === tag && last.index + last.count === index;
      if (continues) spans[spans.length - 1] = { tag, index: last.index, count: last.count + 1 };
      else spans.push({ tag, index, count: 1 });
    }
    this.byIndex.clear();
    return spans;
  }

  /** Number of entries pending. */
  get size(): number {
    return this.byIndex.size;
  }
}
