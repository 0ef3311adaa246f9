import { join } from "node:path";
import { parseRunnerArgs, USAGE, UsageError, type RunnerArgs } from "./args.js";
import { checkExpectedFailure } from "./check-expected-failure.js";
import { checkModel, type TlcInvocation } from "./check-model.js";
import { discoverModels, type SpecModel } from "./discovery.js";
import { readExpectedFailures, type ExpectedFailure } from "./expected-failures.js";
import type { ModelResult } from "./model-result.js";
import { EXIT, formatJsonLines, formatTable, summarize } from "./report.js";
import { locateTlc, type LocateEnv, type TlcTools } from "./tlc-locate.js";

/** Everything the runner touches, injectable for tests. */
export interface RunnerIo {
  readonly argv: readonly string[];
  readonly env: LocateEnv & { readonly SYNOD_REQUIRE_TLC?: string | undefined };
  /**
   * Whether stderr progress lines are wanted: true, a line as each check starts and ends and TLC's
   * own progress; false, none. Default: true without --json; with --json one line per check as it ends.
   */
  readonly progress?: boolean;
  /** The specs/ folder. */
  readonly specsRoot: string;
  /** Where results go (stdout). */
  readonly out: (line: string) => void;
  /** Where progress and problems go (stderr). */
  readonly err: (line: string) => void;
  /** Finds TLC (default: {@link locateTlc}). */
  readonly locate?: (env: LocateEnv) => Promise<TlcTools>;
  /** Overrides the process runner of each check (tests). */
  readonly run?: TlcInvocation["run"];
}

function skippedRow(model: SpecModel, reason: string): ModelResult {
  return {
    spec: model.protocol, config: model.config, result: "skipped", reason, checks: [],
    stages: { parse: "not run", smoke: "not run", full: "not run" }, seconds: 0, notes: [],
  };
}

/** An expected failure to run, with the spec folder it belongs to. */
interface FailureToRun {
  readonly protocol: string;
  readonly dir: string;
  readonly check: ExpectedFailure;
}

/** The expected failures to run: per protocol of the models, non-deep ones unless `deep`. */
function expectedFailuresOf(specsRoot: string, models: readonly SpecModel[], deep: boolean): FailureToRun[] {
  const protocols = [...new Set(models.map((m) => m.protocol))];
  return protocols.flatMap((protocol) => {
    const dir = join(specsRoot, protocol);
    return readExpectedFailures(dir).filter((c) => deep || !c.deep).map((check) => ({ protocol, dir, check }));
  });
}

/** What the command line asks for: the parsed arguments, the models found, the expected failures to run. */
interface Plan {
  readonly args: RunnerArgs;
  readonly models: SpecModel[];
  readonly failures: FailureToRun[];
}

