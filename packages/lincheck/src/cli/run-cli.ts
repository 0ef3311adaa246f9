import { checkOperations, DEFAULT_TIMEOUT_MS, type CheckResult } from "../check.js";
import { HistoryFormatError, UsageError } from "../errors.js";
import { HISTORY_FORMATS, loadHistory, type HistoryFormat, type LoadedHistory } from "../formats/load-history.js";
import type { KvOp, KvResult } from "../kv-op.js";
import { firstBinaryOffset, printable } from "../printable.js";
import { historyReportHtml } from "../report/history-report.js";

/** Exit codes of `pnpm lincheck`. */
export const EXIT = { linearizable: 0, notLinearizable: 1, usage: 2, unknown: 3 } as const;

/** Largest history file read (bytes). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** What the CLI needs from the outside world (injected so tests can run it in-process). */
export interface CliIo {
  readFile(path: string): string;
  fileSize(path: string): number;
  stdout(line: string): void;
  stderr(line: string): void;
  now(): number;
  /** Writes the `--report` HTML file. */
  writeFile(path: string, text: string): void;
}

const USAGE = `usage: pnpm lincheck --format ${HISTORY_FORMATS.join("|")} [--timeout-ms N] [--quiet] [--report OUT.html] FILE...

Checks every history file for linearizability and prints one JSON line per file:
  {"file": ..., "linearizable": true|false|"unknown", "operations": N, "ms": T, "warnings": [...]}
  {"file": ..., "linearizable": null, "error": "..."}          (a file that cannot be read)
"warnings" (only when there are any) flags an empty history and invocations that never complete
(checked as unknown outcomes: a file cut short looks like that). A witness for a history that is
not linearizable, warnings and errors go to stderr (witness and warnings not with --quiet).
Every file is checked even when one cannot be read.
Exit: 1 any not linearizable; else 2 bad usage or any unreadable file; else 3 any unknown (time
budget ran out); else 0.
  --format       jepsen-etcd (register log), jepsen-kv (EDN lines), synod (ndjson HistoryEvent lines)
  --timeout-ms   time budget per file (default ${DEFAULT_TIMEOUT_MS})
  --report       write a self-contained HTML picture of the history (one FILE only): client lanes,
                 the linearization order, or the witness of a history that is not linearizable`;

interface CliArgs {
  readonly format: HistoryFormat;
  readonly timeoutMs: number;
  readonly quiet: boolean;
  readonly files: readonly string[];
  /** Where to write the HTML report (only with one FILE). */
  readonly report?: string;
}

/**
 * Run the lincheck command line.
 * @param argv - arguments after the script name
 * @param io - file access, output and clock
 * @returns the process exit code ({@link EXIT})
 * @example process.exitCode = runCli(process.argv.slice(2), nodeIo)
 */
export function runCli(argv: readonly string[], io: CliIo): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return EXIT.linearizable;
  }
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lincheck: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
  const verdicts: FileVerdict[] = args.files.map((file) => checkFile(file, args, io));
  if (verdicts.includes("false")) return EXIT.notLinearizable;
  if (verdicts.includes("unreadable")) return EXIT.usage;
  if (verdicts.includes("unknown")) return EXIT.unknown;
  return EXIT.linearizable;
}

/** What one file came to: its verdict, or that it could not be read as a history. */
type FileVerdict = "true" | "false" | "unknown" | "unreadable";

/**
 * Load and check one file, printing its JSON line (with `warnings` when there are any) and its
 * witness or error on stderr. A file that cannot be read is reported and the next one is still
 * checked: one bad file never hides the others' verdicts.
 */
