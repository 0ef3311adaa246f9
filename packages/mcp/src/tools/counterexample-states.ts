import type { TraceState } from "../../../../specs/runner/trace.js";

/** One state of a counterexample as the MCP tools return it: the first in full, the rest by their changes. */
export interface StructuredState {
  /** 1-based, as TLC numbers it. */
  readonly index: number;
  /** The action that led here (`Initial predicate` for the first). */
  readonly action: string;
  /** Where the action is defined in the spec; empty when TLC gives none. */
  readonly location: string;
  /** Every variable for the first state; afterwards only those whose value changed, `{ before, after }`. */
  readonly variables: Readonly<Record<string, string | { readonly before: string | null; readonly after: string }>>;
}

/**
 * Turn a TLC trace into structured states with only the changed variables — the same view
 * `pnpm specs` prints (first state in full, then each step's changes).
 * @param trace - the parsed trace, first state first
 * @param maxValueChars - values longer than this are cut, as the runner's rendering cuts them
 */
export function structuredStates(trace: readonly TraceState[], maxValueChars = 400): StructuredState[] {
  const cut = (v: string): string => (v.length <= maxValueChars ? v : `${v.slice(0, maxValueChars)}…`);
  const states: StructuredState[] = [];
  let previous: ReadonlyMap<string, string> | undefined;
  for (const state of trace) {
    const variables: Record<string, string | { before: string | null; after: string }> = {};
    for (const [name, value] of state.variables) {
      if (previous === undefined) variables[name] = cut(value);
      else if (previous.get(name) !== value) variables[name] = { before: previous.has(name) ? cut(previous.get(name) ?? "") : null, after: cut(value) };
    }
    states.push({ index: state.index, action: state.action, location: state.location, variables });
    if (state.variables.size > 0) previous = state.variables;
  }
  return states;
}