/** Parse the arguments and find the models and expected failures; a number is the exit code (help, bad usage, a broken expected-failures.json). */
function plan(io: RunnerIo): Plan | number {
  let models: SpecModel[];
  let args;
  try {
    args = parseRunnerArgs(io.argv);
    if (args.help) {
      io.out(USAGE);
      return EXIT.pass;
    }
    models = discoverModels(io.specsRoot, args.only);
  } catch (error) {
    if (error instanceof UsageError || error instanceof Error) {
      io.err(`specs: ${error.message}`);
      io.err(USAGE);
      return EXIT.usage;
    }
    throw error;
  }
  try {
    const withFailures = args.command === "check" && args.check.full || args.command === "expected";
    return { args, models, failures: withFailures ? expectedFailuresOf(io.specsRoot, models, args.deep) : [] };
  } catch (error) {
    io.err(`specs: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.error;
  }
}

/** What the summary line names besides the counts. */
interface SummaryExtra {
  skippedReason?: string;
  tlc?: string;
  tlcVersion?: string;
}

/** Print the rows and the summary (a table, or JSON lines with --json). @returns the exit code */
function printResults(io: RunnerIo, json: boolean, results: readonly ModelResult[], seconds: number, extra: SummaryExtra): number {
  const summary = summarize(results, seconds, extra);
  if (json) for (const line of formatJsonLines(results, summary)) io.out(line);
  else {
    if (results.length > 0) for (const line of formatTable(results)) io.out(line);
    io.out("");
    io.out(
      `${summary.models} check(s): ${summary.pass} pass, ${summary.fail} fail, ${summary.changed} changed, ` +
        `${summary.error} error, ${summary.skipped} skipped — ${summary.seconds} s` +
        `${extra.tlcVersion ? ` — ${extra.tlcVersion}` : ""}${extra.tlc ? ` (${extra.tlc})` : ""}`,
    );
  }
  return summary.exitCode;
}

/**
 * Say that TLC is missing and print every model as skipped.
 * @returns the exit code: "unavailable" when TLC is required (SYNOD_REQUIRE_TLC=1, or TLA2TOOLS_JAR / JAVA set), else the summary's
 */
function reportTlcMissing(
  io: RunnerIo,
  models: readonly SpecModel[],
  reason: string,
  print: (results: readonly ModelResult[], extra: SummaryExtra) => number,
): number {
  // A TLC the user pointed at explicitly (TLA2TOOLS_JAR, JAVA) that does not work is an error, never a skip.
  const explicit = [io.env.TLA2TOOLS_JAR ? "TLA2TOOLS_JAR" : "", io.env.JAVA ? "JAVA" : ""].filter((v) => v !== "");
  const required = io.env.SYNOD_REQUIRE_TLC === "1" || explicit.length > 0;
  io.err(`specs: TLC is not available: ${reason}.`);
  const why = explicit.length > 0 ? `${explicit.join(" and ")} ${explicit.length > 1 ? "are" : "is"} set` : "SYNOD_REQUIRE_TLC=1";
  io.err(
    required
      ? `specs: ${why}, so this is a failure: NO model was checked.`
      : `specs: NO model was checked; ${models.length} model(s) skipped (set SYNOD_REQUIRE_TLC=1 to make this fail).`,
  );
  const code = print(models.map((m) => skippedRow(m, "TLC not available")), { skippedReason: reason });
  return required ? EXIT.unavailable : code;
}

/**
 * The checks of one run, numbered for the progress lines ("[3/7]"). `show`: a line as each check
 * starts and one as it ends, with TLC's own progress between (text output); `brief`: only one line
 * per check as it ends (with --json, where stdout is for the JSON lines and a long run would
 * otherwise print nothing for minutes).
 */
interface Progress {
  readonly show: boolean;
  readonly brief: boolean;
  readonly total: number;
  done: number;
}

/** The one line of a check that ended, in brief mode. */
function briefLine(progress: Progress, what: string, verdict: string, seconds: number): string {
  return `specs: [${++progress.done}/${progress.total}] ${what}: ${verdict} in ${seconds.toFixed(1)} s`;
}

/** Check each model in turn. @returns the rows, and the TLC version the first one reported */
async function checkModels(
  io: RunnerIo,
  { args, models }: Plan,
  tlc: TlcInvocation,
  progress: Progress,
): Promise<{ results: ModelResult[]; tlcVersion: string | undefined }> {
  const results: ModelResult[] = [];
  let tlcVersion: string | undefined;
  for (const model of models) {
    if (progress.show) io.err(`specs: [${++progress.done}/${progress.total}] ${args.command} ${model.protocol}/${model.config} …`);
    const result = await checkModel(model, tlc, args.check);
    tlcVersion ??= result.tlcVersion;
    if (progress.brief) io.err(briefLine(progress, `${args.command} ${model.protocol}/${model.config}`, result.result, result.seconds));
    if (progress.show) {
      const states = result.distinctStates !== undefined ? ` (${result.distinctStates.toLocaleString("en-US")} distinct states)` : "";
      io.err(`specs:   ${result.result} in ${result.seconds.toFixed(1)} s${states}`);
    }
    results.push(result);
  }
  return { results, tlcVersion };
}

/** Run the expected failures, single-worker TLC runs, `jobs` of them at a time. @returns their rows in file order */
async function runExpectedFailures(io: RunnerIo, { args, failures }: Plan, tlc: TlcInvocation, progress: Progress): Promise<ModelResult[]> {
  const failureResults: ModelResult[] = new Array<ModelResult>(failures.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < failures.length) {
      const index = next++;
      const item = failures[index];
      if (item === undefined) continue;
      const { protocol, dir, check } = item;
      if (progress.show) {
        const what = `${protocol}/${check.name} (${check.kind}, must violate ${check.mustViolate})`;
        io.err(`specs: [${++progress.done}/${progress.total}] expected failure ${what} …`);
      }
      const result = await checkExpectedFailure(protocol, dir, check, tlc, args.check);
      const verdict = result.result === "pass" ? "failed as expected" : result.result;
      if (progress.brief) io.err(briefLine(progress, `expected failure ${protocol}/${check.name}`, verdict, result.seconds));
      if (progress.show) io.err(`specs:   ${protocol}/${check.name}: ${verdict} in ${result.seconds.toFixed(1)} s`);
      failureResults[index] = result;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(args.jobs, failures.length)) }, () => worker()));
  return failureResults;
}

/**
 * Run the spec runner: discover models, find TLC, check each model (and the expected failures),
 * print a table (or JSON lines).
 * @param io - arguments, environment, output sinks
 * @returns the exit code (report.ts EXIT): 0 all passed (or skipped because TLC is absent and not
 *   required), 1 a violation or an expected failure that did not fail, 2 bad usage, 3 a parse
 *   error, 4 a changed count or properties pin, 5 a TLC error, 6 TLC unavailable while required
 * @example
 * process.exitCode = await runSpecs({ argv: process.argv.slice(2), env: process.env, specsRoot, out: console.log, err: console.error });
 */
export async function runSpecs(io: RunnerIo): Promise<number> {
  const startedAt = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - startedAt) / 1e9;
  const planned = plan(io);
  if (typeof planned === "number") return planned;
  const { args, models, failures } = planned;
  const show = io.progress ?? !args.json;
  const print = (results: readonly ModelResult[], extra: SummaryExtra): number => printResults(io, args.json, results, elapsed(), extra);
  if (models.length === 0) {
    io.err(`specs: no *.cfg found under ${io.specsRoot}${args.only.length > 0 ? ` for ${args.only.join(", ")}` : ""}`);
    return print([], {});
  }
  const tools = await (io.locate ?? ((env: LocateEnv) => locateTlc(env)))(io.env);
  if (!tools.found) return reportTlcMissing(io, models, tools.reason, print);
  const tlcLabel = `${tools.jar}, ${tools.javaVersion}`;
  const tlc = { jar: tools.jar, java: tools.java, ...(io.run ? { run: io.run } : {}), ...(show ? { progress: io.err } : {}) };
  const brief = !show && io.progress !== false;
  const progress: Progress = { show, brief, total: (args.command === "expected" ? 0 : models.length) + failures.length, done: 0 };
  const { results, tlcVersion } = args.command !== "expected"
    ? await checkModels(io, planned, tlc, progress)
    : { results: [], tlcVersion: undefined };
  results.push(...(await runExpectedFailures(io, planned, tlc, progress)));
  return print(results, { tlc: tlcLabel, ...(tlcVersion !== undefined ? { tlcVersion } : {}) });
}
