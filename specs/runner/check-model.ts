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
import { nameTemporalViolation, readTlcOutcome, type TlcOutcome, type Violation } from "./tlc-outcome.js";
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

/** Each stage's wall time and their running total, in seconds (0.1 s resolution). */
class StageClock {
  readonly stageSeconds: { parse?: number; smoke?: number; full?: number } = {};
  private total = 0;

  /** Record a finished stage's process time. */
  add(stage: "parse" | "smoke" | "full", result: ProcessResult): void {
    this.stageSeconds[stage] = Math.round(result.seconds * 10) / 10;
    this.total += result.seconds;
  }

  /** @returns the time of all stages so far, rounded to 0.1 s */
  get seconds(): number {
    return Math.round(this.total * 10) / 10;
  }
}

/** One model's check in progress: what every stage needs, and the clock of the stages run so far. */
interface CheckRun {
  readonly model: SpecModel;
  readonly tlc: TlcInvocation;
  readonly options: CheckOptions;
  readonly run: typeof runProcess;
  /** This check's fresh temporary folder: TLC's metadirs, java.io.tmpdir and the dumped traces. */
  readonly metaRoot: string;
  readonly base: { readonly spec: string; readonly config: string };
  readonly clock: StageClock;
}

/** What the smoke simulation found, and the notes so far (later stages add to them). */
interface SmokeStage {
  readonly outcome: TlcOutcome;
  readonly status: StageStatus;
  readonly violation: Violation | undefined;
  readonly found: FoundViolation | undefined;
  readonly notes: string[];
  readonly versionField: { tlcVersion?: string };
}

/** What the full model check found. */
interface FullStage {
  readonly timedOut: boolean;
  readonly outcome: TlcOutcome;
  readonly violation: Violation | undefined;
  readonly figures: Pick<ModelResult, "statesGenerated" | "distinctStates" | "depth">;
}

const NOT_RUN: ModelResult["stages"] = { parse: "not run", smoke: "not run", full: "not run" };

/** TLC and SANY unpack the standard modules into java.io.tmpdir: give each check its own. */
function javaTmp(c: CheckRun): string {
  return `-Djava.io.tmpdir=${c.metaRoot}`;
}

/** The java arguments of one TLC run of the model, with its own metadir. */
function tlcArgs(c: CheckRun, metadir: string, extra: readonly string[]): string[] {
  return [
    javaTmp(c), "-XX:+UseParallelGC", "-cp", c.tlc.jar, "tlc2.TLC", "-tool", "-cleanup", "-metadir", metadir,
    ...extra, "-config", c.model.config, c.model.module,
  ];
}

/** The command that runs TLC again with `extra`, from the repository root. */
function reproduceCommand(c: CheckRun, extra: readonly string[]): string {
  return `cd specs/${c.model.protocol} && java -XX:+UseParallelGC -cp ${c.tlc.jar} tlc2.TLC ${extra.join(" ")} -config ${c.model.config} ${c.model.module}`;
}

/** TLC's arguments to write a stage's counterexample as JSON into the check's folder. */
function dumpTrace(c: CheckRun, stage: "smoke" | "full"): string[] {
  return ["-dumpTrace", "json", join(c.metaRoot, `${stage}-trace.json`)];
}

/**
 * The SANY parse.
 * @returns the row when the check ends here (a parse error, or `parseOnly`), else undefined
 */
async function parseStage(c: CheckRun): Promise<ModelResult | undefined> {
  const parse = await c.run(c.tlc.java, [javaTmp(c), "-cp", c.tlc.jar, "tla2sany.SANY", c.model.module], {
    cwd: c.model.dir,
    timeoutMs: c.options.parseTimeoutMs,
  });
  c.clock.add("parse", parse);
  const { seconds, stageSeconds } = c.clock;
  const parseProblem = sanyError(parse);
  if (parseProblem !== undefined) {
    const stages = { ...NOT_RUN, parse: "error" } as const;
    return { ...c.base, result: "error", reason: `SANY: ${parseProblem}`, checks: ["parse"], stages, seconds, stageSeconds, notes: [] };
  }
  if (c.options.parseOnly) {
    const stages = { ...NOT_RUN, parse: "ok" } as const;
    return { ...c.base, result: "pass", checks: ["parse"], stages, seconds, stageSeconds, notes: ["parse only"] };
  }
  return undefined;
}

