import { readFileSync, statSync } from "node:fs";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { checkOperations, HISTORY_FORMATS, HistoryFormatError, loadHistory, type Operation } from "@synod/lincheck";
import { LIMITS, timeLimit } from "../limits.js";
import { confinedPath } from "../repo-paths.js";
import { structured } from "../result.js";
import { toolFailure, ToolError } from "../tool-error.js";

function plain(op: Operation<unknown, unknown>): Record<string, unknown> {
  return { id: op.id, client: op.client, input: op.input, output: op.output, call: op.call, ret: Number.isFinite(op.ret) ? op.ret : null, unknown: op.unknown };
}

/** Register `lincheck`: is a key-value or register history linearizable? (the `pnpm lincheck` checker, in process) */
export function registerLincheckTool(server: McpServer, root: string): void {
  server.registerTool(
    "lincheck",
    {
      title: "Check a history for linearizability",
      description:
        "Give `path` (a history file in the repository) or `history` (its text), and its `format`. Returns the verdict (true, false, or unknown when the time ran out), " +
        "and for a non-linearizable history the witness: the longest linearizable prefix, the operation that cannot follow it, and the concurrent alternatives.",
      inputSchema: {
        format: z.enum(HISTORY_FORMATS).describe("jepsen-etcd (register), jepsen-kv, or synod (the simulator's NDJSON history)"),
        path: z.string().max(1000).optional(),
        history: z.string().optional(),
        timeoutMs: z.number().int().positive().optional(),
      },
    },
    async (args) => {
      try {
        if ((args.path === undefined) === (args.history === undefined)) throw new ToolError("bad-argument", "give exactly one of path (a file in the repository) or history (its text)");
        let text = args.history ?? "";
        if (args.path !== undefined) {
          const file = confinedPath(root, args.path);
          if (statSync(file).size > LIMITS.maxInputChars * 4) throw new ToolError("bad-argument", `${args.path} is larger than ${LIMITS.maxInputChars * 4} bytes`);
          text = readFileSync(file, "utf8");
        } else if (text.length > LIMITS.maxInputChars) throw new ToolError("bad-argument", `history is ${text.length} characters; the limit is ${LIMITS.maxInputChars}`);
        let loaded;
        try {
          loaded = loadHistory(args.format, text);
        } catch (error) {
          if (error instanceof HistoryFormatError) throw new ToolError("bad-argument", `not a ${args.format} history: ${error.message}`);
          throw error;
        }
        const result = checkOperations(loaded.model, loaded.operations, { timeoutMs: timeLimit(args.timeoutMs, LIMITS.lincheck), describePosition: loaded.describePosition });
        const w = result.witness;
        return structured({
          linearizable: result.linearizable,
          operations: result.operations,
          invocations: loaded.invocations,
          uncompleted: loaded.uncompleted,
          partitions: result.partitions,
          iterations: result.iterations,
          ...(result.timedOutPartition !== undefined ? { timedOutPartition: result.timedOutPartition } : {}),
          ...(w
            ? {
                witness: {
                  partition: w.partition,
                  prefix: w.prefix.slice(-50).map((s) => ({ operation: plain(s.operation), stateAfter: s.stateAfter })),
                  prefixLength: w.prefix.length,
                  operation: plain(w.operation),
                  concurrent: w.concurrent.slice(0, 50).map(plain),
                  text: w.text,
                },
              }
            : {}),
        });
      } catch (error) {
        return toolFailure(error);
      }
    },
  );
}
