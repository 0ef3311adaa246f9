import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../args.js";
import { EXIT } from "../report.js";
import { locateTlc, type LocateEnv, type TlcTools } from "../tlc-locate.js";
import { SpecTraceError, SpecTraceRecorder, type SpecTraceEvent } from "../../../packages/raft/src/simulation/index.js";
import { CrdtSpecTraceError, CrdtSpecTraceRecorder, type CrdtSpecTraceEvent } from "../../../packages/crdt/src/index.js";
import { PbftSpecTraceError, PbftSpecTraceRecorder, type PbftSpecTraceEvent } from "../../../packages/pbft/src/index.js";
import { ChainSpecTraceError, ChainSpecTraceRecorder, type ChainSpecTraceEvent } from "../../../packages/chain/src/simulation/index.js";
import { chainHeaderOf, chainTraceNdjson, recordChainRun, type ChainRunOptions } from "./record-chain-trace.js";
import { crdtTraceNdjson, recordCrdtRun, type CrdtRunOptions } from "./record-crdt-trace.js";
import { pbftHeaderOf, pbftTraceNdjson, recordPbftRun, type PbftRunOptions } from "./record-pbft-trace.js";
import { recordRaftRun, traceNdjson, type RaftRunOptions } from "./record-raft-trace.js";
import { GossipSpecTraceError, GossipSpecTraceRecorder, type SwimSpecTraceEvent } from "../../../packages/gossip/src/index.js";
import { gossipHeaderOf, gossipTraceNdjson, recordGossipRun, type GossipRunOptions } from "./record-gossip-trace.js";
import { checkSwimTraceWithTlc } from "./tlc-trace-check.js";
import { checkChainTraceWithTlc, checkCrdtTraceWithTlc, checkPbftTraceWithTlc, checkTraceWithTlc, type TlcTool, type TraceVerdict } from "./tlc-trace-check.js";
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
  /** The same for `validate chain`. */
  readonly mutateChain?: (events: ChainSpecTraceEvent[]) => ChainSpecTraceEvent[];
  /** The same for `validate gossip`. */
  readonly mutateGossip?: (events: SwimSpecTraceEvent[]) => SwimSpecTraceEvent[];
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

/** What explaining a rejected line needs of a trace line (every recorder's events have it). */
interface TraceLine {
  /** The node whose step it is. */
  readonly i: string;
  /** The simulator event it was recorded at. */
  readonly at: number;
  /** The node's state after the step, as the implementation reports it (when the line carries it). */
  readonly post?: unknown;
}

/**
 * The lines explaining a trace `spec` does not accept: the line, the node's state as the spec
 * matched it before (its last earlier line with `post`, else `initialState`), and its state after,
 * as the implementation reports it.
 */
function explainSpecRejection(events: readonly TraceLine[], line: number, spec: string, initialState: string): string[] {
  const event = events[line - 1];
  if (event === undefined) return [`  line ${line} is past the trace's end`];
  let before: TraceLine | undefined;
  for (let k = line - 2; k >= 0 && before === undefined; k--) if (events[k]?.i === event.i && events[k]?.post !== undefined) before = events[k];
  return [
    `  the first line no step of ${spec} explains: line ${line} of the trace (NDJSON line ${line + 1}, simulator event ${event.at})`,
    `    ${JSON.stringify(event)}`,
    `  ${event.i} before it, as matched by the spec (line ${before === undefined ? "-" : events.indexOf(before) + 1}): ` +
      `${before?.post === undefined ? initialState : JSON.stringify(before.post)}`,
    ...(event.post === undefined ? [] : [`  ${event.i} after it, as the implementation reports: ${JSON.stringify(event.post)}`]),
  ];
}

const PBFT_INITIAL_STATE = "the initial state (view 0, started, nothing executed)";

const SPEC_OF = { raft: "Raft.tla", crdt: "DeltaAntiEntropy.tla", pbft: "PBFT.tla", chain: "Chain.tla", gossip: "Swim.tla" } as const;

