/** Where two traces first differ. */
export interface TraceDivergence {
  /** Index of the first diverging event (−1: the header differs, i.e. options or schedule). */
  readonly event: number;
  /** Line number (0-based) in the ndjson trace. */
  readonly line: number;
  /** That line in each trace ("<missing>" past the end of the shorter one). */
  readonly first: string;
  readonly second: string;
}

function eventIndexOf(line: string | undefined, fallback: number): number {
  if (line === undefined) return fallback;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === "object" && parsed !== null && "i" in parsed && typeof parsed.i === "number") return parsed.i;
    if (typeof parsed === "object" && parsed !== null && "trace" in parsed) return -1;
  } catch {
    // not JSON: fall through
  }
  return fallback;
}

/**
 * Compare two ndjson traces line by line.
 * @returns the first difference, or undefined when they are identical
 */
export function firstDivergence(a: readonly string[], b: readonly string[]): TraceDivergence | undefined {
  const length = Math.max(a.length, b.length);
  for (let line = 0; line < length; line++) {
    if (a[line] === b[line]) continue;
    const event = eventIndexOf(a[line] ?? b[line], line - 1);
    return { event, line, first: a[line] ?? "<missing>", second: b[line] ?? "<missing>" };
  }
  return undefined;
}
