import { checkOperations, DEFAULT_TIMEOUT_MS } from "../check.js";
import { HistoryFormatError, UsageError } from "../errors.js";
import { HISTORY_FORMATS, loadHistory, type HistoryFormat } from "../formats/load-history.js";

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
}

const USAGE = `usage: pnpm lincheck --format ${HISTORY_FORMATS.join("|")} [--timeout-ms N] [--quiet] FILE...

Checks each history file for linearizability and prints one JSON line per file:
  {"file": ..., "linearizable": true|false|"unknown", "operations": N, "ms": T}
When a history is not linearizable, a readable witness goes to stderr (unless --quiet).
Exit: 0 all linearizable, 1 any not linearizable, 3 any unknown (time budget ran out; and none
false), 2 bad usage or an unparseable file.
  --format       jepsen-etcd (register log), jepsen-kv (EDN lines), synod (ndjson HistoryEvent lines)
  --timeout-ms   time budget per file (default ${DEFAULT_TIMEOUT_MS})`;

interface CliArgs {
  readonly format: HistoryFormat;
  readonly timeoutMs: number;
  readonly quiet: boolean;
  readonly files: readonly string[];
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
  let sawFalse = false;
  let sawUnknown = false;
  for (const file of args.files) {
    const started = io.now();
    let loaded;
    try {
      const size = io.fileSize(file);
      if (size > MAX_FILE_BYTES) throw new UsageError(`${file} is ${size} bytes; the limit is ${MAX_FILE_BYTES}`);
      loaded = loadHistory(args.format, io.readFile(file));
    } catch (error) {
      if (error instanceof HistoryFormatError || error instanceof UsageError) {
        io.stderr(`lincheck: ${file}: ${error.message} (format ${args.format})`);
        return EXIT.usage;
      }
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`lincheck: ${file}: cannot read: ${message}`);
      return EXIT.usage;
    }
    const result = checkOperations(loaded.model, loaded.operations, { timeoutMs: args.timeoutMs, clock: io.now, describePosition: loaded.describePosition });
    const ms = Math.round((io.now() - started) * 1000) / 1000;
    io.stdout(JSON.stringify({ file, linearizable: result.linearizable, operations: loaded.invocations, ms }));
    if (result.linearizable === false) {
      sawFalse = true;
      if (!args.quiet && result.witness !== undefined) io.stderr(`${file}: ${result.witness.text}`);
    } else if (result.linearizable === "unknown") {
      sawUnknown = true;
      if (!args.quiet) io.stderr(`${file}: undecided within ${args.timeoutMs} ms (partition ${JSON.stringify(result.timedOutPartition ?? "")}); raise --timeout-ms`);
    }
  }
  if (sawFalse) return EXIT.notLinearizable;
  if (sawUnknown) return EXIT.unknown;
  return EXIT.linearizable;
}

function parseArgs(argv: readonly string[]): CliArgs {
  let format: HistoryFormat | undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let quiet = false;
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
  return { format, timeoutMs, quiet, files };
}
