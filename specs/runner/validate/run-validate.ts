import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../args.js";
import { EXIT } from "../report.js";
import { locateTlc, type LocateEnv, type TlcTools } from "../tlc-locate.js";
import { SpecTraceError, SpecTraceRecorder, type SpecTraceEvent } from "../../../packages/raft/src/simulation/index.js";
import { CrdtSpecTraceError, CrdtSpecTraceRecorder, type CrdtSpecTraceEvent } from "../../../packages/crdt/src/index.js";
import { PbftSpecTraceError, PbftSpecTraceRecorder, type PbftSpecTraceEvent } from "../../../packages/pbft/src/index.js";
import { crdtTraceNdjson, recordCrdtRun, type CrdtRunOptions } from "./record-crdt-trace.js";
import { pbftHeaderOf, pbftTraceNdjson, recordPbftRun, type PbftRunOptions } from "./record-pbft-trace.js";
import { recordRaftRun, traceNdjson, type RaftRunOptions } from "./record-raft-trace.js";
import { checkCrdtTraceWithTlc, checkPbftTraceWithTlc, checkTraceWithTlc, type TlcTool, type TraceVerdict } from "./tlc-trace-check.js";
import { parseValidateArgs, VALIDATE_USAGE, type ValidateArgs } from "./validate-args.js";

/** What `pnpm specs validate` touches, injectable for tests. */
export interface ValidateIo {
  readonly argv: readonly string[];
  readonly env: LocateEnv & { readonly SYNOD_REQUIRE_TLC?: string | undefined };
  readonly specsRoot: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly locate?: (env: LocateEnv) => Promise<TlcTools>;
  /** Replaces the recorded events before the check (tests plant a wrong step this way). */
  readonly mutate?: (events: SpecTraceEvent[]) => SpecTraceEvent[];
  /** The same for `validate crdt`. */
  readonly mutateCrdt?: (events: CrdtSpecTraceEvent[]) => CrdtSpecTraceEvent[];
  /** The same for `validate pbft`. */
  readonly mutatePbft?: (events: PbftSpecTraceEvent[]) => PbftSpecTraceEvent[];
}

/** One seed's outcome. */
export interface SeedValidation {
  readonly seed: number;
  readonly lines: number;
  readonly simulatorEvents: number;
  readonly counts: Record<string, number>;
  /** Implementation steps the spec abstracts, by kind (pbft: not lines of the trace). */
  readonly abstracted?: Readonly<Record<string, number>>;
  readonly recordSeconds: number;
  readonly verdict: TraceVerdict;
}

/** @returns the trace file of `seed` (the seed before the extension when several seeds run) */
function traceFileOf(file: string, seed: number, several: boolean): string {
  if (!several) return file;
  const dot = file.lastIndexOf(".");
  return dot > 0 ? `${file.slice(0, dot)}.${seed}${file.slice(dot)}` : `${file}.${seed}`;
}

/** The lines explaining a trace Raft.tla does not accept: the event, the node's state before it (matched), its claimed state after. */
function explainRejection(events: readonly SpecTraceEvent[], line: number): string[] {
  const event = events[line - 1];
  if (event === undefined) return [`  line ${line} is past the trace's end`];
  let before: SpecTraceEvent | undefined;
  for (let k = line - 2; k >= 0 && before === undefined; k--) if (events[k]?.i === event.i && events[k]?.post !== undefined) before = events[k];
  return [
    `  the first line no step of Raft.tla explains: line ${line} of the trace (NDJSON line ${line + 1}, simulator event ${event.at})`,
    `    ${JSON.stringify(event)}`,
    `  ${event.i} before it, as matched by the spec (line ${before === undefined ? "-" : events.indexOf(before) + 1}): ` +
      `${before?.post === undefined ? "the initial state" : JSON.stringify(before.post)}`,
    ...(event.post === undefined ? [] : [`  ${event.i} after it, as the implementation reports: ${JSON.stringify(event.post)}`]),
  ];
}

/**
 * The recorders' counts by event name. The Raft recorder still marks its heartbeat, ack below the
 * commit index and refusal "(extension)": they were steps Raft.tla lacked until issue 18 added them
 * to it, so the mark is dropped here.
 */
