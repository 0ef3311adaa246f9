import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { protocolNames } from "../../../../simulator/src/cli/registry.js";
import { LIMITS, timeLimit } from "../limits.js";
import { confinedPath } from "../repo-paths.js";
import { progressReporter } from "../progress.js";
import { clip, structured } from "../result.js";
import { toolFailure, ToolError } from "../tool-error.js";
import { jsonLines, requireRan, runRepoCli } from "./repo-cli.js";

const runShape = {
  protocol: z.string().regex(/^[a-z0-9-]+$/).describe("a protocol of sim_list, e.g. raft"),
  nodes: z.number().int().min(1).max(LIMITS.sim.maxNodes).optional(),
  durationMs: z.number().int().min(1).max(10_000_000).optional().describe("simulated time per seed (default 10000)"),
  faults: z.string().max(500).optional().describe("none | all | a comma-separated list of fault kinds (default none)"),
  timeoutMs: z.number().int().positive().optional(),
};

/** The run options every sim tool shares (`runShape`). */
interface RunOptions {
  protocol: string;
  nodes?: number | undefined;
  durationMs?: number | undefined;
  faults?: string | undefined;
}

function cliArgs(args: RunOptions, seed: number, seeds: number): string[] {
  const out = [args.protocol, "--seed", String(seed), "--seeds", String(seeds), "--json"];
  if (args.nodes !== undefined) out.push("--nodes", String(args.nodes));
  if (args.durationMs !== undefined) out.push("--duration", String(args.durationMs));
  if (args.faults !== undefined) out.push("--faults", args.faults);
  return out;
}

function knownProtocol(name: string): void {
  const names = protocolNames();
  if (!names.includes(name)) throw new ToolError("bad-argument", `unknown protocol "${name}"; sim_list gives: ${names.join(", ")}`);
}

/** A run's line, without its bulky metrics unless it failed. */
function brief(run: Record<string, unknown>): Record<string, unknown> {
  const { metrics: _metrics, ...rest } = run;
  return rest;
}

/** Register `sim_list`, `sim_run`, `sim_replay` and `sim_check_determinism` (the `pnpm sim` command line, bounded). */
export function registerSimTools(server: McpServer, root: string): void {
  registerSimList(server);
  registerSimRun(server, root);
  registerSimReplay(server, root);
  registerSimCheckDeterminism(server, root);
}

/** Register `sim_list`: the protocols the simulator can run. */
function registerSimList(server: McpServer): void {
  server.registerTool(
    "sim_list",
    { title: "List simulated protocols", description: "The protocols the deterministic simulator can run (`pnpm sim --list`).", inputSchema: {} },
    async () => structured({ protocols: protocolNames() }),
  );
}

/** Register `sim_run`: seeds of a protocol under faults, with a progress notification per finished seed. */
function registerSimRun(server: McpServer, root: string): void {
  server.registerTool(
    "sim_run",
    {
      title: "Run the deterministic simulator",
      description:
        "Run seeds of a protocol under faults, checking every invariant after every event. " +
        "Returns the summary and each violating run with its replay command. Progress: one notification per finished seed.",
      inputSchema: {
        ...runShape,
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe("first seed (default 1)"),
        seeds: z.number().int().min(1).max(LIMITS.sim.maxSeeds).optional().describe("how many seeds (default 10)"),
      },
    },
    async (args, extra) => {
      try {
        knownProtocol(args.protocol);
        const seeds = args.seeds ?? 10;
        const progress = progressReporter(extra);
        let done = 0;
        const result = await runRepoCli(root, "sim", cliArgs(args, args.seed ?? 1, seeds), {
          timeoutMs: timeLimit(args.timeoutMs, LIMITS.sim),
          signal: extra.signal,
          onLine: (line) => {
            if (line.startsWith('{"protocol"')) progress(++done, seeds, `${done} of ${seeds} seeds`);
          },
        });
        requireRan(result, "the simulation");
        const rows = jsonLines(result.stdout);
        const summary = rows.find((r) => r.summary === true);
        const runs = rows.filter((r) => r.summary !== true);
        const failing = runs.filter((r) => Array.isArray(r.violations) && r.violations.length > 0);
        if (summary === undefined) throw new ToolError("failed", `the simulator printed no summary (exit ${result.exitCode}): ${clip(result.stderr, 2000)}`);
        return structured({
          summary,
          passed: runs.length - failing.length,
          failed: failing.length,
          failingRuns: failing.slice(0, 50).map(brief),
          ...(failing.length > 50 ? { note: `${failing.length - 50} more failing runs not listed` } : {}),
          invariants: runs[0]?.invariants ?? [],
        });
      } catch (error) {
        return toolFailure(error);
      }
    },
  );
}

/** What `sim_replay` is asked: a trace file, or a protocol and seed to re-run (with the run options), and the window to show. */
interface ReplayArgs extends Partial<RunOptions> {
  timeoutMs?: number | undefined;
  seed?: number | undefined;
  trace?: string | undefined;
  index?: number | undefined;
  window?: number | undefined;
}

/**
 * The trace lines to show: read from the trace file given, or written by re-running the seed into `dir`.
 * @returns the lines (header first) and, for a re-run, the run's JSON line
 */
