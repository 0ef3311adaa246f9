/**
 * The machine-readable lines of a spec's `verification_summary.md`:
 * `expected: MCName.cfg distinct=<N> depth=<D>` — what the committed model measured last time.
 */
export interface ExpectedCounts {
  readonly config: string;
  readonly distinct: number;
  readonly depth: number;
}

/** The result of comparing a run with its expected line. */
export type ExpectedComparison =
  | { readonly status: "match" }
  | { readonly status: "missing" }
  | { readonly status: "changed"; readonly message: string };

const LINE = /^\s*(?:[-*]\s*)?`?expected:\s*(\S+\.cfg)\s+distinct=(\d+)\s+depth=(\d+)\s*`?\s*$/;

/**
 * Read every `expected:` line of a summary.
 * @param summary - the text of verification_summary.md
 * @returns config file name → expected counts (a later line for the same config wins)
 */
export function parseExpectedCounts(summary: string): Map<string, ExpectedCounts> {
  const result = new Map<string, ExpectedCounts>();
  for (const line of summary.split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (!match) continue;
    const config = match[1] ?? "";
    result.set(config, { config, distinct: Number(match[2]), depth: Number(match[3]) });
  }
  return result;
}

/**
 * Compare a full check's figures with the expected line.
 * @param expected - the summary's line for this config, if any
 * @param measured - distinct states and depth from TLC
 * @returns "match", "missing" (no line: reported, not a failure) or "changed" with a message saying what to update
 */
export function compareExpectedCounts(
  expected: ExpectedCounts | undefined,
  measured: { readonly distinctStates?: number; readonly depth?: number },
): ExpectedComparison {
  if (expected === undefined) return { status: "missing" };
  const problems: string[] = [];
  if (measured.distinctStates !== expected.distinct) {
    problems.push(`distinct states ${measured.distinctStates ?? "unknown"} (expected ${expected.distinct})`);
  }
  if (measured.depth !== expected.depth) problems.push(`depth ${measured.depth ?? "unknown"} (expected ${expected.depth})`);
  if (problems.length === 0) return { status: "match" };
  return {
    status: "changed",
    message:
      `${expected.config}: ${problems.join(", ")}. The model changed: review it, then update the line ` +
      `"expected: ${expected.config} distinct=${measured.distinctStates ?? "?"} depth=${measured.depth ?? "?"}" in verification_summary.md.`,
  };
}
