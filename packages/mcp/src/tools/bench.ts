import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { LIMITS, timeLimit } from "../limits.js";
import { progressReporter } from "../progress.js";
import { clip, structured } from "../result.js";
import { toolFailure, ToolError } from "../tool-error.js";
import { jsonLines, requireRan, runRepoCli } from "./repo-cli.js";

/** @returns the bench suites of the repository (file names under bench/suites/) */
export function benchSuites(root: string): string[] {
  return readdirSync(join(root, "bench", "suites"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => basename(f, ".ts"))
    .sort();
}

/** Register `bench_run`: one benchmark suite, quick by default (figures then only show it runs). */
export function registerBenchTool(server: McpServer, root: string): void {
  server.registerTool(
    "bench_run",
    {
      title: "Run a benchmark suite",
      description: "Run one suite of `pnpm bench` (quick mode by default: tiny runs whose figures only show the suite works; quick=false for real figures). Returns its JSON rows and targets.",
      inputSchema: {
        suite: z.string().regex(/^[a-z0-9-]+$/),
        quick: z.boolean().optional().describe("default true"),
        timeoutMs: z.number().int().positive().optional(),
      },
    },
    async (args, extra) => {
      try {
        const suites = benchSuites(root);
        if (!suites.includes(args.suite)) throw new ToolError("bad-argument", `unknown suite "${args.suite}"; suites: ${suites.join(", ")}`);
        const progress = progressReporter(extra);
        let rows = 0;
        const result = await runRepoCli(root, "bench", [args.suite, "--json", ...(args.quick === false ? [] : ["--quick"])], {
          timeoutMs: timeLimit(args.timeoutMs, LIMITS.bench),
          signal: extra.signal,
          onLine: (line) => {
            if (line.startsWith("{")) progress(++rows, undefined, `${rows} result lines`);
          },
        });
        requireRan(result, "the benchmark");
        if (result.exitCode !== 0) throw new ToolError("failed", `the suite failed (exit ${result.exitCode}): ${clip(result.stderr, 4000)}`);
        return structured({ suite: args.suite, quick: args.quick !== false, rows: jsonLines(result.stdout) });
      } catch (error) {
        return toolFailure(error);
      }
    },
  );
}
