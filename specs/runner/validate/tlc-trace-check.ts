import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerTempDir } from "../interrupt-cleanup.js";
import { runProcess, type ProcessResult } from "../java-process.js";
import type { SpecTraceEvent, SpecTraceHeader } from "../../../packages/raft/src/simulation/index.js";
import type { CrdtSpecTraceEvent, CrdtSpecTraceHeader } from "../../../packages/crdt/src/index.js";
import type { PbftSpecTraceEvent, PbftSpecTraceHeader } from "../../../packages/pbft/src/index.js";
import type { ChainSpecTraceEvent, ChainSpecTraceHeader } from "../../../packages/chain/src/simulation/index.js";
import type { SwimSpecTraceEvent, SwimSpecTraceHeader } from "../../../packages/gossip/src/index.js";
import { chainTraceDataModule, crdtTraceDataModule, pbftTraceDataModule, swimTraceDataModule, traceDataModule } from "./trace-module.js";

/** TLC's verdict on one trace. */
export type TraceVerdict =
  | { readonly result: "validated"; readonly states: number; readonly seconds: number }
  /** No behaviour of the spec explains line `line` (1-based; the NDJSON file's line `line + 1`). */
  | { readonly result: "rejected"; readonly line: number; readonly states: number; readonly seconds: number }
  /** The trace was matched up to the state after line `line`, where a property of the spec failed. */
  | { readonly result: "violation"; readonly property: string; readonly line: number | undefined; readonly seconds: number }
  | { readonly result: "error"; readonly message: string; readonly seconds: number };

/** Where Java and the jar are. */
export interface TlcTool {
  readonly java: string;
  readonly jar: string;
  /** Replaces the process runner (tests). */
  readonly run?: (command: string, args: readonly string[], options: { cwd: string; timeoutMs: number }) => Promise<ProcessResult>;
}

/** A trace check never takes this long (a few thousand lines take seconds). */
export const TRACE_CHECK_TIMEOUT_MS = 10 * 60_000;

/**
 * Read TLC's output on RaftTrace.tla or CrdtTrace.tla.
 * @param output - TLC's stdout and stderr
 * @param exitCode - its exit code (null: killed)
 * @param seconds - its wall time
 */
export function readTraceVerdict(output: string, exitCode: number | null, seconds: number): TraceVerdict {
  // The last match: TLC's progress lines say "… distinct states found" too, before the final count.
  const number = (re: RegExp): number | undefined => {
    const matches = [...output.matchAll(new RegExp(re.source, "g"))];
    const value = matches[matches.length - 1]?.[1];
    return value === undefined ? undefined : Number(value.replace(/,/g, ""));
  };
  const depth = number(/The depth of the complete state graph search is (\d+)/);
  const states = number(/([\d,]+) distinct states? found/) ?? 0;
  const property = /Invariant (\w+) is violated/.exec(output)?.[1] ?? /Action property (\w+)/.exec(output)?.[1] ??
    (/Temporal properties were violated/.test(output) ? "a temporal property" : undefined);
  if (property !== undefined) {
    const ls = [...output.matchAll(/\/\\ l = (\d+)/g)].map((m) => Number(m[1]));
    const last = ls[ls.length - 1];
    return { result: "violation", property, line: last === undefined ? undefined : last - 1, seconds };
  }
  if (/Assumption line \d+, col \d+ to line \d+, col \d+ of module \w+Trace is false/.test(output) && depth !== undefined) {
    return { result: "rejected", line: depth, states, seconds };
  }
  if (exitCode === 0 && /Model checking completed\. No error has been found\./.test(output)) return { result: "validated", states, seconds };
  const errors = output.split("\n").filter((l) => /Error|error|Exception/.test(l)).slice(0, 8);
  return { result: "error", message: exitCode === null ? "TLC was stopped (timeout)" : errors.join("\n") || `TLC exited ${exitCode}`, seconds };
}

/**
 * Check a trace with TLC: copies Raft.tla, RaftTrace.tla and RaftTrace.cfg to a temporary folder,
 * writes RaftTraceData.tla beside them and runs TLC (one worker).
 * @param specsRaft - the specs/raft folder
 */
