// Merge `pnpm mutants --json` outputs (later files win per mutant) and print the score as Markdown.
// Usage: tsx mutants/src/report.ts FILE.jsonl [FILE.jsonl …]
import { readFileSync } from "node:fs";
import { score, type MutantResult } from "./score.js";

/** @returns the mutant results of JSON-lines texts, the last one of each id kept, in first-seen order */
export function mergeResults(texts: readonly string[]): MutantResult[] {
  const byId = new Map<string, MutantResult>();
  for (const text of texts) {
    for (const line of text.split("\n")) {
      if (!line.startsWith("{")) continue;
      const row = JSON.parse(line) as MutantResult & { summary?: boolean };
      if (row.summary === true || typeof row.id !== "string") continue;
      byId.set(row.id, row);
    }
  }
  return [...byId.values()];
}

function cell(x: number | undefined): string {
  return x === undefined ? "–" : x.toFixed(1);
}

/** @returns the short name of a detector, from its command (the README's table of detectors) */
function detectorLabel(command: string, kind: string): string {
  if (command.includes("--raft-config")) return "lease-islands";
  if (command.includes("--faults leader-island")) return "islands";
  if (command.includes("--nodes swarm")) return "swarm";
  if (command.includes("--faults partition,reorder")) return "removals";
  return kind === "sim" ? "chaos" : kind;
}

/** @returns the results as a Markdown table and a score line */
export function markdown(results: readonly MutantResult[]): string {
  const rows = results.map((r) => {
    const by = r.by;
    const detector = by === undefined ? "" : detectorLabel(by.detector, by.kind);
    const what = by === undefined ? "" : `${by.invariant ?? ""}${by.seed !== undefined ? ` (seed ${by.seed})` : ""}`;
    return `| ${r.id} | ${r.status} | ${detector} | ${what} | ${by?.seedsRun ?? ""} | ${by === undefined ? "" : cell(by.cpuSeconds)} | ${cell(r.cpuSeconds)} |`;
  });
  const s = score(results);
  const areas = Object.entries(s.byArea).map(([area, a]) => `${area} ${a.caught}/${a.total}`).join(", ");
  return [
    "| mutant | status | by | invariant (seed) | seeds | CPU-s (catching hunt) | CPU-s (all hunts) |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `caught ${s.caught}/${s.total} (${areas}); CPU-s to the first failure: median ${cell(s.medianCpuSeconds)}, worst ${cell(s.worstCpuSeconds)}`,
  ].join("\n");
}

if (process.argv[1]?.endsWith("report.ts")) {
  process.stdout.write(`${markdown(mergeResults(process.argv.slice(2).map((f) => readFileSync(f, "utf8"))))}\n`);
}
