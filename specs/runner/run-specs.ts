import { parseRunnerArgs, USAGE, UsageError } from "./args.js";
import { checkModel, type TlcInvocation } from "./check-model.js";
import { discoverModels, type SpecModel } from "./discovery.js";
import type { ModelResult } from "./model-result.js";
import { formatJsonLines, formatTable, summarize } from "./report.js";
import { locateTlc, type LocateEnv, type TlcTools } from "./tlc-locate.js";

/** Everything the runner touches, injectable for tests. */
export interface RunnerIo {
  readonly argv: readonly string[];
  readonly env: LocateEnv & { readonly SYNOD_REQUIRE_TLC?: string | undefined };
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

/**
 * Run the spec runner: discover models, find TLC, check each model, print a table (or JSON lines).
 * @param io - arguments, environment, output sinks
 * @returns the exit code: 0 all passed (or skipped because TLC is absent and not required),
 *   1 on a violation, an error, a changed count, or a missing TLC with SYNOD_REQUIRE_TLC=1; 2 on bad usage
 * @example
 * process.exitCode = await runSpecs({ argv: process.argv.slice(2), env: process.env, specsRoot, out: console.log, err: console.error });
 */
export async function runSpecs(io: RunnerIo): Promise<number> {
  const startedAt = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - startedAt) / 1e9;
  let models: SpecModel[];
  let args;
  try {
    args = parseRunnerArgs(io.argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    models = discoverModels(io.specsRoot, args.only);
  } catch (error) {
    if (error instanceof UsageError || error instanceof Error) {
      io.err(`specs: ${error.message}`);
      io.err(USAGE);
      return 2;
    }
    throw error;
  }
  const print = (results: readonly ModelResult[], extra: { skippedReason?: string; tlc?: string }): number => {
    const summary = summarize(results, elapsed(), extra);
    if (args.json) for (const line of formatJsonLines(results, summary)) io.out(line);
    else {
      if (results.length > 0) for (const line of formatTable(results)) io.out(line);
      io.out("");
      io.out(
        `${summary.models} model(s): ${summary.pass} pass, ${summary.fail} fail, ${summary.changed} changed, ` +
          `${summary.error} error, ${summary.skipped} skipped — ${summary.seconds} s${extra.tlc ? ` (${extra.tlc})` : ""}`,
      );
    }
    return summary.exitCode;
  };
  if (models.length === 0) {
    io.err(`specs: no *.cfg found under ${io.specsRoot}${args.only.length > 0 ? ` for ${args.only.join(", ")}` : ""}`);
    return print([], {});
  }
  const tools = await (io.locate ?? ((env: LocateEnv) => locateTlc(env)))(io.env);
  if (!tools.found) {
    const required = io.env.SYNOD_REQUIRE_TLC === "1";
    io.err(`specs: TLC is not available: ${tools.reason}.`);
    io.err(
      required
        ? "specs: SYNOD_REQUIRE_TLC=1, so this is a failure: NO model was checked."
        : `specs: NO model was checked; ${models.length} model(s) skipped (set SYNOD_REQUIRE_TLC=1 to make this fail).`,
    );
    const code = print(models.map((m) => skippedRow(m, "TLC not available")), { skippedReason: tools.reason });
    return required ? 1 : code;
  }
  const tlcLabel = `${tools.jar}, ${tools.javaVersion}`;
  const results: ModelResult[] = [];
  for (const model of models) {
    if (!args.json) io.err(`specs: checking ${model.protocol}/${model.config} …`);
    const result = await checkModel(model, { jar: tools.jar, java: tools.java, ...(io.run ? { run: io.run } : {}) }, args.check);
    if (!args.json) io.err(`specs:   ${result.result} in ${result.seconds.toFixed(1)} s`);
    results.push(result);
  }
  return print(results, { tlc: tlcLabel });
}