/** The seeded TLC simulation (one worker), with its violation named and described. */
async function smokeStage(c: CheckRun, cfgProperties: readonly string[]): Promise<SmokeStage> {
  const { options } = c;
  const smokeExtra = [
    "-workers", "1", "-simulate", `num=${options.smokeTraces}`, "-depth", String(options.smokeDepth), "-seed", String(options.smokeSeed),
  ];
  const smokeRun = await c.run(c.tlc.java, tlcArgs(c, join(c.metaRoot, "smoke"), [...smokeExtra, ...dumpTrace(c, "smoke")]), {
    cwd: c.model.dir,
    timeoutMs: options.smokeTimeoutMs,
  });
  c.clock.add("smoke", smokeRun);
  const outcome = readTlcOutcome(smokeRun.output, smokeRun.exitCode);
  const violation = outcome.violation ? nameTemporalViolation(outcome.violation, cfgProperties) : undefined;
  const status = stageOf(outcome, smokeRun.timedOut);
  const notes: string[] = [];
  const versionField = outcome.version !== undefined ? { tlcVersion: outcome.version } : {};
  if (status === "stopped") {
    notes.push(`smoke simulation (seed ${options.smokeSeed}) stopped after ${Math.round(smokeRun.seconds)} s without finding a violation`);
  }
  const found: FoundViolation | undefined = violation && withStates(
    describeViolation(c.model.dir, violation, { stage: "smoke", seed: options.smokeSeed, reproduce: reproduceCommand(c, smokeExtra) }, c.model.module),
    join(c.metaRoot, "smoke-trace.json"),
  );
  return { outcome, status, violation, found, notes, versionField };
}

/** The row of a violation the smoke simulation found (the full check, if it ran, did not reproduce it). */
function smokeFailure(
  c: CheckRun,
  smoke: SmokeStage,
  extraNotes: readonly string[],
  fullStage: StageStatus,
  figures: FullStage["figures"] = {},
): ModelResult {
  const { violation, found, outcome } = smoke;
  if (!violation || !found) throw new Error("smokeFailure without a violation");
  return {
    ...c.base, ...figures, ...smoke.versionField, result: "fail", reason: violation.message,
    checks: c.options.full ? ["parse", "smoke", "full"] : ["parse", "smoke"],
    stages: { parse: "ok", smoke: "violation", full: fullStage }, seconds: c.clock.seconds, stageSeconds: c.clock.stageSeconds,
    notes: [...smoke.notes, `found by the smoke simulation with seed ${c.options.smokeSeed}; reproduce: ${found.reproduce}`, ...extraNotes],
    violation: { kind: violation.kind, stage: "smoke", ...(violation.property ? { property: violation.property } : {}) },
    violations: [found],
    counterexample: found.counterexample,
    ...(outcome.statesGenerated !== undefined && figures.statesGenerated === undefined ? { statesGenerated: outcome.statesGenerated } : {}),
  };
}

/** @returns the row when the check ends after the smoke simulation (its violation or error, or no full check), else undefined */
function afterSmoke(c: CheckRun, smoke: SmokeStage): ModelResult | undefined {
  const { base, clock, options } = c;
  const { outcome, status, notes, versionField } = smoke;
  if (smoke.violation && !options.full) return smokeFailure(c, smoke, [], "not run");
  if (status === "error") {
    return {
      ...base, ...versionField, result: "error", reason: `smoke simulation: ${outcome.errors.join(" | ")}`, checks: ["parse", "smoke"],
      stages: { parse: "ok", smoke: "error", full: "not run" }, seconds: clock.seconds, stageSeconds: clock.stageSeconds, notes,
    };
  }
  if (!options.full) {
    notes.push("full model check not run (--no-full)");
    return {
      ...base, ...versionField, result: "pass", checks: ["parse", "smoke"], stages: { parse: "ok", smoke: status, full: "not run" },
      seconds: clock.seconds, stageSeconds: clock.stageSeconds, notes,
      ...(outcome.statesGenerated !== undefined ? { statesGenerated: outcome.statesGenerated } : {}),
    };
  }
  return undefined;
}

