import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckOptions } from "./check-options.js";
import { describeViolation } from "./found-violation.js";
import { readJsonTrace } from "./json-trace.js";
import type { SpecModel } from "./discovery.js";
import { compareExpectedCounts, parseExpectedCounts } from "./expected.js";
import { registerTempDir } from "./interrupt-cleanup.js";
import { runProcess, type ProcessResult } from "./java-process.js";
import type { FoundViolation, ModelResult, StageStatus } from "./model-result.js";
import { nameTemporalViolation, readTlcOutcome, type TlcOutcome } from "./tlc-outcome.js";
import { checkedNames } from "./cfg-rewrite.js";
import { propertiesHash } from "./property-definitions.js";

/** The Java side of a check: where TLC is and how to start it (tests may substitute the process runner). */
export interface TlcInvocation {
  readonly jar: string;
  readonly java: string;
  readonly run?: typeof runProcess;
  /** Where TLC's progress lines go while a full check runs (stderr; absent: not shown). */
  readonly progress?: (line: string) => void;
}

const SANY_ERROR = /\*\*\*Parse Error\*\*\*|Semantic errors|Fatal errors|Could not parse|Lexical error/;

/**
 * Did SANY accept the module?
 * @param result - the SANY process result
 * @returns undefined when it parsed, else the error text (the lines around the first error)
 */
export function sanyError(result: ProcessResult): string | undefined {
  if (result.timedOut) return "SANY did not finish in time";
  if (result.exitCode === 0 && !SANY_ERROR.test(result.output)) return undefined;
  const lines = result.output.split("\n");
  const at = lines.findIndex((l) => SANY_ERROR.test(l));
  const excerpt = lines.slice(Math.max(0, at), Math.max(0, at) + 12).join("\n").trim();
  // SANY names the file it failed in on its own lines ("Could not parse module B from file B.tla",
  // or the last "Parsing file …" before the error); a module that EXTENDS a broken one is not at fault.
  const couldNot = /Could not parse module \S+ from file (\S+)/.exec(result.output)?.[1];
  const parsing = lines.slice(0, Math.max(0, at)).reverse().find((l) => l.startsWith("Parsing file "));
  const inModule = /of module (\S+)/.exec(excerpt)?.[1];
  const file = couldNot ?? (at >= 0 && /Parse Error|Lexical error/.test(lines[at] ?? "") ? parsing?.slice("Parsing file ".length).split(" ")[0]?.split("/").at(-1) : undefined)
    ?? (inModule !== undefined ? `${inModule}.tla` : undefined);
  const body = excerpt || `SANY exited with code ${result.exitCode ?? "null"}`;
  return file !== undefined ? `in ${file}: ${body}` : body;
}

/** Pass TLC's "Progress(…)" lines (about one a minute) to `sink` as they arrive. */
function progressLines(label: string, sink: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("Progress(")) sink(`specs:   ${label}: ${line.trim()}`);
  };
}

/** Add the counterexample as data (TLC's -dumpTrace json) when TLC wrote it. */
function withStates(found: FoundViolation, traceFile: string): FoundViolation {
  const states = readJsonTrace(traceFile);
  return states ? { ...found, states } : found;
}

function stageOf(outcome: TlcOutcome, timedOut: boolean): StageStatus {
  if (outcome.status === "violation") return "violation";
  if (timedOut) return "stopped";
  return outcome.status === "ok" ? "ok" : "error";
}

