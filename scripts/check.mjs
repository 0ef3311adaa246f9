#!/usr/bin/env node
// The whole verification gate, as CI runs it (`pnpm check`): type check, tidy, every test, the TLA+ specs,
// the quick mutation subset.
// Ends with one plain totals line, `N passed, N failed, N skipped`, which CI reads.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsFile = join(root, ".ci", "results.json");
let passed = 0;
let failed = 0;
let skipped = 0;

function step(title, command, args, options = {}) {
  const started = Date.now();
  process.stdout.write(`\n=== ${title}: ${command} ${args.join(" ")}\n`);
  const run = spawnSync(command, args, { cwd: root, stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8", env: process.env });
  if (options.capture && run.stdout) process.stdout.write(run.stdout);
  process.stdout.write(`=== ${title}: exit ${run.status ?? run.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return run;
}

// 1. Type check of the whole workspace (one project over every package, test and bench).
const typecheck = step("typecheck", "pnpm", ["exec", "tsc", "-p", "tsconfig.json"]);
if (typecheck.status === 0) passed += 1;
else failed += 1;

// 1b. Tidy: the function-length and line-length ratchet (scripts/tidy.mjs, baseline scripts/tidy-baseline.json).
const tidy = step("tidy", "node", ["scripts/tidy.mjs"]);
if (tidy.status === 0) passed += 1;
else failed += 1;

// 2. Every test (vitest), counted from its JSON report.
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
const tests = step("tests", "pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${resultsFile}`]);
if (existsSync(resultsFile)) {
  const report = JSON.parse(readFileSync(resultsFile, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that fails to load has no failed tests but must still fail the gate.
  for (const file of report.testResults ?? []) if (file.status === "failed" && (file.assertionResults ?? []).length === 0) failed += 1;
} else {
  failed += 1;
}
if (tests.status !== 0 && failed === 0) failed += 1;

// 3. The TLA+ specs: parse, smoke simulation and full model check of every committed config.
const specs = step("specs", "pnpm", ["run", "--silent", "specs", "--json"], { capture: true });
let specLines = 0;
for (const line of (specs.stdout ?? "").split("\n")) {
  if (!line.startsWith("{")) continue;
  let row;
  try {
    row = JSON.parse(line);
  } catch {
    continue;
  }
  if (row.summary) continue;
  specLines += 1;
  if (row.result === "pass") passed += 1;
  else if (typeof row.result === "string" && row.result.startsWith("skipped")) skipped += 1;
  else failed += 1;
}
if (specs.status !== 0 && specLines === 0) failed += 1;

// 4. The quick mutation subset: bugs the simulator must keep catching (mutants/README.md).
const mutants = step("mutants", "pnpm", ["run", "--silent", "mutants", "--quick", "--json"], { capture: true });
if (mutants.status === 0) passed += 1;
else failed += 1;

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
