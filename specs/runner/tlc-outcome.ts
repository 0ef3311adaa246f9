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
const NAMED = /^(?:Invariant|Action property|Temporal property|Property) (\S+) is violated|^The invariant of (\S+) is equal to FALSE/;
/** TLC 2.20: `3: Back to state: <Reset line 6, col 10 to line 6, col 24 of module L>`. */
const BACK_TO_STATE = /^(\d+):\s*Back to state:?\s*(?:<(.*)>)?/;
const ACTION_LOCATION = /^(\S.*?)\s+(line \d+, col \d+ to line \d+, col \d+ of module \S+)$/;

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
    [TLC_CODE.constantInvariantFalse, "invariant"],
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
      // The lasso of a liveness counterexample: the last step, by the named action, leads back to state N.
      const back = BACK_TO_STATE.exec(m.text.trim());
      const index = (trace.at(-1)?.index ?? 0) + 1;
      const label = back?.[2] ?? "";
      const located = ACTION_LOCATION.exec(label);
      const action = back ? `${located?.[1] ?? (label || "a step")} back to state ${back[1]} (the behaviour loops forever)` : m.text.trim();
      trace.push({ index, action, location: located?.[2] ?? "", variables: new Map(trace.find((t) => t.index === Number(back?.[1]))?.variables ?? []) });
      continue;
    }
    if (m.code !== TLC_CODE.traceState && m.code !== TLC_CODE.stuttering) continue;
    const state = parseTraceState(m.text);
    if (state) trace.push(state);
  }
  const property = named?.[1] ?? named?.[2];
  return { kind, message, trace, ...(property !== undefined ? { property } : {}) };
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

/**
 * Name the temporal property of a liveness violation: TLC says only "Temporal properties were
 * violated." When the cfg checks one property that is not an action property TLC would have named,
 * it is that one; otherwise the name lists the candidates.
 * @param violation - as read from TLC's output
 * @param cfgProperties - the PROPERTY/PROPERTIES names of the cfg that was checked
 * @returns the violation with `property` set when it can be told
 */
export function nameTemporalViolation(violation: Violation, cfgProperties: readonly string[]): Violation {
  if (violation.kind !== "temporal" || violation.property !== undefined || cfgProperties.length === 0) return violation;
  if (cfgProperties.length === 1) return { ...violation, property: cfgProperties[0] ?? "" };
  return { ...violation, message: `${violation.message} (one of ${cfgProperties.join(", ")}; TLC does not say which)` };
}