/** The full breadth-first model check, its progress lines passed on. */
async function fullStage(c: CheckRun, cfgProperties: readonly string[]): Promise<FullStage> {
  const fullExtra = ["-workers", String(c.options.workers)];
  const onStdout = c.tlc.progress && progressLines(`${c.model.protocol}/${c.model.config}`, c.tlc.progress);
  const fullRun = await c.run(c.tlc.java, tlcArgs(c, join(c.metaRoot, "full"), [...fullExtra, ...dumpTrace(c, "full")]), {
    cwd: c.model.dir,
    timeoutMs: c.options.fullTimeoutMs,
    ...(onStdout ? { onStdout } : {}),
  });
  c.clock.add("full", fullRun);
  const outcome = readTlcOutcome(fullRun.output, fullRun.exitCode);
  const violation = outcome.violation ? nameTemporalViolation(outcome.violation, cfgProperties) : undefined;
  const figures = {
    ...(outcome.statesGenerated !== undefined ? { statesGenerated: outcome.statesGenerated } : {}),
    ...(outcome.distinctStates !== undefined ? { distinctStates: outcome.distinctStates } : {}),
    ...(outcome.depth !== undefined ? { depth: outcome.depth } : {}),
  };
  return { timedOut: fullRun.timedOut, outcome, violation, figures };
}

/** The row of a violation the full check found; a different one the smoke simulation found is kept beside it. */
function fullFailure(c: CheckRun, smoke: SmokeStage, full: FullStage, violation: Violation): ModelResult {
  const { options } = c;
  const notes = smoke.notes;
  const shortest = String(options.workers) === "1"
    ? "breadth-first with one worker: a shortest counterexample"
    : `breadth-first with ${options.workers} workers: short, but only \`--workers 1\` guarantees a shortest one`;
  const fullFound = withStates(
    describeViolation(c.model.dir, violation, { stage: "full", reproduce: reproduceCommand(c, ["-workers", "1"]) }, c.model.module),
    join(c.metaRoot, "full-trace.json"),
  );
  notes.push(`the trace shown is the full check's (${shortest})`);
  const smokeFound = smoke.found;
  if (smokeFound) {
    notes.push(
      smokeFound.property === fullFound.property && smokeFound.kind === fullFound.kind
        ? `the smoke simulation (seed ${options.smokeSeed}) found the same property violated first`
        : `the smoke simulation (seed ${options.smokeSeed}) found another violation: ${smokeFound.message} ` +
          `(its trace is in "violations"; reproduce: ${smokeFound.reproduce})`,
    );
  }
  return {
    ...c.base, ...full.figures, ...smoke.versionField, result: "fail", reason: violation.message, checks: ["parse", "smoke", "full"],
    stages: { parse: "ok", smoke: smoke.status, full: "violation" }, seconds: c.clock.seconds, stageSeconds: c.clock.stageSeconds, notes,
    violation: { kind: violation.kind, stage: "full", ...(violation.property ? { property: violation.property } : {}) },
    violations: smokeFound ? [fullFound, smokeFound] : [fullFound],
    counterexample: fullFound.counterexample,
  };
}

