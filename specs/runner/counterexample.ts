import type { Violation } from "./tlc-outcome.js";

/** Limits that keep a rendered counterexample readable. */
export interface RenderLimits {
  /** Longest value printed before it is cut with "…" (characters). */
  readonly maxValueChars: number;
  /** Most states printed; the middle of a longer trace is elided. */
  readonly maxStates: number;
}

/** Defaults: values up to 400 characters, traces up to 60 states. */
export const DEFAULT_RENDER_LIMITS: RenderLimits = { maxValueChars: 400, maxStates: 60 };

function clip(value: string, maxChars: number): string {
  return value.length <= maxChars ? value : `${value.slice(0, maxChars - 1)}…`;
}

/**
 * Render a counterexample for people: the violated property, then the trace state by state; the
 * first state shows every variable, each later state only the variables that changed, under the
 * name of the action that took it there.
 * @param violation - what TLC reported
 * @param limits - output bounds (defaults: {@link DEFAULT_RENDER_LIMITS})
 * @returns lines of text, without trailing newline
 * @example
 * console.log(renderCounterexample(outcome.violation).join("\n"));
 * // Invariant NoDuplication is violated.
 * // State 1 (Initial predicate)
 * //   crashes = 0
 * // State 2 (Request, line 98…)
 * //   nextSeq: (n1 :> 1 …) → (n1 :> 2 …)
 */
export function renderCounterexample(violation: Violation, limits: RenderLimits = DEFAULT_RENDER_LIMITS): string[] {
  const title = violation.property
    ? `${violation.kind === "invariant" ? "Invariant" : "Property"} ${violation.property} is violated (${violation.kind}).`
    : violation.message;
  const lines = [title];
  if (violation.trace.length === 0) {
    lines.push("  (TLC printed no trace)");
    return lines;
  }
  lines.push(`Counterexample, ${violation.trace.length} states (only changed variables after the first):`);
  const trace = violation.trace;
  const keepHead = Math.ceil(limits.maxStates / 2);
  const keepTail = limits.maxStates - keepHead;
  for (let i = 0; i < trace.length; i++) {
    const state = trace[i];
    if (state === undefined) continue;
    if (trace.length > limits.maxStates && i === keepHead) {
      lines.push(`  … ${trace.length - limits.maxStates} states omitted …`);
    }
    if (trace.length > limits.maxStates && i >= keepHead && i < trace.length - keepTail) continue;
    const where = state.location ? ` [${state.location}]` : "";
    lines.push(`State ${state.index}: ${state.action}${where}`);
    const previous = i > 0 ? trace[i - 1] : undefined;
    let changed = 0;
    for (const [name, value] of state.variables) {
      if (previous === undefined) {
        lines.push(`    ${name} = ${clip(value, limits.maxValueChars)}`);
        changed++;
        continue;
      }
      const before = previous.variables.get(name);
      if (before === value) continue;
      changed++;
      lines.push(`    ${name}: ${clip(before ?? "(absent)", limits.maxValueChars)}`);
      lines.push(`      → ${clip(value, limits.maxValueChars)}`);
    }
    if (changed === 0 && state.variables.size > 0) lines.push("    (no variable changed)");
  }
  return lines;
}
