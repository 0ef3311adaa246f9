import { readFileSync } from "node:fs";
import { SynodError } from "@synod/core";
import { parseTraceHeader, type TraceHeader } from "../trace/trace-header.js";

/** A trace file read for `pnpm sim replay`, or why it cannot be replayed (one line that says what to do). */
export type TraceFileRead =
  | { readonly ok: true; readonly lines: readonly string[]; readonly header: TraceHeader; readonly complete: boolean }
  | { readonly ok: false; readonly problem: string };

const RECORD_HINT = "record one with: pnpm sim PROTOCOL --seed S --trace FILE.ndjson";

function fileProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return `no file ${path}; ${RECORD_HINT}`;
  if (code === "EISDIR") return `${path} is a directory: give one trace file (.ndjson)`;
  if (code === "EACCES" || code === "EPERM") return `cannot read ${path}: permission denied`;
  return `cannot read ${path} (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

/** @returns whether the last line is the trace's closing `{"end":true,…}` line (a cut trace has none) */
function endsProperly(lines: readonly string[]): boolean {
  const last = lines.at(-1);
  if (last === undefined || lines.length < 2) return false;
  try {
    return (JSON.parse(last) as { end?: unknown }).end === true;
  } catch {
    return false;
  }
}

/**
 * Read an ndjson trace and its header.
 * @returns the lines, the header and whether the trace is complete (it ends with its end line), or the problem
 */
export function readTraceFile(path: string): TraceFileRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { ok: false, problem: fileProblem(path, error) };
  }
  const lines = text.trimEnd().split("\n");
  try {
    return { ok: true, lines, header: parseTraceHeader(lines[0] ?? ""), complete: endsProperly(lines) };
  } catch (error) {
    if (error instanceof SynodError) return { ok: false, problem: `${path}: ${error.message}` };
    throw error;
  }
}

/** @returns the run a trace header describes, as the flags that recorded it (`raft --nodes 5 --seed 7 --duration 10000`) */
export function recordedRunFlags(header: TraceHeader): string {
  const byzantine = header.customAdversaries.length > 0 ? ` --byzantine ${header.customAdversaries.length}` : "";
  const twins = header.twins !== undefined ? ` --twins ${header.twins.length}` : "";
  return `${header.protocol} --nodes ${header.nodes} --seed ${header.seed} --duration ${header.durationMs}${byzantine}${twins}`;
}
