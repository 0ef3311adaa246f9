import { spawn } from "node:child_process";
import { LIMITS } from "./limits.js";

/** What a finished child process left. */
export interface ChildResult {
  /** Exit code; null when it was stopped (time limit, cancellation) or died of a signal. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly seconds: number;
}

/** How to run a child. */
export interface ChildOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  /** Cancellation from the MCP client: the child is killed at once. */
  readonly signal?: AbortSignal;
  /** Called with each complete stdout line as it arrives (progress). */
  readonly onLine?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Bytes kept per stream (default: 4 × the tool output limit). */
  readonly maxChars?: number;
}

/**
 * Run a command with a time limit and cancellation, keeping a bounded amount of its output. The child
 * runs in its own process group, and the whole group is killed on timeout or cancel (pnpm and tsx
 * start grandchildren).
 * @returns never rejects for a non-zero exit
 */
export function runChild(command: string, args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  const startedAt = process.hrtime.bigint();
  const maxChars = options.maxChars ?? LIMITS.maxOutputChars * 4;
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env, detached: true });
    let stdout = "";
    let stderr = "";
    let pending = "";
    let timedOut = false;
    let cancelled = false;
    const keep = (current: string, chunk: string): string => (current.length >= maxChars ? current : current + chunk.slice(0, maxChars - current.length));
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout = keep(stdout, chunk);
      if (!options.onLine) return;
      pending += chunk;
      let at = pending.indexOf("\n");
      while (at >= 0) {
        options.onLine(pending.slice(0, at));
        pending = pending.slice(at + 1);
        at = pending.indexOf("\n");
      }
      if (pending.length > maxChars) pending = "";
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = keep(stderr, chunk);
    });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    let finished = false;
    const finish = (exitCode: number | null, extra = ""): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      resolve({ exitCode: timedOut || cancelled ? null : exitCode, stdout, stderr: stderr + extra, timedOut, cancelled, seconds });
    };
    child.on("error", (error) => finish(null, `\n${error.message}`));
    child.on("close", (code) => finish(code));
  });
}
