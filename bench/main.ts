/**
 * `pnpm bench [SUITE...] [--quick] [--json]` — runs the benchmark suites of `bench/suites/*.ts`
 * (each exports `suite: BenchSuite`, see harness.ts), all of them or those named, and prints a table
 * per suite with its targets marked met or MISSED, or JSON lines for machines.
 *
 * A benchmark is a measurement, not a test: a missed target is printed clearly but the exit code
 * stays 0. Exit 1 when a suite throws (its error is printed and the other suites still run),
 * 2 on bad usage (unknown flag or suite name). Each suite runs in a process of its own.
 */
import { fork } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism, cpus, loadavg, platform, arch, totalmem } from "node:os";
import { basename, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeReport } from "./report.js";
import { targetMet, type BenchReport, type BenchRow, type BenchSuite, type BenchTarget } from "./harness.js";

/** The suites folder beside this file. */
export const SUITES_DIR = fileURLToPath(new URL("./suites/", import.meta.url));

/** Usage text for `--help` and bad usage. */
export const BENCH_USAGE = `usage: pnpm bench [SUITE...] [--quick] [--json] [--report]
  SUITE     run only these suites (file names under bench/suites/, e.g. quorum raft); default: all
  --quick   tiny runs (what the smoke test does); figures are not meaningful
  --json    one JSON line per row {suite, name, ...metrics}, per target, per chart, per suite, then a summary
  --report  also write bench/RESULTS.md and the charts (bench/charts/*.svg)
exit: 0 done (even when a target is missed), 1 a suite threw, 2 bad usage`;

/** Parsed command line. */
export interface BenchArgs {
  readonly only: readonly string[];
  readonly quick: boolean;
  readonly json: boolean;
  readonly report: boolean;
  readonly help: boolean;
}

/** A usage mistake: the CLI prints it with the usage and exits 2. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchUsageError";
  }
}

/**
 * Parse `pnpm bench` arguments.
 * @param argv - arguments after the script name
 * @returns the options
 * @throws {BenchUsageError} on an unknown flag or a malformed suite name
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const only: string[] = [];
  let quick = false;
  let json = false;
  let help = false;
  let report = false;
  for (const arg of argv) {
    if (arg === "--") continue;
    else if (arg === "--quick") quick = true;
    else if (arg === "--json") json = true;
    else if (arg === "--report") report = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg.startsWith("-")) throw new BenchUsageError(`unknown option ${arg}`);
    else if (!/^[a-z0-9][a-z0-9-]*$/.test(arg)) throw new BenchUsageError(`"${arg}" is not a suite name (lowercase letters, digits, dashes)`);
    else only.push(arg);
  }
  return { only, quick, json, report, help };
}

/** A suite found on disk: its file and what it exports. */
export interface DiscoveredSuite {
  /** File name without `.ts`, e.g. `quorum`. */
  readonly file: string;
  readonly suite: BenchSuite;
}

function isBenchSuite(value: unknown): value is BenchSuite {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; description?: unknown; run?: unknown };
  return typeof candidate.name === "string" && typeof candidate.description === "string" && typeof candidate.run === "function";
}

/**
 * The suite files under `dir`, sorted (`*.ts`, not `*.test.ts` or `*.d.ts`).
 * @param dir - the suites folder
 * @returns file names without extension
 */
export function listSuiteFiles(dir: string = SUITES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .map((f) => basename(f, ".ts"))
    .sort();
}

/**
 * Import suites (all, or those named) from `dir`.
 * @param only - file names to load (empty: all)
 * @param dir - the suites folder
 * @returns the suites, in file-name order
 * @throws {BenchUsageError} when a named suite has no file
 * @throws {Error} when a file does not export a `suite` of the BenchSuite shape
 */
export async function loadSuites(only: readonly string[] = [], dir: string = SUITES_DIR): Promise<DiscoveredSuite[]> {
  const files = listSuiteFiles(dir);
  for (const name of only) {
    if (!files.includes(name)) throw new BenchUsageError(`no suite bench/suites/${name}.ts (known: ${files.join(", ") || "none"})`);
  }
  const chosen = only.length === 0 ? files : files.filter((f) => only.includes(f));
  const loaded: DiscoveredSuite[] = [];
  for (const file of chosen) {
    const module: { suite?: unknown } = await import(pathToFileURL(join(dir, `${file}.ts`)).href);
    if (!isBenchSuite(module.suite)) throw new Error(`bench/suites/${file}.ts does not export \`suite: BenchSuite\` ({name, description, run})`);
    loaded.push({ file, suite: module.suite });
  }
  return loaded;
}

/** The machine a run was measured on (figures from a shared or throttled machine differ). */
export interface MachineInfo {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly availableParallelism: number;
  readonly totalMemGiB: number;
  /** 1, 5 and 15-minute load averages when the run started (other tenants of the machine). */
  readonly loadAvg: readonly number[];
}

/** @returns the current machine's description */
export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    availableParallelism: availableParallelism(),
    totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAvg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** What one suite did. */