/** @returns the row when the full check found a violation or could not finish (else undefined: compare its counts) */
function afterFull(c: CheckRun, smoke: SmokeStage, full: FullStage): ModelResult | undefined {
  const { outcome, timedOut, figures } = full;
  if (smoke.violation && !full.violation) {
    // The full check did not reproduce what the simulation found (it timed out or failed): keep the simulation's trace.
    const why = timedOut ? "it timed out" : outcome.status === "ok" ? "it passed" : outcome.errors.join(" | ");
    const note = `the full check did not reproduce it (${why}); the trace is the smoke simulation's`;
    return smokeFailure(c, smoke, [note], timedOut || outcome.status !== "ok" ? "error" : "ok", figures);
  }
  if (full.violation) return fullFailure(c, smoke, full, full.violation);
  if (outcome.status !== "ok" || timedOut) {
    const why = timedOut ? `full check did not finish within ${c.options.fullTimeoutMs / 1000} s` : `full check: ${outcome.errors.join(" | ")}`;
    return {
      ...c.base, ...figures, ...smoke.versionField, result: "error", reason: why, checks: ["parse", "smoke", "full"],
      stages: { parse: "ok", smoke: smoke.status, full: "error" }, seconds: c.clock.seconds, stageSeconds: c.clock.stageSeconds, notes: smoke.notes,
    };
  }
  return undefined;
}

/** The row of a clean full check: its counts and properties pin compared with verification_summary.md. */
function comparedWithSummary(c: CheckRun, smoke: SmokeStage, full: FullStage, checked: NonNullable<ModelResult["checked"]>): ModelResult {
  const { model, options } = c;
  const notes = smoke.notes;
  const expected = parseExpectedCounts(readSummary(model.dir)).get(model.config);
  const comparison = compareExpectedCounts(expected, { ...full.outcome, properties: checked.hash }, String(options.workers) === "1");
  const expectedField = expected
    ? { expected: { distinct: expected.distinct, depth: expected.depth, ...(expected.properties ? { properties: expected.properties } : {}) } }
    : {};
  const head = { ...c.base, ...full.figures, ...smoke.versionField, checked, ...expectedField };
  const tail = {
    checks: ["parse", "smoke", "full"] as const,
    stages: { parse: "ok", smoke: smoke.status, full: "ok" } as const,
    seconds: c.clock.seconds,
    stageSeconds: c.clock.stageSeconds,
  };
  if (comparison.status === "changed") return { ...head, result: "changed", reason: comparison.message, ...tail, notes };
  if (comparison.status === "match" && comparison.note !== undefined) notes.push(comparison.note);
  if (comparison.status === "missing") notes.push(`no "expected: ${model.config} distinct=… depth=…" line in verification_summary.md`);
  if (comparison.status === "match") {
    const pinned = expected?.properties ? `, properties ${expected.properties}` : "";
    notes.push(`counts match verification_summary.md (distinct ${expected?.distinct ?? "?"}, depth ${expected?.depth ?? "?"}${pinned})`);
  }
  return { ...head, result: "pass", ...tail, notes };
}

/** The stages of one check, in order, each returning its row when the check ends there. */
async function checkStages(c: CheckRun): Promise<ModelResult> {
  const parsed = await parseStage(c);
  if (parsed) return parsed;
  const checked = checkedNames(readFileSync(join(c.model.dir, c.model.config), "utf8"));
  const pin = propertiesHash(checked, c.model.dir, c.model.module);
  const smoke = await smokeStage(c, checked.properties);
  const smokeRow = afterSmoke(c, smoke);
  if (smokeRow) return smokeRow;
  const full = await fullStage(c, checked.properties);
  return afterFull(c, smoke, full) ?? comparedWithSummary(c, smoke, full, { ...checked, hash: pin });
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
  const base = { spec: model.protocol, config: model.config };
  if (model.problem) {
    return { ...base, result: "error", reason: model.problem, checks: [], stages: NOT_RUN, seconds: 0, notes: [] };
  }
  const metaRoot = mkdtempSync(join(tmpdir(), "synod-tlc-"));
  const unregister = registerTempDir(metaRoot);
  try {
    return await checkStages({ model, tlc, options, run: tlc.run ?? runProcess, metaRoot, base, clock: new StageClock() });
  } finally {
    rmSync(metaRoot, { recursive: true, force: true });
    unregister();
  }
}
