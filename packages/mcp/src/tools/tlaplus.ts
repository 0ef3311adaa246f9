import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { checkModel, sanyError } from "../../../../specs/runner/check-model.js";
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from "../../../../specs/runner/check-options.js";
import type { ProcessResult } from "../../../../specs/runner/java-process.js";
import type { SpecModel } from "../../../../specs/runner/discovery.js";
import type { ModelResult } from "../../../../specs/runner/model-result.js";
import { readTlcOutcome } from "../../../../specs/runner/tlc-outcome.js";
import { locateTlc } from "../../../../specs/runner/tlc-locate.js";
import { runChild } from "../child-run.js";
import { LIMITS, timeLimit } from "../limits.js";
import { progressReporter, type ProgressReporter, type ToolExtra } from "../progress.js";
import { structured } from "../result.js";
import { toolFailure, ToolError } from "../tool-error.js";
import { structuredStates } from "./counterexample-states.js";
import { prepareSpec, stateLimitWrapper, tlaLibraryArg, type PreparedSpec, type SpecInput } from "./spec-source.js";

const specShape = {
  spec: z.string().max(1000).optional().describe("a .tla or .cfg file inside the repository, e.g. specs/broadcast/MCBroadcast.cfg"),
  moduleText: z.string().optional().describe("instead of spec: the root module's text, '---- MODULE Name ----' … '===='"),
  configText: z.string().optional().describe("with moduleText: the model config (INIT/NEXT or SPECIFICATION, INVARIANT, CONSTANTS…)"),
  extraModules: z.array(z.object({ name: z.string(), text: z.string() })).max(32).optional().describe("with moduleText: modules it extends, by name"),
};

type TlcStage = "parse" | "smoke" | "full";

/** The TLC process runner the spec runner's `checkModel` calls, with the MCP call's limits, cancellation and progress. */
function mcpRunner(libraryDir: string, signal: AbortSignal, progress: ProgressReporter, outputs: Map<TlcStage, ProcessResult>, fullModel?: SpecModel) {
  return async (command: string, given: readonly string[], options: { readonly cwd: string; readonly timeoutMs: number }): Promise<ProcessResult> => {
    const stage: TlcStage = given.includes("tla2sany.SANY") ? "parse" : given.includes("-simulate") ? "smoke" : "full";
    // The full check runs the state-limit wrapper in place of the model (its args end "-config C M").
    const swap = stage === "full" && fullModel !== undefined && given.at(-3) === "-config";
    const args = swap ? [...given.slice(0, -2), fullModel.config, fullModel.module] : given;
    const cwd = swap ? fullModel.dir : options.cwd;
    progress(stage === "parse" ? 1 : stage === "smoke" ? 2 : 3, undefined, `${stage === "full" ? "full model check" : stage === "smoke" ? "smoke simulation" : "SANY parse"} started`);
    let distinct = 0;
    const child = await runChild(command, [tlaLibraryArg(libraryDir), ...args], {
      cwd,
      timeoutMs: options.timeoutMs,
      signal,
      onLine: (line) => {
        const found = /([\d,]+) distinct states found/.exec(line);
        if (found?.[1] && stage === "full") {
          distinct = Number(found[1].replace(/,/g, ""));
          progress(3 + distinct / 1e12, undefined, `${distinct} distinct states so far`);
        }
      },
    });
    if (child.cancelled) throw new ToolError("cancelled", "the client cancelled the call; TLC was stopped");
    const result: ProcessResult = { exitCode: child.exitCode, output: `${child.stdout}${child.stderr}`, timedOut: child.timedOut, seconds: child.seconds };
    outputs.set(stage, result);
    return result;
  };
}

async function findTlc(): Promise<{ jar: string; java: string; version: string }> {
  const tools = await locateTlc({ ...process.env, SYNOD_TLC_NO_DOWNLOAD: "1" });
  if (!tools.found) throw new ToolError("tlc-unavailable", `TLC is not available: ${tools.reason}`);
  return { jar: tools.jar, java: tools.java, version: tools.javaVersion };
}

/** The JSON a TLA+ tool returns: the runner's row, plus the counterexample as structured states. */
function describe(result: ModelResult, outputs: ReadonlyMap<TlcStage, ProcessResult>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const stage = result.violation?.stage;
  const output = stage ? outputs.get(stage) : undefined;
  const trace = output ? readTlcOutcome(output.output, output.exitCode).violation?.trace : undefined;
  return { ...result, ...extra, ...(trace ? { states: structuredStates(trace) } : {}) };
}