export type SuiteOutcome =
  | { readonly suite: string; readonly description: string; readonly ok: true; readonly report: BenchReport; readonly seconds: number }
  | { readonly suite: string; readonly description: string; readonly ok: false; readonly error: string; readonly seconds: number };

/**
 * Run one suite, catching what it throws.
 * @returns its report or its error, and its wall time
 */
export async function runSuite(discovered: DiscoveredSuite, quick: boolean): Promise<SuiteOutcome> {
  const { suite } = discovered;
  const start = process.hrtime.bigint();
  const seconds = (): number => Math.round(Number(process.hrtime.bigint() - start) / 1e8) / 10;
  try {
    const report = await suite.run({ quick });
    return { suite: suite.name, description: suite.description, ok: true, report, seconds: seconds() };
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { suite: suite.name, description: suite.description, ok: false, error: text, seconds: seconds() };
  }
}

function formatValue(value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString("en-US");
    const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 4;
    return value.toLocaleString("en-US", { maximumFractionDigits: digits });
  }
  return String(value);
}

/**
 * A text table of rows: one column per metric, in the order metrics first appear.
 * @returns lines, header first
 */
export function formatRows(rows: readonly BenchRow[]): string[] {
  if (rows.length === 0) return ["(no rows)"];
  const columns = ["name"];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((c) => formatValue(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const numeric = columns.map((c) => rows.every((r) => r[c] === undefined || typeof r[c] === "number"));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i > 0 && numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

/** @returns one line describing a target and whether it is met, e.g. `[met]    … 1,234 msgs/s (target >= 1,000,000)` */
export function formatTarget(target: BenchTarget): string {
  const met = targetMet(target);
  const comparator = target.higherIsBetter ? ">=" : "<=";
  return `${met ? "[met]   " : "[MISSED]"} ${target.description}: ${formatValue(target.value)} ${target.unit} (target ${comparator} ${formatValue(target.target)} ${target.unit})`;
}

/** Totals over a run. */
export interface BenchSummary {
  readonly summary: true;
  readonly suites: number;
  readonly failedSuites: readonly string[];
  readonly targetsMet: number;
  readonly targetsMissed: number;
  readonly quick: boolean;
  readonly seconds: number;
  readonly machine: MachineInfo;
}

/** @returns the run's totals */
export function summarizeBench(outcomes: readonly SuiteOutcome[], quick: boolean, seconds: number, machine: MachineInfo): BenchSummary {
  const targets = outcomes.flatMap((o) => (o.ok ? o.report.targets ?? [] : []));
  const met = targets.filter(targetMet).length;
  return {
    summary: true,
    suites: outcomes.length,
    failedSuites: outcomes.filter((o) => !o.ok).map((o) => o.suite),
    targetsMet: met,
    targetsMissed: targets.length - met,
    quick,
    seconds: Math.round(seconds * 10) / 10,
    machine,
  };
}

/**
 * JSON lines for one suite: a line per row `{suite, name, ...metrics}`, a line per target
 * `{suite, type: "target", description, value, target, unit, higherIsBetter, met}`, and a suite line
 * `{suite, type: "suite", description, seconds, notes}` (or `{suite, type: "error", error}`).
 */
export function suiteJsonLines(outcome: SuiteOutcome): string[] {
  if (!outcome.ok) return [JSON.stringify({ suite: outcome.suite, type: "error", error: outcome.error, seconds: outcome.seconds })];
  const { report } = outcome;
  return [
    ...report.rows.map((row) => JSON.stringify({ suite: outcome.suite, ...row })),
    ...(report.targets ?? []).map((t) => JSON.stringify({ suite: outcome.suite, type: "target", ...t, met: targetMet(t) })),
    ...(report.charts ?? []).map((c) => JSON.stringify({ suite: outcome.suite, type: "chart", ...c })),
    JSON.stringify({ suite: outcome.suite, type: "suite", description: outcome.description, seconds: outcome.seconds, notes: report.notes ?? [] }),
  ];
}

/** Human-readable lines for one suite: heading, table, targets, notes. */
export function suiteTextLines(outcome: SuiteOutcome): string[] {
  const lines = ["", `== ${outcome.suite}: ${outcome.description} (${outcome.seconds} s)`];
  if (!outcome.ok) return [...lines, `SUITE FAILED: ${outcome.error}`];
  lines.push(...formatRows(outcome.report.rows));
  const targets = outcome.report.targets ?? [];
  if (targets.length > 0) lines.push("targets:", ...targets.map((t) => `  ${formatTarget(t)}`));
  const notes = outcome.report.notes ?? [];
  if (notes.length > 0) lines.push("notes:", ...notes.map((n) => `  - ${n}`));
  return lines;
}

/** Sinks and arguments of one CLI run (tests substitute them). */
export interface BenchIo {
  readonly argv: readonly string[];
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly suitesDir?: string;
  /** Run each suite in a child process of its own (the CLI does; default: in this process). */
  readonly isolate?: boolean;
  /** A terminal to draw a progress line on (the CLI passes stderr when it is a TTY). */
  readonly progress?: NodeJS.WriteStream;
  /** Where `--report` writes (default: bench/). */
  readonly reportDir?: string;
}

/**
 * A one-line progress display on a terminal: which suite of how many, and for how long it has run,
 * redrawn every second.
 * @returns a function that stops it and clears the line
 */
function progressLine(tty: NodeJS.WriteStream, label: () => string): () => void {
  const draw = (): void => {
    tty.write(`\r\x1b[K${label()}`);
  };
  draw();
  const timer = setInterval(draw, 1000);
  return () => {
    clearInterval(timer);
    tty.write("\r\x1b[K");
  };
}

/** The file a child process runs for one suite. */
const SUITE_PROCESS = fileURLToPath(new URL("./suite-process.ts", import.meta.url));

/**
 * Run one suite in a child process of its own (same Node, TypeScript through tsx, sources through
 * the `source` condition), its output on this process's stderr.
 * @returns its outcome, or a failed outcome when the child ends without one
 */
export function runSuiteIsolated(discovered: DiscoveredSuite, quick: boolean, dir: string = SUITES_DIR): Promise<SuiteOutcome> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = fork(SUITE_PROCESS, [dir, discovered.file, ...(quick ? ["--quick"] : [])], {
      execArgv: ["--conditions=source", "--import", "tsx"],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    child.stdout?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    let outcome: SuiteOutcome | undefined;
    child.on("message", (message) => {
      outcome = message as SuiteOutcome;
    });
    child.on("exit", (code, signal) => {
      const seconds = Math.round(Number(process.hrtime.bigint() - start) / 1e8) / 10;
      resolve(outcome ?? { suite: discovered.suite.name, description: discovered.suite.description, ok: false, error: `the suite's process ended (${signal ?? `exit ${code}`}) without a report`, seconds });
    });
  });
}

/**
 * The `pnpm bench` command.
 * @returns the exit code: 0 done, 1 a suite threw, 2 bad usage
 * @example
 * process.exitCode = await runBench({ argv: ["quorum", "--quick"], out: console.log, err: console.error });
 */
export async function runBench(io: BenchIo): Promise<number> {
  let args: BenchArgs;
  let suites: DiscoveredSuite[];
  try {
    args = parseBenchArgs(io.argv);
    if (args.help) {
      io.out(BENCH_USAGE);
      return 0;
    }
    suites = await loadSuites(args.only, io.suitesDir);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      io.err(`bench: ${error.message}`);
      io.err(BENCH_USAGE);
      return 2;
    }
    io.err(`bench: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const machine = machineInfo();
  const start = process.hrtime.bigint();
  if (!args.json) {
    io.out(
      `synod bench — node ${machine.node}, ${machine.platform}/${machine.arch}, ${machine.cpuModel}, ${machine.cores} cores ` +
        `(available ${machine.availableParallelism}), ${machine.totalMemGiB} GiB, load ${machine.loadAvg.join(" ")}${args.quick ? " — QUICK MODE: figures not meaningful" : ""}`,
    );
  }
  const outcomes: SuiteOutcome[] = [];
  for (const [index, discovered] of suites.entries()) {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e9);
    const label = (): string => `bench: [${index + 1}/${suites.length}] ${discovered.suite.name} … ${elapsed()} s`;
    const stop = io.progress !== undefined ? progressLine(io.progress, label) : undefined;
    if (stop === undefined && !args.json) io.err(`bench: running ${discovered.suite.name} …`);
    const outcome = io.isolate === true ? await runSuiteIsolated(discovered, args.quick, io.suitesDir) : await runSuite(discovered, args.quick);
    stop?.();
    outcomes.push(outcome);
    for (const line of args.json ? suiteJsonLines(outcome) : suiteTextLines(outcome)) io.out(line);
  }
  const summary = summarizeBench(outcomes, args.quick, Number(process.hrtime.bigint() - start) / 1e9, machine);
  if (args.report) {
    const written = writeReport(outcomes, machine, `pnpm bench ${io.argv.join(" ")}`.trim(), io.reportDir);
    io.err(`bench: wrote ${written.length} file(s): ${written.map((f) => relative(process.cwd(), f)).join(", ")}`);
  }
  if (args.json) io.out(JSON.stringify(summary));
  else {
    io.out("");
    io.out(
      `${summary.suites} suite(s) in ${summary.seconds} s: targets ${summary.targetsMet} met, ${summary.targetsMissed} MISSED` +
        `${summary.failedSuites.length > 0 ? `; FAILED suites: ${summary.failedSuites.join(", ")}` : ""}`,
    );
    if (summary.targetsMissed > 0) {
      io.out("missed targets:");
      for (const o of outcomes) if (o.ok) for (const t of o.report.targets ?? []) if (!targetMet(t)) io.out(`  ${o.suite}: ${formatTarget(t)}`);
    }
  }
  return summary.failedSuites.length > 0 ? 1 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  process.exitCode = await runBench({
    argv: process.argv.slice(2),
    isolate: true,
    ...(process.stderr.isTTY ? { progress: process.stderr } : {}),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
