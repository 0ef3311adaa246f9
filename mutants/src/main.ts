// `pnpm mutants`: apply each catalogued mutant to a scratch copy of the repository and hunt it with
// its detectors (the random simulator, TLC); report caught or survived, by what, and how fast.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findAnchor, replaceAt } from "./anchor.js";
import { parseArgs, USAGE, UsageError, type MutantsArgs } from "./args.js";
import { CATALOGUE } from "./catalogue.js";
import { runBaseline, runDetector, type DetectorOutcome } from "./detect.js";
import { detectorTimeoutMs } from "./detector-timeout.js";
import { detectorCommand, type Mutant, type SimDetector } from "./mutant.js";
import { Scratch } from "./scratch.js";
import { selectMutants } from "./select.js";
import { score, type MutantResult } from "./score.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function hunt(scratch: Scratch, mutant: Mutant, timeoutSeconds: number): MutantResult {
  const hits = findAnchor(scratch.root, mutant.pkg, mutant.snippet);
  const base = { id: mutant.id, description: mutant.description };
  if (hits.length !== 1) return { ...base, status: "unanchored", outcomes: [], cpuSeconds: 0 };
  const hit = hits[0]!;
  scratch.write(hit.file, replaceAt(scratch.read(hit.file), hit.offset, mutant.snippet, mutant.replacement));
  const outcomes: DetectorOutcome[] = [];
  try {
    for (const detector of mutant.detectors) {
      const outcome = runDetector(scratch.root, detector, detectorTimeoutMs(detector, timeoutSeconds));
      outcomes.push(outcome);
      if (outcome.caught) break;
    }
  } finally {
    scratch.restore();
  }
  const cpuSeconds = outcomes.reduce((sum, o) => sum + o.cpuSeconds, 0);
  const by = outcomes.find((o) => o.caught);
  const status = by === undefined ? "survived" : by.kind === "test" ? "caught-by-test" : "caught";
  return { ...base, status, ...(by !== undefined ? { by } : {}), outcomes, cpuSeconds };
}

function fmt(x: number | undefined): string {
  return x === undefined ? "–" : x.toFixed(1);
}

function line(r: MutantResult): string {
  const by = r.by;
  const what = by === undefined ? (r.outcomes.find((o) => o.error !== undefined)?.error ?? "") : `${by.invariant ?? ""}${by.seed !== undefined ? ` at seed ${by.seed} (${by.seedsRun} seeds)` : ""} in ${fmt(by.cpuSeconds)} CPU-s by ${by.detector}`;
  return `${r.status.padEnd(14)} ${r.id.padEnd(44)} ${what}`;
}

/** Run each distinct simulator detector of `mutants` on the unmutated code: every failing seed is a finding. */
function baseline(mutants: readonly Mutant[], args: MutantsArgs): number {
  const detectors = new Map<string, SimDetector>();
  for (const m of mutants) for (const d of m.detectors) if (d.kind === "sim") detectors.set(detectorCommand(d), d);
  let failed = 0;
  for (const [command, d] of detectors) {
    const r = runBaseline(root, d, detectorTimeoutMs(d, args.timeoutSeconds));
    const failing = "error" in r ? [r.error] : (r.failing ?? []);
    failed += failing.length;
    if (args.json) process.stdout.write(`${JSON.stringify({ detector: command, ...r })}\n`);
    else process.stdout.write(`${command}: ${"error" in r ? r.error : `${r.seedsRun} seeds in ${fmt(r.cpuSeconds)} CPU-s, ${failing.length} failing`}\n${failing.map((f) => `  ${f}\n`).join("")}`);
  }
  return failed === 0 ? 0 : 1;
}

function main(): number {
  let args: MutantsArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const mutants = selectMutants(CATALOGUE, args);
  if (args.checkAnchors) {
    let bad = 0;
    for (const m of mutants) {
      const hits = findAnchor(root, m.pkg, m.snippet);
      if (hits.length !== 1) bad++;
      if (args.json) process.stdout.write(`${JSON.stringify({ id: m.id, anchors: hits.length, files: hits.map((h) => h.file) })}\n`);
      else if (hits.length !== 1) process.stdout.write(`${m.id}: snippet found ${hits.length} times under ${m.pkg}${hits.length > 0 ? ` (${hits.map((h) => h.file).join(", ")})` : ""}\n`);
    }
    const summary = `${mutants.length - bad} of ${mutants.length} snippets found exactly once`;
    process.stdout.write(args.json ? `${JSON.stringify({ summary: true, mutants: mutants.length, badAnchors: bad })}\n` : `${summary}\n`);
    return bad === 0 ? 0 : 1;
  }
  if (args.baseline) return baseline(mutants, args);
  const started = Date.now();
  const scratch = new Scratch(root);
  const results: MutantResult[] = [];
  try {
    for (const m of mutants) {
      const r = hunt(scratch, m, args.timeoutSeconds);
      results.push(r);
      process.stdout.write(args.json ? `${JSON.stringify(r)}\n` : `${line(r)}\n`);
    }
  } finally {
    scratch.dispose();
  }
  const s = score(results);
  const wallSeconds = (Date.now() - started) / 1000;
  if (args.json) process.stdout.write(`${JSON.stringify({ summary: true, ...s, wallSeconds })}\n`);
  else {
    const areas = Object.entries(s.byArea).map(([area, a]) => `${area} ${a.caught}/${a.total}`).join(", ");
    process.stdout.write(`\ncaught ${s.caught}/${s.total} (${areas}); CPU-s to first failure: median ${fmt(s.medianCpuSeconds)}, worst ${fmt(s.worstCpuSeconds)}; ${wallSeconds.toFixed(0)} s wall\n`);
  }
  // The quick subset holds mutants that must be caught: one surviving there is a regression of the checks.
  if (args.quick && s.caught < s.total) return 1;
  return results.some((r) => r.status === "unanchored") ? 1 : 0;
}

process.exitCode = main();
