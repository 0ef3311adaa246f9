import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCounterexample } from "../counterexample.js";
import { readTlcOutcome, type Violation } from "../tlc-outcome.js";
import { parseTraceState, type TraceState } from "../trace.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

function state(text: string): TraceState {
  const parsed = parseTraceState(text);
  if (!parsed) throw new Error(`bad state text: ${text}`);
  return parsed;
}

describe("renderCounterexample", () => {
  it("shows every variable of the first state and only what changed afterwards", () => {
    const violation: Violation = {
      kind: "invariant",
      property: "Inv",
      message: "Invariant Inv is violated.",
      trace: [
        state("1: <Initial predicate>\n/\\ x = 0\n/\\ y = 0"),
        state("2: <IncX line 1, col 1 to line 1, col 9 of module M>\n/\\ x = 1\n/\\ y = 0"),
        state("3: <Noop line 2, col 1 to line 2, col 9 of module M>\n/\\ x = 1\n/\\ y = 0"),
      ],
    };
    expect(renderCounterexample(violation)).toEqual([
      "Invariant Inv is violated (invariant).",
      "Counterexample, 3 states (only changed variables after the first):",
      "State 1: Initial predicate",
      "    x = 0",
      "    y = 0",
      "State 2: IncX [line 1, col 1 to line 1, col 9 of module M]",
      "    x: 0",
      "      → 1",
      "State 3: Noop [line 2, col 1 to line 2, col 9 of module M]",
      "    (no variable changed)",
    ]);
  });

  it("renders the captured NoDuplication counterexample with the action names", () => {
    const outcome = readTlcOutcome(fixture("tlc-invariant-violation.txt"), 12);
    if (!outcome.violation) throw new Error("fixture has no violation");
    const text = renderCounterexample(outcome.violation).join("\n");
    expect(text).toContain("Invariant NoDuplication is violated");
    expect(text).toContain("State 3: CrashRecover");
    // The crash resets nextSeq (the planted bug) and changes neither `persisted` nor `requests`.
    const crash = text.slice(text.indexOf("State 3:"), text.indexOf("State 4:"));
    expect(crash).toContain("nextSeq: (n1 :> 2 @@ n2 :> 1)");
    expect(crash).toContain("crashes: 0");
    expect(crash).not.toContain("persisted");
    expect(crash).not.toContain("requests");
  });

  it("cuts long values and elides the middle of long traces", () => {
    const trace = Array.from({ length: 10 }, (_, i) => state(`${i + 1}: <Step line 1, col 1 to line 1, col 2 of module M>\n/\\ x = ${"a".repeat(i + 1)}`));
    const lines = renderCounterexample({ kind: "invariant", message: "m", trace }, { maxStates: 4, maxValueChars: 5 });
    expect(lines).toContain("  … 6 states omitted …");
    expect(lines.filter((l) => l.startsWith("State "))).toHaveLength(4);
    expect(lines.at(-1)).toBe("      → aaaa…");
  });
});
