import { spawn } from "node:child_process";
import { registerChild } from "./interrupt-cleanup.js";

/** What a finished (or stopped) Java process left. */
export interface ProcessResult {
  /** Exit code; null when the process was killed (timeout or signal). */
  readonly exitCode: number | null;
  /** stdout followed by stderr, cut at the output limit. */
  readonly output: string;
  readonly timedOut: boolean;
  readonly seconds: number;
}

/** Keep at most this much output per run (a huge trace is cut, never buffered without bound). */
export const MAX_OUTPUT_CHARS = 8 * 1024 * 1024;

/**
 * Run a command, collect its output, stop it after `timeoutMs`.
 * @param command - e.g. `java`
 * @param args - its arguments
 * @param options - working directory, timeout in milliseconds, and an optional listener to stdout as it arrives
 * @returns exit code, output and wall time; never rejects for a non-zero exit
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly timeoutMs: number; readonly onStdout?: (chunk: string) => void },
): Promise<ProcessResult> {
  const startedAt = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    registerChild(child);
    let stdout = "";
    let stderr = "";
    const append = (current: string, chunk: Buffer): string =>
      current.length >= MAX_OUTPUT_CHARS ? current : current + chunk.toString("utf8").slice(0, MAX_OUTPUT_CHARS - current.length);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout = append(stdout, chunk);
      options.onStdout?.(chunk.toString("utf8"));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = append(stderr, chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    const finish = (exitCode: number | null, extra = ""): void => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      resolve({ exitCode: timedOut ? null : exitCode, output: `${stdout}${stderr}${extra}`, timedOut, seconds });
    };
    child.on("error", (error) => finish(null, `\n${error.message}`));
    child.on("close", (code) => finish(code));
  });
}