async function replayTraceLines(
  root: string,
  args: ReplayArgs,
  dir: string,
  signal: AbortSignal,
): Promise<{ lines: string[]; run: Record<string, unknown> | undefined }> {
  if (args.trace !== undefined) {
    if (args.protocol !== undefined || args.seed !== undefined) throw new ToolError("bad-argument", "give either trace, or protocol and seed — not both");
    const file = confinedPath(root, args.trace);
    if (statSync(file).size > LIMITS.maxInputChars * 64) {
      throw new ToolError("bad-argument", `${args.trace} is larger than ${LIMITS.maxInputChars * 64} bytes`);
    }
    return { lines: readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0), run: undefined };
  }
  if (args.protocol === undefined || args.seed === undefined) {
    throw new ToolError("bad-argument", "give protocol and seed (to re-run), or trace (a trace file)");
  }
  knownProtocol(args.protocol);
  const traceFile = join(dir, "trace.ndjson");
  const result = await runRepoCli(root, "sim", [...cliArgs({ ...args, protocol: args.protocol }, args.seed, 1), "--trace", traceFile], {
    timeoutMs: timeLimit(args.timeoutMs, LIMITS.sim),
    signal,
  });
  requireRan(result, "the replay");
  const run = jsonLines(result.stdout).find((r) => r.summary !== true);
  return { lines: readFileSync(traceFile, "utf8").split("\n").filter((l) => l.length > 0), run };
}

/** The events around `index` (default: the first violation's event, else the start) of a trace whose header is checked. */
function replayWindow(lines: readonly string[], run: Record<string, unknown> | undefined, args: ReplayArgs): Record<string, unknown> {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
  } catch {
    throw new ToolError("bad-argument", "the trace's first line is not a synod trace header (JSON)");
  }
  if (header.trace !== "synod-simulator") {
    throw new ToolError("bad-argument", "not a synod simulator trace (its header has no trace: \"synod-simulator\")");
  }
  const events = lines.slice(1);
  const violations = (run?.violations as { event?: number }[] | undefined) ?? [];
  const at = args.index ?? violations[0]?.event ?? 0;
  if (at >= events.length) throw new ToolError("bad-argument", `index ${at} is past the last event (${events.length} events)`);
  const window = args.window ?? LIMITS.replayWindow.default;
  const from = Math.max(0, at - window);
  return {
    header,
    totalEvents: events.length,
    index: at,
    from,
    events: events.slice(from, at + window + 1).map((l) => JSON.parse(clip(l, 4000)) as unknown),
    violations,
    ...(run?.traceHash !== undefined ? { traceHash: run.traceHash } : {}),
  };
}

/** Register `sim_replay`: one seed re-run with its trace on, or a trace file read, and the events around an index. */
function registerSimReplay(server: McpServer, root: string): void {
  server.registerTool(
    "sim_replay",
    {
      title: "Replay one seed (or read a trace) and show events",
      description:
        "Re-run one seed deterministically with its trace on — or read a trace file written by `pnpm sim … --trace FILE` " +
        "(`trace`, a path in the repository) — " +
        "and return the trace events around `index` (default: the first violation's event, else the start). Every event line carries its index `i`.",
      inputSchema: {
        protocol: runShape.protocol.optional(),
        nodes: runShape.nodes,
        durationMs: runShape.durationMs,
        faults: runShape.faults,
        timeoutMs: runShape.timeoutMs,
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe("the seed to re-run (with protocol)"),
        trace: z.string().max(1000).optional().describe("instead of protocol and seed: a trace file in the repository"),
        index: z.number().int().min(0).optional(),
        window: z.number().int().min(1).max(LIMITS.replayWindow.max).optional().describe(`events either side (default ${LIMITS.replayWindow.default})`),
      },
    },
    async (args, extra) => {
      const dir = mkdtempSync(join(tmpdir(), "synod-mcp-replay-"));
      try {
        const { lines, run } = await replayTraceLines(root, args, dir, extra.signal);
        return structured(replayWindow(lines, run, args));
      } catch (error) {
        return toolFailure(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

/** Register `sim_check_determinism`: one seed run twice, the traces compared event by event. */
function registerSimCheckDeterminism(server: McpServer, root: string): void {
  server.registerTool(
    "sim_check_determinism",
    {
      title: "Check that a seed replays identically",
      description:
        "Run one seed twice and compare the traces event by event; a difference is reported as a Determinism violation naming the first diverging event.",
      inputSchema: { ...runShape, seed: z.number().int().min(0).max(2 ** 31 - 1) },
    },
    async (args, extra) => {
      try {
        knownProtocol(args.protocol);
        const result = await runRepoCli(root, "sim", [...cliArgs(args, args.seed, 1), "--check-determinism"], {
          timeoutMs: timeLimit(args.timeoutMs, LIMITS.sim),
          signal: extra.signal,
        });
        requireRan(result, "the determinism check");
        const run = jsonLines(result.stdout).find((r) => r.summary !== true);
        if (run === undefined) throw new ToolError("failed", `the simulator printed no run (exit ${result.exitCode}): ${clip(result.stderr, 2000)}`);
        const violations = (run.violations as { invariant?: string }[] | undefined) ?? [];
        const divergence = violations.find((v) => v.invariant === "Determinism");
        return structured({
          deterministic: divergence === undefined,
          traceHash: run.traceHash,
          ...(divergence ? { divergence } : {}),
          otherViolations: violations.filter((v) => v !== divergence),
        });
      } catch (error) {
        return toolFailure(error);
      }
    },
  );
}