function specCounts(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(counts)) {
    const key = name.replace(/ \(extension\)$/, "");
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

const SPEC_OF = { raft: "Raft.tla", crdt: "DeltaAntiEntropy.tla", pbft: "PBFT.tla" } as const;

function describe(v: SeedValidation, protocol: "raft" | "crdt" | "pbft" = "raft"): string[] {
  const spec = SPEC_OF[protocol];
  const head = `${protocol} seed ${v.seed}: ${v.lines.toLocaleString("en-US")} trace lines from ${v.simulatorEvents.toLocaleString("en-US")} simulator events`;
  const verdict = v.verdict;
  switch (verdict.result) {
    case "validated":
      return [`${head}: VALIDATED — a behaviour of ${spec}, ${verdict.states.toLocaleString("en-US")} states, TLC ${verdict.seconds.toFixed(1)} s`];
    case "rejected":
      return [`${head}: NOT a behaviour of ${spec}; TLC ${verdict.seconds.toFixed(1)} s`];
    case "violation":
      return [`${head}: ${spec}'s ${verdict.property} is violated after line ${verdict.line ?? "?"} of the trace; TLC ${verdict.seconds.toFixed(1)} s`];
    case "error":
      return [`${head}: TLC could not check it: ${verdict.message}`];
  }
}

/**
 * `pnpm specs validate raft|crdt …`: record simulated runs as spec traces and check each with TLC.
 * @returns the exit code (see VALIDATE_USAGE)
 */
export async function runValidate(io: ValidateIo): Promise<number> {
  let args: ValidateArgs;
  try {
    args = parseValidateArgs(io.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`specs validate: ${error.message}`);
    io.err(VALIDATE_USAGE);
    return EXIT.usage;
  }
  if (args.help) {
    io.out(VALIDATE_USAGE);
    return EXIT.pass;
  }
  const tools = await (io.locate ?? ((env: LocateEnv) => locateTlc(env)))(io.env);
  if (!tools.found) {
    const required = io.env.SYNOD_REQUIRE_TLC === "1" || Boolean(io.env.TLA2TOOLS_JAR) || Boolean(io.env.JAVA);
    io.err(`specs validate: TLC is not available: ${tools.reason}. NO trace was checked${required ? "" : " (set SYNOD_REQUIRE_TLC=1 to make this fail)"}.`);
    return required ? EXIT.unavailable : EXIT.pass;
  }
  const tool: TlcTool = { java: tools.java, jar: tools.jar };
  if (args.protocol === "crdt") return validateCrdt(io, args, tool, tools.jar);
  if (args.protocol === "pbft") return validatePbft(io, args, tool, tools.jar);
  const results: SeedValidation[] = [];
  let code: number = EXIT.pass;
  for (let seed = args.seed; seed < args.seed + args.seeds; seed++) {
    const { nodes, durationMs, faults, preVote, checkQuorum } = args;
    const options: RaftRunOptions = { seed, nodes, durationMs, faults, preVote, checkQuorum };
    const startedAt = process.hrtime.bigint();
    let run;
    try {
      run = recordRaftRun(options);
    } catch (error) {
      // A step the recorder cannot map to the spec is a failed validation; anything else (a fault the
      // validated runs refuse, an unknown one) is bad usage.
      io.err(`specs validate: seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
      return error instanceof SpecTraceError ? EXIT.fail : EXIT.usage;
    }
    const recordSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const events = io.mutate ? io.mutate(run.events) : run.events;
    if (args.trace !== undefined) writeFileSync(traceFileOf(args.trace, seed, args.seeds > 1), traceNdjson({ header: run.header, events }));
    if (run.violations.length > 0) io.err(`specs validate: seed ${seed}: the simulator itself reported ${run.violations.join("; ")} (the trace ends there)`);
    const verdict = await checkTraceWithTlc(join(io.specsRoot, "raft"), run.header, events, tool);
    const counts = specCounts(SpecTraceRecorder.counts(events));
    const result: SeedValidation = { seed, lines: events.length, simulatorEvents: run.simulatorEvents, counts, recordSeconds, verdict };
    results.push(result);
    if (args.json) io.out(JSON.stringify({ protocol: "raft", ...options, ...result }));
    else {
      for (const line of describe(result)) io.out(line);
      if (verdict.result === "rejected") for (const line of explainRejection(events, verdict.line)) io.out(line);
    }
    const seedCode = verdict.result === "validated" ? EXIT.pass : verdict.result === "error" ? EXIT.error : EXIT.fail;
    if (seedCode === EXIT.fail || (seedCode === EXIT.error && code === EXIT.pass)) code = seedCode;
  }
  const validated = results.filter((r) => r.verdict.result === "validated").length;
  const replay = `pnpm specs validate raft --seed ${args.seed}${args.seeds > 1 ? ` --seeds ${args.seeds}` : ""}` +
    ` --nodes ${args.nodes} --duration ${args.durationMs} --faults ${args.faults}` +
    `${args.preVote ? "" : " --no-pre-vote"}${args.checkQuorum ? "" : " --no-check-quorum"}`;
  if (args.json) io.out(JSON.stringify({ summary: true, seeds: results.length, validated, exitCode: code }));
  else io.out(`${validated} of ${results.length} trace(s) validated against Raft.tla (${tools.jar}) — ${replay}`);
  return code;
}

/** The lines explaining a CRDT trace DeltaAntiEntropy.tla does not accept (as {@link explainRejection}). */
function explainCrdtRejection(events: readonly CrdtSpecTraceEvent[], line: number): string[] {
  const event = events[line - 1];
  if (event === undefined) return [`  line ${line} is past the trace's end`];
  let before: CrdtSpecTraceEvent | undefined;
  for (let k = line - 2; k >= 0 && before === undefined; k--) if (events[k]?.i === event.i && events[k]?.post !== undefined) before = events[k];
  return [
    `  the first line no step of DeltaAntiEntropy.tla explains: line ${line} of the trace (NDJSON line ${line + 1}, simulator event ${event.at})`,
    `    ${JSON.stringify(event)}`,
    `  ${event.i} before it, as matched by the spec (line ${before === undefined ? "-" : events.indexOf(before) + 1}): ` +
      `${before?.post === undefined ? "the initial state" : JSON.stringify(before.post)}`,
    ...(event.post === undefined ? [] : [`  ${event.i} after it, as the implementation reports: ${JSON.stringify(event.post)}`]),
  ];
}

/** `pnpm specs validate crdt …` once TLC is found. @returns the exit code */
async function validateCrdt(io: ValidateIo, args: ValidateArgs, tool: TlcTool, jar: string): Promise<number> {
  const results: SeedValidation[] = [];
  let code: number = EXIT.pass;
  for (let seed = args.seed; seed < args.seed + args.seeds; seed++) {
    const options: CrdtRunOptions = { seed, nodes: args.nodes, durationMs: args.durationMs, faults: args.faults };
    const startedAt = process.hrtime.bigint();
    let run;
    try {
      run = recordCrdtRun(options);
    } catch (error) {
      // A step the recorder cannot map to the spec fails the validation; anything else is bad usage.
      io.err(`specs validate: seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
      return error instanceof CrdtSpecTraceError ? EXIT.fail : EXIT.usage;
    }
    const recordSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const events = io.mutateCrdt ? io.mutateCrdt(run.events) : run.events;
    const header = { ...run.header, maxOps: CrdtSpecTraceRecorder.maxOps(events) };
    if (args.trace !== undefined) writeFileSync(traceFileOf(args.trace, seed, args.seeds > 1), crdtTraceNdjson({ header, events }));
    if (run.violations.length > 0) io.err(`specs validate: seed ${seed}: the simulator itself reported ${run.violations.join("; ")} (the trace ends there)`);
    const verdict = await checkCrdtTraceWithTlc(join(io.specsRoot, "crdt"), header, events, tool);
    const counts = CrdtSpecTraceRecorder.counts(events);
    const result: SeedValidation = { seed, lines: events.length, simulatorEvents: run.simulatorEvents, counts, recordSeconds, verdict };
    results.push(result);
    if (args.json) io.out(JSON.stringify({ protocol: "crdt", ...options, ...result }));
    else {
      for (const line of describe(result, "crdt")) io.out(line);
      if (verdict.result === "rejected") for (const line of explainCrdtRejection(events, verdict.line)) io.out(line);
    }
    const seedCode = verdict.result === "validated" ? EXIT.pass : verdict.result === "error" ? EXIT.error : EXIT.fail;
    if (seedCode === EXIT.fail || (seedCode === EXIT.error && code === EXIT.pass)) code = seedCode;
  }
  const validated = results.filter((r) => r.verdict.result === "validated").length;
  const replay = `pnpm specs validate crdt --seed ${args.seed}${args.seeds > 1 ? ` --seeds ${args.seeds}` : ""}` +
    ` --nodes ${args.nodes} --duration ${args.durationMs} --faults ${args.faults}`;
  if (args.json) io.out(JSON.stringify({ summary: true, seeds: results.length, validated, exitCode: code }));
  else io.out(`${validated} of ${results.length} trace(s) validated against DeltaAntiEntropy.tla (${jar}) — ${replay}`);
  return code;
}

/**
 * The lines explaining a PBFT trace PBFT.tla does not accept: the line, the replica's state as the
 * spec matched it before (the last line of that replica with `post`), and its state after, as the
 * implementation reports it.
 */
export function explainPbftRejection(events: readonly PbftSpecTraceEvent[], line: number): string[] {
  const event = events[line - 1];
  if (event === undefined) return [`  line ${line} is past the trace's end`];
  let before: PbftSpecTraceEvent | undefined;
  for (let k = line - 2; k >= 0 && before === undefined; k--) if (events[k]?.i === event.i && events[k]?.post !== undefined) before = events[k];
  return [
    `  the first line no step of PBFT.tla explains: line ${line} of the trace (NDJSON line ${line + 1}, simulator event ${event.at})`,
    `    ${JSON.stringify(event)}`,
    `  ${event.i} before it, as matched by the spec (line ${before === undefined ? "-" : events.indexOf(before) + 1}): ` +
      `${before?.post === undefined ? "the initial state (view 0, started, nothing executed)" : JSON.stringify(before.post)}`,
    ...(event.post === undefined ? [] : [`  ${event.i} after it, as the implementation reports: ${JSON.stringify(event.post)}`]),
  ];
}

/** `pnpm specs validate pbft …` once TLC is found. @returns the exit code */
async function validatePbft(io: ValidateIo, args: ValidateArgs, tool: TlcTool, jar: string): Promise<number> {
  const results: SeedValidation[] = [];
  let code: number = EXIT.pass;
  for (let seed = args.seed; seed < args.seed + args.seeds; seed++) {
    const options: PbftRunOptions = { seed, nodes: args.nodes, durationMs: args.durationMs, faults: args.faults };
    const startedAt = process.hrtime.bigint();
    let run;
    try {
      run = recordPbftRun(options);
    } catch (error) {
      // A step the recorder cannot map to the spec fails the validation; anything else is bad usage.
      io.err(`specs validate: seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
      return error instanceof PbftSpecTraceError ? EXIT.fail : EXIT.usage;
    }
    const recordSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const events = io.mutatePbft ? io.mutatePbft(run.events) : run.events;
    const header = io.mutatePbft ? pbftHeaderOf(options, events) : run.header;
    if (args.trace !== undefined) writeFileSync(traceFileOf(args.trace, seed, args.seeds > 1), pbftTraceNdjson({ header, events }));
    if (run.violations.length > 0) io.err(`specs validate: seed ${seed}: the simulator itself reported ${run.violations.join("; ")} (the trace ends there)`);
    const verdict = await checkPbftTraceWithTlc(join(io.specsRoot, "pbft"), header, events, tool);
    const counts = PbftSpecTraceRecorder.counts(events);
    const { simulatorEvents, abstracted } = run;
    const result: SeedValidation = { seed, lines: events.length, simulatorEvents, counts, abstracted, recordSeconds, verdict };
    results.push(result);
    if (args.json) io.out(JSON.stringify({ protocol: "pbft", ...options, ...result }));
    else {
      for (const line of describe(result, "pbft")) io.out(line);
      if (verdict.result === "rejected") for (const line of explainPbftRejection(events, verdict.line)) io.out(line);
    }
    const seedCode = verdict.result === "validated" ? EXIT.pass : verdict.result === "error" ? EXIT.error : EXIT.fail;
    if (seedCode === EXIT.fail || (seedCode === EXIT.error && code === EXIT.pass)) code = seedCode;
  }
  const validated = results.filter((r) => r.verdict.result === "validated").length;
  const replay = `pnpm specs validate pbft --seed ${args.seed}${args.seeds > 1 ? ` --seeds ${args.seeds}` : ""}` +
    ` --nodes ${args.nodes} --duration ${args.durationMs} --faults ${args.faults}`;
  if (args.json) io.out(JSON.stringify({ summary: true, seeds: results.length, validated, exitCode: code }));
  else io.out(`${validated} of ${results.length} trace(s) validated against PBFT.tla (${jar}) — ${replay}`);
  return code;
}
