import { join } from "node:path";
import { runChild, type ChildResult } from "../child-run.js";
import { ToolError } from "../tool-error.js";

/** Which repository command line a tool runs (each is `tsx --conditions=source <entry>`, as `pnpm <name>` runs it). */
export const REPO_CLIS = {
  sim: "simulator/src/cli/main.ts",
  bench: "bench/main.ts",
} as const;

/**
 * Run one of the repository's command lines as a child process, so a long run can be bounded in time
 * and cancelled by killing it, whatever it is doing.
 * @param root - the repository root
 * @param cli - which command line
 * @param args - its arguments
 * @param options - time limit, cancellation, per-line callback (for progress)
 * @throws {ToolError} "cancelled" when the client cancelled the call
 */
export async function runRepoCli(
  root: string,
  cli: keyof typeof REPO_CLIS,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly signal: AbortSignal; readonly onLine?: (line: string) => void },
): Promise<ChildResult> {
  const tsx = join(root, "node_modules", ".bin", "tsx");
  const result = await runChild(tsx, ["--conditions=source", REPO_CLIS[cli], ...args], { cwd: root, ...options });
  if (result.cancelled) throw new ToolError("cancelled", `the client cancelled the call; pnpm ${cli} was stopped`);
  return result;
}

/**
 * The JSON lines of a command's standard output (other lines ignored).
 * @returns the parsed objects, in order
 */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a cut or partial line: not a result
    }
  }
  return rows;
}

/**
 * Turn a usage error (exit 2) into a typed tool error carrying the command's own message.
 * @throws {ToolError} bad-argument on exit 2, timeout when the time limit stopped it
 */
export function requireRan(result: ChildResult, what: string): void {
  if (result.timedOut) throw new ToolError("timeout", `${what} did not finish within its time limit (${result.seconds.toFixed(1)} s); ask for fewer seeds or a shorter duration, or raise timeoutMs`);
  if (result.exitCode === 2) throw new ToolError("bad-argument", result.stderr.trim().split("\n")[0] ?? `${what} rejected its arguments`);
}