function checkFile(file: string, args: CliArgs, io: CliIo): FileVerdict {
  const started = io.now();
  const shownName = printable(file, 400);
  let loaded: LoadedHistory;
  try {
    loaded = loadFile(file, args.format, io);
  } catch (error) {
    const message = error instanceof HistoryFormatError || error instanceof UsageError ? `${error.message} (format ${args.format})` : `cannot read: ${error instanceof Error ? error.message : String(error)}`;
    io.stderr(`lincheck: ${shownName}: ${printable(message, 600)}`);
    io.stdout(JSON.stringify({ file, linearizable: null, error: printable(message, 600) }));
    return "unreadable";
  }
  const warnings = historyWarnings(loaded);
  const result = checkOperations(loaded.model, loaded.operations, { timeoutMs: args.timeoutMs, clock: io.now, describePosition: loaded.describePosition });
  const ms = Math.round((io.now() - started) * 1000) / 1000;
  io.stdout(JSON.stringify({ file, linearizable: result.linearizable, operations: loaded.invocations, ms, ...(warnings.length > 0 ? { warnings } : {}) }));
  if (!args.quiet) for (const warning of warnings) io.stderr(`${shownName}: warning: ${warning}`);
  if (args.report !== undefined && !writeReport(args.report, file, args.format, loaded, result, io)) return "unreadable";
  if (result.linearizable === false) {
    if (!args.quiet && result.witness !== undefined) io.stderr(`${shownName}: ${result.witness.text}`);
    return "false";
  }
  if (result.linearizable === "unknown") {
    if (!args.quiet) io.stderr(`${shownName}: undecided within ${args.timeoutMs} ms (partition ${JSON.stringify(result.timedOutPartition ?? "")}); raise --timeout-ms`);
    return "unknown";
  }
  return "true";
}

/** Write the history's HTML picture; a failure to write is reported like an unreadable file (exit 2). */
function writeReport(out: string, file: string, format: HistoryFormat, loaded: LoadedHistory, result: CheckResult<unknown, KvOp, KvResult>, io: CliIo): boolean {
  try {
    io.writeFile(out, historyReportHtml(file.split(/[\\/]/).pop() ?? file, loaded, result, format === "synod" ? "ms" : "t"));
    io.stderr(`lincheck: report written to ${printable(out, 400)}`);
    return true;
  } catch (error) {
    io.stderr(`lincheck: cannot write the report ${printable(out, 400)}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** Read a file within the size limit, refuse binary, and parse it as `format`. */
function loadFile(file: string, format: HistoryFormat, io: CliIo): LoadedHistory {
  const size = io.fileSize(file);
  if (size > MAX_FILE_BYTES) throw new UsageError(`${size} bytes; the limit is ${MAX_FILE_BYTES}`);
  const text = io.readFile(file);
  const binaryAt = firstBinaryOffset(text);
  if (binaryAt !== undefined) throw new UsageError(`not a text history: binary data at character ${binaryAt}`);
  return loadHistory(format, text);
}

/**
 * What a verdict alone would hide: an empty history is linearizable only vacuously, and
 * invocations the file never completes are checked as unknown outcomes — what a history cut
 * short at a line boundary looks like.
 */
export function historyWarnings(loaded: Pick<LoadedHistory, "invocations" | "uncompleted">): string[] {
  const warnings: string[] = [];
  if (loaded.invocations === 0) warnings.push("the history has no operations: it is linearizable only because there is nothing to check");
  if (loaded.uncompleted > 0) {
    warnings.push(
      `${loaded.uncompleted} of ${loaded.invocations} invocations never complete in the file and are checked as unknown outcomes; if the file was cut short, they may have completed`,
    );
  }
  return warnings;
}

function parseArgs(argv: readonly string[]): CliArgs {
  let format: HistoryFormat | undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let quiet = false;
  let report: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const valueOf = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === "--format") {
      const v = valueOf();
      if (!(HISTORY_FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown --format ${JSON.stringify(v)}; expected one of ${HISTORY_FORMATS.join(", ")}`);
      format = v as HistoryFormat;
    } else if (name === "--timeout-ms") {
      const v = valueOf();
      timeoutMs = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(timeoutMs)) throw new UsageError(`--timeout-ms must be a non-negative number of milliseconds, got ${JSON.stringify(v)}`);
    } else if (name === "--report") {
      report = valueOf();
      if (report === "" || report.startsWith("-")) throw new UsageError(`--report needs an output file name, got ${JSON.stringify(report)}`);
    } else if (name === "--quiet") {
      quiet = true;
    } else if (arg === "--") {
      files.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith("-") && arg !== "-") {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (format === undefined) throw new UsageError("--format is required");
  if (files.length === 0) throw new UsageError("no history FILE given");
  if (report !== undefined && files.length !== 1) throw new UsageError(`--report draws one history: give exactly one FILE (got ${files.length})`);
  return { format, timeoutMs, quiet, files, ...(report !== undefined ? { report } : {}) };
}
