import type { ModelResult } from "./model-result.js";

/** The closing line of a run: counts per verdict and the exit code the runner returns. */
export interface RunSummary {
  readonly summary: true;
  readonly models: number;
  readonly pass: number;
  readonly fail: number;
  readonly changed: number;
  readonly skipped: number;
  readonly error: number;
  readonly seconds: number;
  /** Why nothing was checked (TLC or Java missing), when that is the case. */
  readonly skippedReason?: string;
  readonly tlc?: string;
  /** The TLC version line of the runs (e.g. "TLC2 Version 2.20 of Day Month 20?? (rev: bacd9d2)"). */
  readonly tlcVersion?: string;
  /** Expected failures run (a subset of `models`' rows: rows with `expectedFailure`). */
  readonly expectedFailures: number;
  readonly exitCode: number;
}

/** The exit codes of `pnpm specs` (args.ts USAGE says the same). */
export const EXIT = { pass: 0, fail: 1, usage: 2, parse: 3, changed: 4, error: 5, unavailable: 6 } as const;

function cell(value: number | undefined): string {
  return value === undefined ? "-" : value.toLocaleString("en-US");
}

function verdict(result: ModelResult): string {
  if (result.result === "skipped") return `skipped (${result.reason ?? "no reason"})`;
  if (result.result === "pass" && !result.checks.includes("full")) return `pass (${result.checks.join("+")} only)`;
  return result.result;
}

/**
 * Format results as an aligned text table, followed by reasons, notes and counterexamples.
 * @param results - one per model
 * @returns the lines to print
 */
export function formatTable(results: readonly ModelResult[]): string[] {
  const models = results.filter((r) => r.expectedFailure === undefined);
  const failures = results.filter((r) => r.expectedFailure !== undefined);
  const out: string[] = [];
  if (models.length > 0) {
    out.push(...alignedTable(
      ["spec", "config", "result", "generated", "distinct", "depth", "seconds"],
      models.map((r) => [r.spec, r.config, verdict(r), cell(r.statesGenerated), cell(r.distinctStates), cell(r.depth), r.seconds.toFixed(1)]),
      new Set([3, 4, 5, 6]),
    ));
  }
  if (failures.length > 0) {
    if (out.length > 0) out.push("");
    out.push("Expected failures (each must FAIL: a planted bug caught, or a state reached):");
    out.push(...alignedTable(
      ["spec", "check", "kind", "config", "must violate", "result", "distinct", "seconds"],
      failures.map((r) => [
        r.spec, r.expectedFailure?.name ?? "", r.expectedFailure?.kind ?? "", r.config, r.expectedFailure?.mustViolate ?? "",
        r.result === "pass" ? "failed as expected" : r.result, cell(r.distinctStates), r.seconds.toFixed(1),
      ]),
      new Set([6, 7]),
    ));
  }
  for (const r of results) {
    const extra: string[] = [];
    if (r.reason && r.result !== "skipped" && !r.counterexample) extra.push(`  ${r.result}: ${r.reason}`);
    if (r.expected && r.result === "changed") {
      extra.push(`  expected distinct=${r.expected.distinct} depth=${r.expected.depth}${r.expected.properties ? ` properties=${r.expected.properties}` : ""}`);
    }
    for (const note of r.notes) extra.push(`  note: ${note}`);
    const violations = r.violations ?? [];
    if (violations.length > 0) {
      violations.forEach((v, i) => {
        if (violations.length > 1) {
          extra.push(`  --- violation ${i + 1} of ${violations.length} (${v.stage}${v.seed !== undefined ? `, seed ${v.seed}` : ""}) ---`);
        }
        if (v.definition) {
          extra.push(`  ${v.property} is defined at specs/${r.spec}/${v.definition.file}:${v.definition.line}:`);
          extra.push(...v.definition.text.split("\n").map((l) => `  | ${l}`));
        }
        if (v.propertiesRow) extra.push(`  properties.md:${v.propertiesRow.line}: ${v.propertiesRow.text}`);
        extra.push(`  reproduce: ${v.reproduce}`);
        extra.push(...v.counterexample.map((l) => `  ${l}`));
      });
    } else if (r.counterexample) extra.push(...r.counterexample.map((l) => `  ${l}`));
    if (extra.length > 0) out.push("", `${r.spec}/${r.expectedFailure ? `${r.expectedFailure.name} (${r.config})` : r.config}:`, ...extra);
  }
  return out;
}

function alignedTable(header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]): string =>
    row.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/**
 * One JSON line per model (the fields of ModelResult), for machines.
 * @returns JSON strings without newlines
 */
export function formatJsonLines(results: readonly ModelResult[], summary: RunSummary): string[] {
  return [...results.map((r) => JSON.stringify(r)), JSON.stringify(summary)];
}

/**
 * The exit code for a set of results: 1 on any fail, else 3 on a parse error, else 5 on another
 * error, else 4 on a changed count or pin; 0 otherwise (skipped models do not fail the run — the
 * caller decides about a missing TLC).
 */
export function exitCodeOf(results: readonly ModelResult[]): number {
  if (results.some((r) => r.result === "fail")) return EXIT.fail;
  if (results.some((r) => r.result === "error" && r.stages.parse === "error")) return EXIT.parse;
  if (results.some((r) => r.result === "error")) return EXIT.error;
  if (results.some((r) => r.result === "changed")) return EXIT.changed;
  return EXIT.pass;
}

/** Summarise the results and pick the exit code ({@link exitCodeOf}). */
export function summarize(
  results: readonly ModelResult[],
  seconds: number,
  extra: { skippedReason?: string; tlc?: string; tlcVersion?: string } = {},
): RunSummary {
  const count = (v: ModelResult["result"]): number => results.filter((r) => r.result === v).length;
  return {
    summary: true,
    models: results.length,
    pass: count("pass"),
    fail: count("fail"),
    changed: count("changed"),
    skipped: count("skipped"),
    error: count("error"),
    seconds: Math.round(seconds * 10) / 10,
    expectedFailures: results.filter((r) => r.expectedFailure !== undefined).length,
    ...(extra.skippedReason !== undefined ? { skippedReason: extra.skippedReason } : {}),
    ...(extra.tlc !== undefined ? { tlc: extra.tlc } : {}),
    ...(extra.tlcVersion !== undefined ? { tlcVersion: extra.tlcVersion } : {}),
    exitCode: exitCodeOf(results),
  };
}
