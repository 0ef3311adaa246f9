/**
 * The machine-readable lines of a spec's `verification_summary.md`:
 * `expected: MCName.cfg distinct=<N> depth=<D> properties=<hash>` — what the committed model
 * measured last time, and the pin of what it checked (property-definitions.ts: the checked names
 * and their definitions). A weakened property can keep the counts; it cannot keep the pin.
 */
export interface ExpectedCounts {
  readonly config: string;
  readonly distinct: number;
  readonly depth: number;
  /** The pinned properties hash; absent on an older line (reported as a note). */
  readonly properties?: string;
}

/** The result of comparing a run with its expected line. */
export type ExpectedComparison =
  /** `note`: the depth differed under a parallel search, where TLC's reported depth is not exact. */
  | { readonly status: "match"; readonly note?: string }
  | { readonly status: "missing" }
  | { readonly status: "changed"; readonly message: string };

const LINE = /^\s*(?:[-*]\s*)?`?expected:\s*(\S+\.cfg)\s+distinct=(\d+)\s+depth=(\d+)(?:\s+properties=([0-9a-f]{12}))?\s*`?\s*$/;

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
    const properties = match[4];
    result.set(config, { config, distinct: Number(match[2]), depth: Number(match[3]), ...(properties !== undefined ? { properties } : {}) });
  }
  return result;
}

/**
 * Compare a full check's figures with the expected line.
 * @param expected - the summary's line for this config, if any
 * @param measured - distinct states and depth from TLC, and the properties hash of what was checked
 * @param depthIsExact - whether TLC ran with one worker. The distinct-state count identifies the
 *   model in every mode; the reported depth is exact only for a single-worker breadth-first search
 *   (with several workers it varied by one level between runs of the same model here: MCRaftPreVote
 *   gave 41 and 42 with identical state counts), so a parallel run's depth difference is a note.
 * @returns "match", "missing" (no line: reported, not a failure) or "changed" with a message saying what to update
 */
export function compareExpectedCounts(
  expected: ExpectedCounts | undefined,
  measured: { readonly distinctStates?: number; readonly depth?: number; readonly properties?: string },
  depthIsExact = true,
): ExpectedComparison {
  if (expected === undefined) return { status: "missing" };
  const problems: string[] = [];
  if (measured.distinctStates !== expected.distinct) {
    problems.push(`distinct states ${measured.distinctStates ?? "unknown"} (expected ${expected.distinct})`);
  }
  const depthDiffers = measured.depth !== expected.depth;
  const depthProblem = `depth ${measured.depth ?? "unknown"} (expected ${expected.depth})`;
  if (depthDiffers && (depthIsExact || measured.depth === undefined)) problems.push(depthProblem);
  const pinChanged = expected.properties !== undefined && measured.properties !== undefined && expected.properties !== measured.properties;
  if (pinChanged) {
    problems.push(
      `the checked properties or their definitions changed (properties=${measured.properties}, expected ${expected.properties}): ` +
        "a weakened property can keep the state counts, so review every change to them",
    );
  }
  const pin = measured.properties !== undefined ? ` properties=${measured.properties}` : "";
  if (problems.length === 0) {
    const notes = [
      ...(depthDiffers ? [`${depthProblem} under a parallel search, where TLC's depth is not exact`] : []),
      ...(expected.properties === undefined && measured.properties !== undefined
        ? [`the expected line pins no properties: add properties=${measured.properties}`]
        : []),
    ];
    return notes.length > 0 ? { status: "match", note: notes.join("; ") } : { status: "match" };
  }
  return {
    status: "changed",
    message:
      `${expected.config}: ${problems.join(", ")}. The model changed: review it, then update the line ` +
      `"expected: ${expected.config} distinct=${measured.distinctStates ?? "?"} depth=${measured.depth ?? "?"}${pin}" in verification_summary.md.`,
  };
}