function describe(v: SeedValidation, protocol: ValidateArgs["protocol"] = "raft"): string[] {
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
  const validation =
    args.protocol === "crdt" ? crdtValidation(io, args) : args.protocol === "pbft" ? pbftValidation(io, args) :
    args.protocol === "chain" ? chainValidation(io, args) : args.protocol === "gossip" ? gossipValidation(io, args) : raftValidation(io, args);
  return validateSeeds(io, args, tool, validation);
}

/** One seed's run, recorded (and mutated, in tests) and ready for TLC. */
interface RecordedSeed {
  /** The run's options, as the JSON output shows them. */
  readonly options: object;
  readonly events: readonly TraceLine[];
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
  readonly counts: Record<string, number>;
  readonly abstracted?: Readonly<Record<string, number>>;
  /** The trace as NDJSON (for `--trace`). */
  readonly ndjson: () => string;
  /** TLC's verdict on the trace. */
  readonly check: (tool: TlcTool) => Promise<TraceVerdict>;
}

/** What validating one protocol's simulated runs needs: its recorder, its spec's check, its replay flags. */
interface ProtocolValidation {
  readonly protocol: ValidateArgs["protocol"];
  /** How a node's state before its first matched line is named in a rejection. */
  readonly initialState: string;
  /** Flags beyond seed, nodes, duration and faults that replay the runs. */
  readonly replayFlags: string;
  /** Whether a recorder error is a step it cannot map to the spec (a failed validation, not bad usage). */
  readonly isTraceError: (error: unknown) => boolean;
  /** @throws what the recorder throws (a trace error, or a usage error for options it refuses) */
  readonly record: (seed: number) => RecordedSeed;
}

function raftValidation(io: ValidateIo, args: ValidateArgs): ProtocolValidation {
  const { nodes, durationMs, faults, preVote, checkQuorum } = args;
  return {
    protocol: "raft",
    initialState: "the initial state",
    replayFlags: `${preVote ? "" : " --no-pre-vote"}${checkQuorum ? "" : " --no-check-quorum"}`,
    isTraceError: (error) => error instanceof SpecTraceError,
    record(seed) {
      const options: RaftRunOptions = { seed, nodes, durationMs, faults, preVote, checkQuorum };
      const run = recordRaftRun(options);
      const events = io.mutate ? io.mutate(run.events) : run.events;
      return {
        options,
        events,
        violations: run.violations,
        simulatorEvents: run.simulatorEvents,
        counts: SpecTraceRecorder.counts(events),
        ndjson: () => traceNdjson({ header: run.header, events }),
        check: (tool) => checkTraceWithTlc(join(io.specsRoot, "raft"), run.header, events, tool),
      };
    },
  };
}

function crdtValidation(io: ValidateIo, args: ValidateArgs): ProtocolValidation {
  return {
    protocol: "crdt",
    initialState: "the initial state",
    replayFlags: "",
    isTraceError: (error) => error instanceof CrdtSpecTraceError,
    record(seed) {
      const options: CrdtRunOptions = { seed, nodes: args.nodes, durationMs: args.durationMs, faults: args.faults };
      const run = recordCrdtRun(options);
      const events = io.mutateCrdt ? io.mutateCrdt(run.events) : run.events;
      const header = { ...run.header, maxOps: CrdtSpecTraceRecorder.maxOps(events) };
      return {
        options,
        events,
        violations: run.violations,
        simulatorEvents: run.simulatorEvents,
        counts: CrdtSpecTraceRecorder.counts(events),
        ...(run.lostSteps > 0 ? { abstracted: { "step lost in a crash before its sync": run.lostSteps } } : {}),
        ndjson: () => crdtTraceNdjson({ header, events }),
        check: (tool) => checkCrdtTraceWithTlc(join(io.specsRoot, "crdt"), header, events, tool),
      };
    },
  };
}

/** A recorded run of PBFT, SWIM or the chain (the same shape from each recorder). */
interface RecordedRun<E extends TraceLine, H> {
  readonly header: H;
  readonly events: E[];
  readonly abstracted: Readonly<Record<string, number>>;
  readonly violations: readonly string[];
  readonly simulatorEvents: number;
}

