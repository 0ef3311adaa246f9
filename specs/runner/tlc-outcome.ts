import { parseToolOutput, TLC_CODE, type ToolMessage } from "./tool-output.js";
import { parseTraceState, type TraceState } from "./trace.js";

/** What kind of property TLC found violated. */
export type ViolationKind = "invariant" | "deadlock" | "temporal" | "action-property" | "assumption";

/** A property violation with its counterexample. */
export interface Violation {
  readonly kind: ViolationKind;
  /** The violated invariant or property's name, when TLC names it ("NoDuplication"). */
  readonly property?: string;
  /** TLC's own sentence, e.g. "Invariant NoDuplication is violated." */
  readonly message: string;
  /** The counterexample, first state first (may be empty, e.g. for an assumption). */
  readonly trace: readonly TraceState[];
}

/** Everything the runner needs from one TLC run. */
export interface TlcOutcome {
  /** "ok": finished without finding anything; "violation": a property failed; "error": TLC could not check the model. */
  readonly status: "ok" | "violation" | "error";
  readonly statesGenerated?: number;
  readonly distinctStates?: number;
  readonly depth?: number;
  readonly violation?: Violation;
  /** Error text for status "error" (TLC's error messages, or a note about the exit code). */
  readonly errors: readonly string[];
  /** TLC's version line, e.g. "TLC2 Version 2.18 of 20 March 2023 (rev: 3ea3222)". */
  readonly version?: string;
}

/**
 * TLC's process exit codes (TLC-NOTES.md): 0 ok, 10 assumption, 11 deadlock, 12 safety,
 * 13 liveness, 150–153 parse/semantic/config errors, other values are system errors.
 */
export const TLC_EXIT = { ok: 0, assumption: 10, deadlock: 11, safety: 12, liveness: 13 } as const;

const COUNTS = /([\d,]+) states generated, ([\d,]+) distinct states found/;
const SIM_COUNTS = /([\d,]+) states generated/;
const DEPTH = /depth of the complete state graph search is (\d+)/;
const NAMED = /^(?:Invariant|Action property|Temporal property|Property) (\S+) is violated/;

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/,/g, ""));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function violationOf(messages: readonly ToolMessage[], exitCode: number): Violation | undefined {
  const kindByCode = new Map<number, ViolationKind>([
    [TLC_CODE.invariantViolated, "invariant"],
    [TLC_CODE.invariantViolatedInitial, "invariant"],
    [TLC_CODE.actionPropertyViolated, "action-property"],
    [TLC_CODE.deadlock, "deadlock"],
    [TLC_CODE.temporalViolated, "temporal"],
    [TLC_CODE.assumptionFalse, "assumption"],
  ]);
  const head = messages.find((m) => kindByCode.has(m.code));
  const byExit: Partial<Record<number, ViolationKind>> = {
    [TLC_EXIT.assumption]: "assumption",
    [TLC_EXIT.deadlock]: "deadlock",
    [TLC_EXIT.safety]: "invariant",
    [TLC_EXIT.liveness]: "temporal",
  };
  const kind = head ? kindByCode.get(head.code) : byExit[exitCode];
  if (kind === undefined) return undefined;
  const message = head?.text.split("\n")[0]?.trim() ?? `TLC exited with code ${exitCode} (${kind} violated)`;
  const named = NAMED.exec(message);
  const trace: TraceState[] = [];
  for (const m of messages) {
    if (m.code === TLC_CODE.backToState) {
      // The lasso of a liveness counterexample: "Back to state 2: <Next …>" (no variables of its own).
      const back = /Back to state (\d+)/.exec(m.text);
      const index = (trace.at(-1)?.index ?? 0) + 1;
      trace.push({ index, action: back ? `Back to state ${back[1]} (the behaviour loops)` : m.text.trim(), location: "", variables: new Map() });
      continue;
    }
    if (m.code !== TLC_CODE.traceState && m.code !== TLC_CODE.stuttering) continue;
    const state = parseTraceState(m.text);
    if (state) trace.push(state);
  }
  return { kind, message, trace, ...(named?.[1] !== undefined ? { property: named[1] } : {}) };
}

/**
 * Interpret one TLC run from its `-tool` output and exit code.
 * @param output - stdout (+ stderr) of `tlc2.TLC -tool …`
 * @param exitCode - the process exit code (null when it was killed)
 * @returns the outcome; a run is "ok" only when TLC exited 0 and reported no violation
 */
export function readTlcOutcome(output: string, exitCode: number | null): TlcOutcome {
  const messages = parseToolOutput(output);
  const version = messages.find((m) => m.code === TLC_CODE.version)?.text.trim();
  let statesGenerated: number | undefined;
  let distinctStates: number | undefined;
  let depth: number | undefined;
  for (const m of messages) {
    if (m.code === TLC_CODE.stateCounts) {
      const counts = COUNTS.exec(m.text);
      statesGenerated = toNumber(counts?.[1]);
      distinctStates = toNumber(counts?.[2]);
    } else if (m.code === TLC_CODE.depth) {
      depth = toNumber(DEPTH.exec(m.text)?.[1]);
    }
  }
  const simulationLast = [...messages].reverse().find((m) => m.code === TLC_CODE.simulationProgress);
  if (statesGenerated === undefined && simulationLast) statesGenerated = toNumber(SIM_COUNTS.exec(simulationLast.text)?.[1]);
  const figures = {
    ...(statesGenerated !== undefined ? { statesGenerated } : {}),
    ...(distinctStates !== undefined ? { distinctStates } : {}),
    ...(depth !== undefined ? { depth } : {}),
    ...(version !== undefined ? { version } : {}),
  };
  const violation = violationOf(messages, exitCode ?? -1);
  if (violation) return { status: "violation", violation, errors: [], ...figures };
  if (exitCode === TLC_EXIT.ok) return { status: "ok", errors: [], ...figures };
  const errors = messages
    .filter((m) => m.severity === 1 || m.severity === 2 || /error/i.test(m.text))
    .map((m) => m.text.trim())
    .filter((t) => t !== "");
  const why = exitCode === null ? "TLC was stopped (timeout or signal)" : `TLC exited with code ${exitCode}`;
  return { status: "error", errors: [why, ...errors], ...figures };
}
