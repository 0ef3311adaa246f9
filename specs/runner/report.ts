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
  readonly exitCode: number;
}

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
  const header = ["spec", "config", "result", "generated", "distinct", "depth", "seconds"];
  const rows = results.map((r) => [
    r.spec, r.config, verdict(r), cell(r.statesGenerated), cell(r.distinctStates), cell(r.depth), r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (row: readonly string[]): string =>
    row.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  for (const r of results) {
    const extra: string[] = [];
    if (r.reason && r.result !== "skipped" && !r.counterexample) extra.push(`  ${r.result}: ${r.reason}`);
    if (r.expected && r.result === "changed") extra.push(`  expected distinct=${r.expected.distinct} depth=${r.expected.depth}`);
    for (const note of r.notes) extra.push(`  note: ${note}`);
    if (r.counterexample) extra.push(...r.counterexample.map((l) => `  ${l}`));
    if (extra.length > 0) out.push("", `${r.spec}/${r.config}:`, ...extra);
  }
  return out;
}

/**
 * One JSON line per model (the fields of ModelResult), for machines.
 * @returns JSON strings without newlines
 */
export function formatJsonLines(results: readonly ModelResult[], summary: RunSummary): string[] {
  return [...results.map((r) => JSON.stringify(r)), JSON.stringify(summary)];
}

/**
 * Summarise the results and pick the exit code: 1 on any fail, changed or error; 0 otherwise
 * (skipped models do not fail the run — the caller decides about a missing TLC).
 */
export function summarize(results: readonly ModelResult[], seconds: number, extra: { skippedReason?: string; tlc?: string } = {}): RunSummary {
  const count = (v: ModelResult["result"]): number => results.filter((r) => r.result === v).length;
  const bad = count("fail") + count("changed") + count("error");
  return {
    summary: true,
    models: results.length,
    pass: count("pass"),
    fail: count("fail"),
    changed: count("changed"),
    skipped: count("skipped"),
    error: count("error"),
    seconds: Math.round(seconds * 10) / 10,
    ...(extra.skippedReason !== undefined ? { skippedReason: extra.skippedReason } : {}),
    ...(extra.tlc !== undefined ? { tlc: extra.tlc } : {}),
    exitCode: bad > 0 ? 1 : 0,
  };
}
