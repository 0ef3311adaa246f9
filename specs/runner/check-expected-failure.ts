import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkedNames, rewriteCfg } from "./cfg-rewrite.js";
import type { CheckOptions } from "./check-options.js";
import type { TlcInvocation } from "./check-model.js";
import { renderCounterexample } from "./counterexample.js";
import type { ExpectedFailure } from "./expected-failures.js";
import { describeViolation } from "./found-violation.js";
import { runProcess } from "./java-process.js";
import type { ModelResult } from "./model-result.js";
import { registerTempDir } from "./interrupt-cleanup.js";
import { nameTemporalViolation, readTlcOutcome } from "./tlc-outcome.js";

/**
 * Build the folder TLC checks for an expected failure: a copy of the spec folder's `.tla` and
 * `.cfg` files with the edits applied and the cfg rewritten.
 * @param specDir - the committed spec folder (never written to)
 * @param check - the expected failure
 * @param into - an empty folder to fill
 * @throws {Error} when an edit's text does not occur exactly once (the spec moved on: update the file)
 */
export function buildCheckFolder(specDir: string, check: ExpectedFailure, into: string): void {
  for (const file of readdirSync(specDir)) {
    if (file.endsWith(".tla") || file.endsWith(".cfg")) copyFileSync(join(specDir, file), join(into, file));
  }
  for (const edit of check.edits) {
    const path = join(into, edit.file);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new Error(`edit of ${edit.file}: no such file in the spec folder`);
    }
    const occurrences = text.split(edit.find).length - 1;
    if (occurrences !== 1) {
      const excerpt = JSON.stringify(edit.find.slice(0, 80));
      throw new Error(`edit of ${edit.file}: the text to replace occurs ${occurrences} times (must be exactly once): ${excerpt}`);
    }
    writeFileSync(path, text.replace(edit.find, () => edit.replace));
  }
  const cfgPath = join(into, check.config);
  const cfg = readFileSync(cfgPath, "utf8");
  writeFileSync(cfgPath, rewriteCfg(cfg, {
    ...(check.invariants || check.properties ? { invariants: check.invariants ?? [], properties: check.properties ?? [] } : {}),
    ...(check.constants ? { constants: check.constants } : {}),
  }));
}

/** Why TLC finding nothing fails an expected failure: the state it rules out is never reached, or the planted bug survived. */
function whyNothingFound(check: ExpectedFailure): string {
  return check.kind === "reachability"
    ? `the model never reaches the state ${check.mustViolate} rules out: the invariants may be vacuous (${check.why})`
    : `the planted bug survived: ${check.why}`;
}

/**
 * Run one expected failure: breadth-first TLC with one worker on the derived folder. It passes
 * only when TLC reports `mustViolate` violated; finding nothing, or another property, fails.
 * @param protocol - the spec folder's name
 * @param specDir - its path
 * @param check - the expected failure
 * @param tlc - jar and java
 * @param options - timeouts
 * @returns a report row (config `<cfg>`, with the `expectedFailure` field set)
 */
export async function checkExpectedFailure(
  protocol: string,
  specDir: string,
  check: ExpectedFailure,
  tlc: TlcInvocation,
  options: CheckOptions,
): Promise<ModelResult> {
  const run = tlc.run ?? runProcess;
  const base = {
    spec: protocol, config: check.config, checks: ["full"] as const,
    expectedFailure: { name: check.name, kind: check.kind, mustViolate: check.mustViolate, why: check.why, deep: check.deep },
  };
  const notRun = { parse: "not run", smoke: "not run", full: "not run" } as const;
  const root = mkdtempSync(join(tmpdir(), "synod-tlc-"));
  const unregister = registerTempDir(root);
  try {
    const folder = join(root, "spec");
    mkdirSync(folder);
    try {
      buildCheckFolder(specDir, check, folder);
    } catch (error) {
      return { ...base, result: "error", reason: error instanceof Error ? error.message : String(error), stages: notRun, seconds: 0, notes: [] };
    }
    const module = check.config.replace(/\.cfg$/, ".tla");
    const result = await run(
      tlc.java,
      [`-Djava.io.tmpdir=${root}`, "-XX:+UseParallelGC", "-cp", tlc.jar, "tlc2.TLC", "-tool", "-cleanup", "-metadir", join(root, "meta"),
        "-workers", "1", "-config", check.config, module],
      { cwd: folder, timeoutMs: options.fullTimeoutMs },
    );
    const seconds = Math.round(result.seconds * 10) / 10;
    const outcome = readTlcOutcome(result.output, result.exitCode);
    const figures = {
      ...(outcome.statesGenerated !== undefined ? { statesGenerated: outcome.statesGenerated } : {}),
      ...(outcome.distinctStates !== undefined ? { distinctStates: outcome.distinctStates } : {}),
      ...(outcome.depth !== undefined ? { depth: outcome.depth } : {}),
    };
    const stageSeconds = { full: seconds };
    if (outcome.violation) {
      const violation = nameTemporalViolation(outcome.violation, checkedNames(readFileSync(join(folder, check.config), "utf8")).properties);
      const found = violation.property;
      const steps = Math.max(0, violation.trace.length);
      if (found === check.mustViolate) {
        return {
          ...base, ...figures, result: "pass", stages: { ...notRun, full: "violation" }, seconds, stageSeconds,
          notes: [`${check.mustViolate} violated as expected (${steps}-state counterexample)`],
          violation: { kind: violation.kind, stage: "full", property: found },
        };
      }
      return {
        ...base, ...figures, result: "fail", stages: { ...notRun, full: "violation" }, seconds, stageSeconds, notes: [],
        reason: `expected ${check.mustViolate} to be violated, but TLC reported ${found ?? violation.message}`,
        violation: { kind: violation.kind, stage: "full", ...(found ? { property: found } : {}) },
        violations: [
          describeViolation(folder, violation, { stage: "full", reproduce: `pnpm specs expected ${protocol} --deep (check ${check.name})` }, module),
        ],
        counterexample: renderCounterexample(violation),
      };
    }
    if (outcome.status === "ok" && !result.timedOut) {
      const reason = `expected ${check.mustViolate} to be violated, but TLC found nothing; ${whyNothingFound(check)}`;
      return { ...base, ...figures, result: "fail", reason, stages: { ...notRun, full: "ok" }, seconds, stageSeconds, notes: [] };
    }
    const why = result.timedOut ? `TLC did not finish within ${options.fullTimeoutMs / 1000} s` : outcome.errors.join(" | ");
    return { ...base, ...figures, result: "error", reason: why, stages: { ...notRun, full: "error" }, seconds, stageSeconds, notes: [] };
  } finally {
    rmSync(root, { recursive: true, force: true });
    unregister();
  }
}
