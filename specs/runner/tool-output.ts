/**
 * Parsing of TLC's `-tool` output: every message is wrapped as
 * `@!@!@STARTMSG <code>:<class> @!@!@` … `@!@!@ENDMSG <code> @!@!@`; text outside the markers
 * (SANY's "Parsing file …" lines) is kept as untagged messages with code -1.
 */

/** One TLC message: its numeric code (see TLC-NOTES.md), severity class and body text. */
export interface ToolMessage {
  /** TLC message code (2110 invariant violated, 2217 trace state, 2199 counts…); -1 for untagged text. */
  readonly code: number;
  /** 0 info, 1 error, 2 TLA+ error, 3 warning, 4 state; -1 for untagged text. */
  readonly severity: number;
  /** The message body, without the markers and without its trailing newline. */
  readonly text: string;
}

/** TLC message codes the runner reads. */
export const TLC_CODE = {
  invariantViolated: 2110,
  /** "Invariant X is violated by the initial state." */
  invariantViolatedInitial: 2107,
  actionPropertyViolated: 2112,
  deadlock: 2114,
  temporalViolated: 2116,
  assumptionFalse: 2104,
  /** "The invariant of X is equal to FALSE": a constant-level invariant that is false (exit 151). */
  constantInvariantFalse: 2230,
  errorTraceStart: 2121,
  traceState: 2217,
  /** "N: Back to state: <Action …>" (TLC 2.20): the lasso of a liveness counterexample loops back to state N. */
  backToState: 2122,
  /** "N: Stuttering". */
  stuttering: 2218,
  stateCounts: 2199,
  depth: 2194,
  simulationProgress: 2209,
  parseFailed: 3002,
  version: 2262,
} as const;

const START = /^@!@!@STARTMSG (\d+):(\d+) @!@!@$/;
const END = /^@!@!@ENDMSG (\d+) @!@!@$/;

/**
 * Split `-tool` output into messages.
 * @param output - TLC's stdout (stderr appended is fine)
 * @returns the messages in order; untagged lines between messages are grouped into code -1 messages
 * @example
 * parseToolOutput("@!@!@STARTMSG 2110:1 @!@!@\nInvariant Inv is violated.\n@!@!@ENDMSG 2110 @!@!@")
 * // → [{ code: 2110, severity: 1, text: "Invariant Inv is violated." }]
 */
export function parseToolOutput(output: string): ToolMessage[] {
  const messages: ToolMessage[] = [];
  let current: { code: number; severity: number; lines: string[] } | undefined;
  let loose: string[] = [];
  const flushLoose = (): void => {
    const text = loose.join("\n").trim();
    if (text !== "") messages.push({ code: -1, severity: -1, text });
    loose = [];
  };
  for (const line of output.split(/\r?\n/)) {
    const start = START.exec(line);
    if (start && current === undefined) {
      flushLoose();
      current = { code: Number(start[1]), severity: Number(start[2]), lines: [] };
      continue;
    }
    const end = END.exec(line);
    if (end && current !== undefined) {
      messages.push({ code: current.code, severity: current.severity, text: current.lines.join("\n").replace(/\n+$/, "") });
      current = undefined;
      continue;
    }
    if (current) current.lines.push(line);
    else loose.push(line);
  }
  // An unterminated message (TLC killed mid-write) is kept as it is.
  if (current) messages.push({ code: current.code, severity: current.severity, text: current.lines.join("\n").trimEnd() });
  flushLoose();
  return messages;
}