export async function checkTraceWithTlc(
  specsRaft: string,
  header: SpecTraceHeader,
  events: readonly SpecTraceEvent[],
  tool: TlcTool,
): Promise<TraceVerdict> {
  return checkTraceModule(specsRaft, ["Raft.tla"], "RaftTrace", traceDataModule(header, events), tool);
}

/**
 * Check a CRDT trace with TLC: copies DeltaAntiEntropy.tla, CrdtTrace.tla and CrdtTrace.cfg to a
 * temporary folder, writes CrdtTraceData.tla beside them and runs TLC (one worker).
 * @param specsCrdt - the specs/crdt folder
 */
export async function checkCrdtTraceWithTlc(
  specsCrdt: string,
  header: CrdtSpecTraceHeader,
  events: readonly CrdtSpecTraceEvent[],
  tool: TlcTool,
): Promise<TraceVerdict> {
  return checkTraceModule(specsCrdt, ["DeltaAntiEntropy.tla"], "CrdtTrace", crdtTraceDataModule(header, events), tool);
}

/**
 * Check a PBFT trace with TLC: copies PBFT.tla, PBFTTrace.tla and PBFTTrace.cfg to a temporary
 * folder, writes PBFTTraceData.tla beside them and runs TLC (one worker).
 * @param specsPbft - the specs/pbft folder
 */
export async function checkPbftTraceWithTlc(
  specsPbft: string,
  header: PbftSpecTraceHeader,
  events: readonly PbftSpecTraceEvent[],
  tool: TlcTool,
): Promise<TraceVerdict> {
  return checkTraceModule(specsPbft, ["PBFT.tla"], "PBFTTrace", pbftTraceDataModule(header, events), tool);
}

/**
 * Check a chain trace with TLC: copies Chain.tla, ChainTrace.tla and ChainTrace.cfg to a temporary
 * folder, writes ChainTraceData.tla beside them and runs TLC (one worker).
 * @param specsChain - the specs/chain folder
 */
export async function checkChainTraceWithTlc(
  specsChain: string,
  header: ChainSpecTraceHeader,
  events: readonly ChainSpecTraceEvent[],
  tool: TlcTool,
): Promise<TraceVerdict> {
  return checkTraceModule(specsChain, ["Chain.tla"], "ChainTrace", chainTraceDataModule(header, events), tool);
}

/**
 * Copy `modules`, `<trace>.tla` and `<trace>.cfg` from `folder` to a temporary folder, write
 * `<trace>Data.tla` there and run TLC (one worker) on `<trace>.tla`.
 */
async function checkTraceModule(
  folder: string,
  modules: readonly string[],
  trace: string,
  data: string,
  tool: TlcTool,
): Promise<TraceVerdict> {
  const dir = mkdtempSync(join(tmpdir(), "synod-tlc-trace-"));
  const unregister = registerTempDir(dir);
  try {
    for (const module of [...modules, `${trace}.tla`, `${trace}.cfg`]) copyFileSync(join(folder, module), join(dir, module));
    writeFileSync(join(dir, `${trace}Data.tla`), data);
    const args = ["-XX:+UseParallelGC", "-Xss64m", "-cp", tool.jar, "tlc2.TLC", "-workers", "1", "-cleanup", "-noGenerateSpecTE"];
    args.push("-metadir", join(dir, "meta"), "-config", `${trace}.cfg`, `${trace}.tla`);
    const run = tool.run ?? runProcess;
    const result = await run(tool.java, args, { cwd: dir, timeoutMs: TRACE_CHECK_TIMEOUT_MS });
    return readTraceVerdict(result.output, result.timedOut ? null : result.exitCode, result.seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    unregister();
  }
}

/**
 * Check a SWIM trace with TLC: copies Swim.tla, SwimTrace.tla and SwimTrace.cfg to a temporary
 * folder, writes SwimTraceData.tla beside them and runs TLC (one worker).
 * @param specsGossip - the specs/gossip folder
 */
export async function checkSwimTraceWithTlc(
  specsGossip: string,
  header: SwimSpecTraceHeader,
  events: readonly SwimSpecTraceEvent[],
  tool: TlcTool,
): Promise<TraceVerdict> {
  return checkTraceModule(specsGossip, ["Swim.tla"], "SwimTrace", swimTraceDataModule(header, events), tool);
}