async function runModel(root: string, input: SpecInput, extra: ToolExtra, options: CheckOptions, maxStates?: number): Promise<Record<string, unknown>> {
  const tlc = await findTlc();
  const prepared = prepareSpec(root, input, true);
  let wrapper: PreparedSpec | undefined;
  try {
    if (maxStates !== undefined) wrapper = stateLimitWrapper(prepared, readFileSync(join(prepared.model.dir, prepared.model.config), "utf8"), maxStates);
    const outputs = new Map<TlcStage, ProcessResult>();
    // Parse, smoke and the comparison with verification_summary.md use the model itself; only the full check runs the wrapper.
    const run = mcpRunner(prepared.libraryDir, extra.signal, progressReporter(extra), outputs, wrapper?.model);
    const result = await checkModel(prepared.model, { jar: tlc.jar, java: tlc.java, run }, options);
    const reached = maxStates !== undefined && options.full && (result.distinctStates ?? 0) >= maxStates;
    if (reached && (result.result === "pass" || result.result === "changed")) {
      const reason = `stopped at the state limit: ${maxStates} distinct states explored; the check is INCOMPLETE (raise maxStates)`;
      return describe({ ...result, result: "error", reason }, outputs, { stateLimitReached: true });
    }
    return describe(result, outputs, maxStates !== undefined ? { stateLimitReached: reached } : {});
  } finally {
    wrapper?.cleanup();
    prepared.cleanup();
  }
}

/**
 * Register `tlaplus_parse`, `tlaplus_smoke` and `tlaplus_check`: SANY, a short TLC simulation and a full
 * model check, on a repository spec or on supplied text. Results are the rows `pnpm specs --json`
 * prints, plus `states`: the counterexample with only the changed variables per step.
 */
export function registerTlaplusTools(server: McpServer, root: string): void {
  server.registerTool(
    "tlaplus_parse",
    {
      title: "Parse a TLA+ module with SANY",
      description: "Syntax- and semantics-check a TLA+ module (SANY). Give `spec` (a .tla/.cfg path in the repository) or `moduleText`.",
      inputSchema: { ...specShape, timeoutMs: z.number().int().positive().optional() },
    },
    async (args, extra) => {
      try {
        const tlc = await findTlc();
        const prepared = prepareSpec(root, args, false);
        try {
          const run = await runChild(tlc.java, [tlaLibraryArg(prepared.libraryDir), "-cp", tlc.jar, "tla2sany.SANY", prepared.model.module], {
            cwd: prepared.model.dir,
            timeoutMs: timeLimit(args.timeoutMs, LIMITS.parse),
            signal: extra.signal,
          });
          if (run.cancelled) throw new ToolError("cancelled", "the client cancelled the parse");
          const problem = sanyError({ exitCode: run.exitCode, output: run.stdout + run.stderr, timedOut: run.timedOut, seconds: run.seconds });
          return structured({ module: prepared.model.module, result: problem === undefined ? "pass" : "error", ...(problem ? { reason: `SANY: ${problem}` } : {}), seconds: Math.round(run.seconds * 10) / 10 });
        } finally {
          prepared.cleanup();
        }
      } catch (error) {
        return toolFailure(error);
      }
    },
  );

  server.registerTool(
    "tlaplus_smoke",
    {
      title: "Smoke-test a TLA+ model with a short TLC simulation",
      description: "SANY parse, then `-simulate` random traces (fast at finding deep bugs). A violation returns the counterexample as structured states.",
      inputSchema: {
        ...specShape,
        traces: z.number().int().min(1).max(100_000).optional().describe("random traces (default 100)"),
        depth: z.number().int().min(1).max(10_000).optional().describe("longest trace (default 50)"),
        timeoutMs: z.number().int().positive().optional(),
      },
    },
    async (args, extra) => {
      try {
        const options: CheckOptions = {
          ...DEFAULT_CHECK_OPTIONS,
          full: false,
          smokeTraces: args.traces ?? DEFAULT_CHECK_OPTIONS.smokeTraces,
          smokeDepth: args.depth ?? DEFAULT_CHECK_OPTIONS.smokeDepth,
          smokeTimeoutMs: timeLimit(args.timeoutMs, LIMITS.smoke),
          parseTimeoutMs: LIMITS.parse.defaultMs,
        };
        return structured(await runModel(root, args, extra, options));
      } catch (error) {
        return toolFailure(error);
      }
    },
  );

  server.registerTool(
    "tlaplus_check",
    {
      title: "Model-check a TLA+ config with TLC",
      description:
        "SANY parse, smoke simulation, then the full breadth-first check of the config, bounded in time and distinct states. " +
        "For a repository spec the counts are compared with its verification_summary.md. A violation returns the shortest counterexample as structured states.",
      inputSchema: {
        ...specShape,
        timeoutMs: z.number().int().positive().optional().describe(`full check time limit (default ${LIMITS.check.defaultMs}, at most ${LIMITS.check.maxMs})`),
        maxStates: z.number().int().positive().optional().describe(`distinct-state limit (default ${LIMITS.check_states.default}, at most ${LIMITS.check_states.max}); reaching it makes the result incomplete`),
        workers: z.number().int().min(1).max(64).optional().describe("TLC workers (default 1)"),
      },
    },
    async (args, extra) => {
      try {
        const options: CheckOptions = {
          ...DEFAULT_CHECK_OPTIONS,
          full: true,
          workers: args.workers ?? 1,
          smokeTimeoutMs: Math.min(LIMITS.smoke.defaultMs, 15_000),
          fullTimeoutMs: timeLimit(args.timeoutMs, LIMITS.check),
        };
        const maxStates = Math.min(args.maxStates ?? LIMITS.check_states.default, LIMITS.check_states.max);
        return structured(await runModel(root, args, extra, options, maxStates));
      } catch (error) {
        return toolFailure(error);
      }
    },
  );
}