/** The options of a validated PBFT, SWIM or chain run: seed, nodes, duration and faults, nothing else. */
interface PlainRunOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly durationMs: number;
  readonly faults: string;
}

/** What a protocol whose runs take only {@link PlainRunOptions} gives the shared loop: its recorder, trace format and TLC check. */
interface PlainRecorder<E extends TraceLine, H> {
  readonly protocol: ValidateArgs["protocol"];
  readonly initialState: string;
  readonly isTraceError: (error: unknown) => boolean;
  readonly record: (options: PlainRunOptions) => RecordedRun<E, H>;
  /** The test hook that plants a wrong step (then the header is computed again from the events). */
  readonly mutate: ((events: E[]) => E[]) | undefined;
  readonly headerOf: (options: PlainRunOptions, run: RecordedRun<E, H>, events: readonly E[]) => H;
  readonly counts: (events: readonly E[]) => Record<string, number>;
  readonly ndjson: (trace: { header: H; events: E[] }) => string;
  /** Flags beyond seed, nodes, duration and faults that replay the runs (default none). */
  readonly replayFlags?: string;
  /** What the JSON line shows of the run's options beyond seed, nodes, duration and faults (default nothing). */
  readonly moreOptions?: (header: H) => object;
  /** @param folder - the protocol's specs folder */
  readonly check: (folder: string, header: H, events: E[], tool: TlcTool) => Promise<TraceVerdict>;
}

function plainValidation<E extends TraceLine, H>(io: ValidateIo, args: ValidateArgs, folder: string, r: PlainRecorder<E, H>): ProtocolValidation {
  return {
    protocol: r.protocol,
    initialState: r.initialState,
    replayFlags: r.replayFlags ?? "",
    isTraceError: r.isTraceError,
    record(seed) {
      const options: PlainRunOptions = { seed, nodes: args.nodes, durationMs: args.durationMs, faults: args.faults };
      const run = r.record(options);
      const events = r.mutate ? r.mutate(run.events) : run.events;
      const header = r.mutate ? r.headerOf(options, run, events) : run.header;
      return {
        options: { ...options, ...r.moreOptions?.(header) },
        events,
        violations: run.violations,
        simulatorEvents: run.simulatorEvents,
        counts: r.counts(events),
        abstracted: run.abstracted,
        ndjson: () => r.ndjson({ header, events }),
        check: (tool) => r.check(join(io.specsRoot, folder), header, events, tool),
      };
    },
  };
}

function pbftValidation(io: ValidateIo, args: ValidateArgs): ProtocolValidation {
  const byzantine = { byzantine: args.byzantine, strategy: args.strategy };
  return plainValidation(io, args, "pbft", {
    protocol: "pbft",
    initialState: PBFT_INITIAL_STATE,
    isTraceError: (error) => error instanceof PbftSpecTraceError,
    record: (options: PbftRunOptions) => recordPbftRun({ ...options, ...byzantine }),
    mutate: io.mutatePbft,
    replayFlags: args.byzantine === 0 ? "" : ` --byzantine ${args.byzantine}${args.strategy === undefined ? "" : ` --strategy ${args.strategy}`}`,
    moreOptions: (header) => (args.byzantine === 0 ? {} : { byzantine: header.byzantine }),
    headerOf: (options, _run, events) => pbftHeaderOf({ ...options, ...byzantine }, events),
    counts: (events) => PbftSpecTraceRecorder.counts(events),
    ndjson: pbftTraceNdjson,
    check: checkPbftTraceWithTlc,
  });
}

function gossipValidation(io: ValidateIo, args: ValidateArgs): ProtocolValidation {
  return plainValidation(io, args, "gossip", {
    protocol: "gossip",
    initialState: "the initial state (every member alive at incarnation 0)",
    isTraceError: (error) => error instanceof GossipSpecTraceError,
    record: (options: GossipRunOptions) => recordGossipRun(options),
    mutate: io.mutateGossip,
    headerOf: (options, _run, events) => gossipHeaderOf(options, events),
    counts: (events) => GossipSpecTraceRecorder.counts(events),
    ndjson: gossipTraceNdjson,
    check: checkSwimTraceWithTlc,
  });
}

