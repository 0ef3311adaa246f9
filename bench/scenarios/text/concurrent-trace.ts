import { createRng } from "@synod/core";
import type { TraceEdit } from "./editing-trace.js";

/** How a sequential trace is dealt out to concurrent authors. */
export interface ConcurrentPlan {
  readonly authors: number;
  /** Consecutive trace edits one author makes in a row: drawn from [min, max] (a word or a sentence). */
  readonly blockEdits: readonly [min: number, max: number];
  /** Blocks between two sync rounds (in a round every author's updates reach every other author). */
  readonly blocksPerSync: number;
  readonly seed: number;
}

/** One step of a concurrent trace: an author's edit, or a sync round. */
export type ConcurrentStep = { readonly author: number; readonly edit: TraceEdit } | { readonly sync: true };

/**
 * Deal a sequential trace out to several authors, deterministically from `plan.seed`: the trace
 * is cut into blocks of consecutive edits, each block goes to an author drawn at random, and after
 * every `blocksPerSync` blocks all authors sync; a last sync ends the trace. Between syncs the
 * authors' documents diverge, so each author's positions are applied to its own document (the
 * replay clamps them to its length) and, at every sync, each replica integrates the other authors'
 * concurrent inserts: (authors − 1) remote edits for every local one.
 * @returns the steps, in order
 */
export function concurrentTrace(edits: readonly TraceEdit[], plan: ConcurrentPlan): ConcurrentStep[] {
  const rng = createRng(plan.seed);
  const steps: ConcurrentStep[] = [];
  let blocks = 0;
  for (let i = 0; i < edits.length; ) {
    const author = rng.int(0, plan.authors);
    const end = Math.min(edits.length, i + rng.int(plan.blockEdits[0], plan.blockEdits[1] + 1));
    for (; i < end; i++) steps.push({ author, edit: edits[i] as TraceEdit });
    if (++blocks % plan.blocksPerSync === 0) steps.push({ sync: true });
  }
  steps.push({ sync: true });
  return steps;
}