function readSummary(dir: string): string {
  const path = join(dir, "verification_summary.md");
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

/**
 * Check one model: SANY parse → TLC smoke simulation → full TLC model check (unless `options.full`
 * is false), then compare the full check's counts with verification_summary.md. Every TLC run uses
 * a fresh temporary `-metadir`, removed afterwards, so nothing lands in the repository.
 * @param model - the model to check
 * @param tlc - the jar and java to use
 * @param options - stages, workers, bounds
 * @returns the row for the report; it says "pass" only for stages that really ran and found nothing
 */
export async function checkModel(model: SpecModel, tlc: TlcInvocation, options: CheckOptions): Promise<ModelResult> {
  const run = tlc.run ?? runProcess;
  const base = { spec: model.protocol, config: model.config };
  const notRun: ModelResult["stages"] = { parse: "not run", smoke: "not run", full: "not run" };
  if (model.problem) {
    return { ...base, result: "error", reason: model.problem, checks: [], stages: notRun, seconds: 0, notes: [] };
  }
  const metaRoot = mkdtempSync(join(tmpdir(), "synod-tlc-"));
  const unregister = registerTempDir(metaRoot);
  let total = 0;
  const stageSeconds: { parse?: number; smoke?: number; full?: number } = {};
  const timed = (stage: "parse" | "smoke" | "full", result: ProcessResult): void => {
    stageSeconds[stage] = Math.round(result.seconds * 10) / 10;
    total += result.seconds;
  };
  try {
    // TLC and SANY unpack the standard modules into java.io.tmpdir: give each run its own.
    const javaTmp = `-Djava.io.tmpdir=${metaRoot}`;
    const parse = await run(tlc.java, [javaTmp, "-cp", tlc.jar, "tla2sany.SANY", model.module], { cwd: model.dir, timeoutMs: options.parseTimeoutMs });
    timed("parse", parse);
    let seconds = Math.round(total * 10) / 10;
    const parseProblem = sanyError(parse);
    if (parseProblem !== undefined) {
      return { ...base, result: "error", reason: `SANY: ${parseProblem}`, checks: ["parse"], stages: { ...notRun, parse: "error" }, seconds, stageSeconds, notes: [] };
    }
    if (options.parseOnly) {
      return { ...base, result: "pass", checks: ["parse"], stages: { ...notRun, parse: "ok" }, seconds, stageSeconds, notes: ["parse only"] };
    }
    const tlcArgs = (metadir: string, extra: readonly string[]): string[] => [
      javaTmp, "-XX:+UseParallelGC", "-cp", tlc.jar, "tlc2.TLC", "-tool", "-cleanup", "-metadir", metadir,
      ...extra, "-config", model.config, model.module,
    ];
    const checked = checkedNames(readFileSync(join(model.dir, model.config), "utf8"));
    const cfgProperties = checked.properties;
    const pin = propertiesHash(checked, model.dir);
    const checkedField = { checked: { ...checked, hash: pin } };
    const reproduce = (extra: readonly string[]): string =>
      `cd specs/${model.protocol} && java -XX:+UseParallelGC -cp ${tlc.jar} tlc2.TLC ${extra.join(" ")} -config ${model.config} ${model.module}`;
    const smokeExtra = ["-workers", "1", "-simulate", `num=${options.smokeTraces}`, "-depth", String(options.smokeDepth), "-seed", String(options.smokeSeed)];
    const dump = (stage: string): string[] => ["-dumpTrace", "json", join(metaRoot, `${stage}-trace.json`)];
    const smokeRun = await run(tlc.java, tlcArgs(join(metaRoot, "smoke"), [...smokeExtra, ...dump("smoke")]), { cwd: model.dir, timeoutMs: options.smokeTimeoutMs });
    timed("smoke", smokeRun);
    seconds = Math.round(total * 10) / 10;
    const smoke = readTlcOutcome(smokeRun.output, smokeRun.exitCode);
    const smokeViolation = smoke.violation ? nameTemporalViolation(smoke.violation, cfgProperties) : undefined;
    const smokeStatus = stageOf(smoke, smokeRun.timedOut);
    const notes: string[] = [];
    const version = smoke.version;
    const versionField = version !== undefined ? { tlcVersion: version } : {};
    if (smokeStatus === "stopped") notes.push(`smoke simulation (seed ${options.smokeSeed}) stopped after ${Math.round(smokeRun.seconds)} s without finding a violation`);
    const smokeFound: FoundViolation | undefined = smokeViolation &&
      withStates(describeViolation(model.dir, smokeViolation, { stage: "smoke", seed: options.smokeSeed, reproduce: reproduce(smokeExtra) }), join(metaRoot, "smoke-trace.json"));
    const smokeFailure = (extraNotes: readonly string[], fullStage: StageStatus, figures: Partial<ModelResult> = {}): ModelResult => {
      if (!smokeViolation || !smokeFound) throw new Error("smokeFailure without a violation");
      return {
        ...base, ...figures, ...versionField, result: "fail", reason: smokeViolation.message, checks: options.full ? ["parse", "smoke", "full"] : ["parse", "smoke"],
        stages: { parse: "ok", smoke: "violation", full: fullStage }, seconds: Math.round(total * 10) / 10, stageSeconds,
        notes: [...notes, `found by the smoke simulation with seed ${options.smokeSeed}; reproduce: ${smokeFound.reproduce}`, ...extraNotes],
        violation: { kind: smokeViolation.kind, stage: "smoke", ...(smokeViolation.property ? { property: smokeViolation.property } : {}) },
        violations: [smokeFound],
        counterexample: smokeFound.counterexample,
        ...(smoke.statesGenerated !== undefined && figures.statesGenerated === undefined ? { statesGenerated: smoke.statesGenerated } : {}),
      };
    };
    if (smokeViolation && !options.full) return smokeFailure([], "not run");
    if (smokeStatus === "error") {
      return {
        ...base, ...versionField, result: "error", reason: `smoke simulation: ${smoke.errors.join(" | ")}`, checks: ["parse", "smoke"],
        stages: { parse: "ok", smoke: "error", full: "not run" }, seconds, stageSeconds, notes,
      };
    }
    if (!options.full) {
      notes.push("full model check not run (--no-full)");
      return {
        ...base, ...versionField, result: "pass", checks: ["parse", "smoke"], stages: { parse: "ok", smoke: smokeStatus, full: "not run" }, seconds, stageSeconds, notes,
        ...(smoke.statesGenerated !== undefined ? { statesGenerated: smoke.statesGenerated } : {}),
      };
    }
    const fullExtra = ["-workers", String(options.workers)];
    const onStdout = tlc.progress && progressLines(`${model.protocol}/${model.config}`, tlc.progress);
    const fullRun = await run(tlc.java, tlcArgs(join(metaRoot, "full"), [...fullExtra, ...dump("full")]), { cwd: model.dir, timeoutMs: options.fullTimeoutMs, ...(onStdout ? { onStdout } : {}) });
    timed("full", fullRun);
    seconds = Math.round(total * 10) / 10;
    const full = readTlcOutcome(fullRun.output, fullRun.exitCode);
    const fullViolation = full.violation ? nameTemporalViolation(full.violation, cfgProperties) : undefined;
    const figures = {
      ...(full.statesGenerated !== undefined ? { statesGenerated: full.statesGenerated } : {}),
      ...(full.distinctStates !== undefined ? { distinctStates: full.distinctStates } : {}),
      ...(full.depth !== undefined ? { depth: full.depth } : {}),
    };
    const checks = ["parse", "smoke", "full"] as const;
    if (smokeViolation && !fullViolation) {
      // The full check did not reproduce what the simulation found (it timed out or failed): keep the simulation's trace.
      const why = fullRun.timedOut ? "it timed out" : full.status === "ok" ? "it passed" : full.errors.join(" | ");
      return smokeFailure([`the full check did not reproduce it (${why}); the trace is the smoke simulation's`], fullRun.timedOut || full.status !== "ok" ? "error" : "ok", figures);
    }
    if (fullViolation) {
      const shortest = String(options.workers) === "1"
        ? "breadth-first with one worker: a shortest counterexample"
        : `breadth-first with ${options.workers} workers: short, but only \`--workers 1\` guarantees a shortest one`;
      const fullFound = withStates(describeViolation(model.dir, fullViolation, { stage: "full", reproduce: reproduce(["-workers", "1"]) }), join(metaRoot, "full-trace.json"));
      notes.push(`the trace shown is the full check's (${shortest})`);
      if (smokeFound) {
        notes.push(
          smokeFound.property === fullFound.property && smokeFound.kind === fullFound.kind
            ? `the smoke simulation (seed ${options.smokeSeed}) found the same property violated first`
            : `the smoke simulation (seed ${options.smokeSeed}) found another violation: ${smokeFound.message} (its trace is in "violations"; reproduce: ${smokeFound.reproduce})`,
        );
      }
      const violations = smokeFound ? [fullFound, smokeFound] : [fullFound];
      return {
        ...base, ...figures, ...versionField, result: "fail", reason: fullViolation.message, checks,
        stages: { parse: "ok", smoke: smokeStatus, full: "violation" }, seconds, stageSeconds, notes,
        violation: { kind: fullViolation.kind, stage: "full", ...(fullViolation.property ? { property: fullViolation.property } : {}) },
        violations,
        counterexample: fullFound.counterexample,
      };
    }
    if (full.status !== "ok" || fullRun.timedOut) {
      const why = fullRun.timedOut ? `full check did not finish within ${options.fullTimeoutMs / 1000} s` : `full check: ${full.errors.join(" | ")}`;
      return { ...base, ...figures, ...versionField, result: "error", reason: why, checks, stages: { parse: "ok", smoke: smokeStatus, full: "error" }, seconds, stageSeconds, notes };
    }
    const expected = parseExpectedCounts(readSummary(model.dir)).get(model.config);
    const comparison = compareExpectedCounts(expected, { ...full, properties: pin }, String(options.workers) === "1");
    const expectedField = expected ? { expected: { distinct: expected.distinct, depth: expected.depth, ...(expected.properties ? { properties: expected.properties } : {}) } } : {};
    const stages = { parse: "ok", smoke: smokeStatus, full: "ok" } as const;
    if (comparison.status === "changed") {
      return { ...base, ...figures, ...versionField, ...checkedField, ...expectedField, result: "changed", reason: comparison.message, checks, stages, seconds, stageSeconds, notes };
    }
    if (comparison.status === "match" && comparison.note !== undefined) notes.push(comparison.note);
    if (comparison.status === "missing") notes.push(`no "expected: ${model.config} distinct=… depth=…" line in verification_summary.md`);
    if (comparison.status === "match") {
      notes.push(`counts match verification_summary.md (distinct ${expected?.distinct ?? "?"}, depth ${expected?.depth ?? "?"}${expected?.properties ? `, properties ${expected.properties}` : ""})`);
    }
    return { ...base, ...figures, ...versionField, ...checkedField, ...expectedField, result: "pass", checks, stages, seconds, stageSeconds, notes };
  } finally {
    rmSync(metaRoot, { recursive: true, force: true });
    unregister();
  }
}