function chainValidation(io: ValidateIo, args: ValidateArgs): ProtocolValidation {
  return plainValidation(io, args, "chain", {
    protocol: "chain",
    initialState: "the initial state (the formed chain, nothing written)",
    isTraceError: (error) => error instanceof ChainSpecTraceError,
    record: (options: ChainRunOptions) => recordChainRun(options),
    mutate: io.mutateChain,
    headerOf: (options, run, events) => chainHeaderOf(options, run.header.nodes, run.header.formedEpoch, events),
    counts: (events) => ChainSpecTraceRecorder.counts(events),
    ndjson: chainTraceNdjson,
    check: checkChainTraceWithTlc,
  });
}

/** Record, check and report every seed of `args` for one protocol. @returns the exit code */
async function validateSeeds(io: ValidateIo, args: ValidateArgs, tool: TlcTool, p: ProtocolValidation): Promise<number> {
  const spec = SPEC_OF[p.protocol];
  const results: SeedValidation[] = [];
  let code: number = EXIT.pass;
  for (let seed = args.seed; seed < args.seed + args.seeds; seed++) {
    const startedAt = process.hrtime.bigint();
    let run: RecordedSeed;
    try {
      run = p.record(seed);
    } catch (error) {
      // A step the recorder cannot map to the spec is a failed validation; anything else (a fault the
      // validated runs refuse, an unknown one) is bad usage.
      io.err(`specs validate: seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
      return p.isTraceError(error) ? EXIT.fail : EXIT.usage;
    }
    const recordSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (args.trace !== undefined) writeFileSync(traceFileOf(args.trace, seed, args.seeds > 1), run.ndjson());
    if (run.violations.length > 0) io.err(`specs validate: seed ${seed}: the simulator itself reported ${run.violations.join("; ")} (the trace ends there)`);
    const verdict = await run.check(tool);
    const { events, simulatorEvents, counts, abstracted } = run;
    const shown = abstracted === undefined ? {} : { abstracted };
    const result: SeedValidation = { seed, lines: events.length, simulatorEvents, counts, ...shown, recordSeconds, verdict };
    results.push(result);
    if (args.json) io.out(JSON.stringify({ protocol: p.protocol, ...run.options, ...result }));
    else {
      for (const line of describe(result, p.protocol)) io.out(line);
      if (verdict.result === "rejected") for (const line of explainSpecRejection(events, verdict.line, spec, p.initialState)) io.out(line);
    }
    const seedCode = verdict.result === "validated" ? EXIT.pass : verdict.result === "error" ? EXIT.error : EXIT.fail;
    if (seedCode === EXIT.fail || (seedCode === EXIT.error && code === EXIT.pass)) code = seedCode;
  }
  const validated = results.filter((r) => r.verdict.result === "validated").length;
  const replay = `pnpm specs validate ${p.protocol} --seed ${args.seed}${args.seeds > 1 ? ` --seeds ${args.seeds}` : ""}` +
    ` --nodes ${args.nodes} --duration ${args.durationMs} --faults ${args.faults}${p.replayFlags}`;
  if (args.json) io.out(JSON.stringify({ summary: true, seeds: results.length, validated, exitCode: code }));
  else io.out(`${validated} of ${results.length} trace(s) validated against ${spec} (${tool.jar}) — ${replay}`);
  return code;
}

/**
 * The lines explaining a PBFT trace PBFT.tla does not accept: the line, the replica's state as the
 * spec matched it before (the last line of that replica with `post`), and its state after, as the
 * implementation reports it.
 */
export function explainPbftRejection(events: readonly PbftSpecTraceEvent[], line: number): string[] {
  return explainSpecRejection(events, line, "PBFT.tla", PBFT_INITIAL_STATE);
}
