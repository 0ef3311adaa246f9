/**
 * One state of a TLC error trace (a `-tool` message 2217), split into its variables.
 * The body looks like:
 * ```
 * 3: <CrashRecover line 135, col 5 to line 141, col 62 of module Broadcast>
 * /\ delivered = (n1 :> {<<n1, 1>>} @@ n2 :> {})
 * /\ network = { [type |-> "msg", …],
 *   [type |-> "msg", …] }
 * ```
 */
export interface TraceState {
  /** 1-based position in the trace, as TLC numbers it. */
  readonly index: number;
  /** The action that led to this state (`Initial predicate`, `CrashRecover`, `Stuttering`, `Back to state 2`…). */
  readonly action: string;
  /** Where the action is defined, e.g. `line 135, col 5 to line 141, col 62 of module Broadcast`; empty when TLC gives none. */
  readonly location: string;
  /** Variable name → its value, printed by TLC (continuation lines joined with single spaces), in TLC's order. */
  readonly variables: ReadonlyMap<string, string>;
}

const HEADER = /^(\d+):\s*(.*)$/;
const ANGLE = /^<(.*)>$/;
const ACTION_WITH_LOCATION = /^(\S.*?)\s+(line \d+, col \d+ to line \d+, col \d+ of module \S+)$/;
const VARIABLE = /^\/\\ ([A-Za-z_][A-Za-z0-9_]*) = (.*)$/;

/**
 * Parse one trace-state message body.
 * @param text - the body of a 2217 message (or the same text from TLC's plain output)
 * @returns the state, or undefined when the text has no `N:` header
 */
export function parseTraceState(text: string): TraceState | undefined {
  const lines = text.split(/\r?\n/);
  const first = lines.shift();
  const header = first === undefined ? null : HEADER.exec(first.trim());
  if (!header) return undefined;
  const index = Number(header[1]);
  let label = (header[2] ?? "").trim();
  const angled = ANGLE.exec(label);
  if (angled) label = angled[1] ?? "";
  let action = label;
  let location = "";
  const withLocation = ACTION_WITH_LOCATION.exec(label);
  if (withLocation) {
    action = withLocation[1] ?? label;
    location = withLocation[2] ?? "";
  }
  const variables = new Map<string, string>();
  let name: string | undefined;
  let parts: string[] = [];
  const flush = (): void => {
    if (name !== undefined) variables.set(name, parts.join(" ").replace(/\s+/g, " ").trim());
    name = undefined;
    parts = [];
  };
  for (const line of lines) {
    const variable = VARIABLE.exec(line);
    if (variable) {
      flush();
      name = variable[1];
      parts.push(variable[2] ?? "");
    } else if (name !== undefined && line.trim() !== "") {
      parts.push(line.trim());
    }
  }
  flush();
  // A single-variable spec prints `x = 1` without the leading conjunction.
  if (variables.size === 0) {
    for (const line of lines) {
      const single = /^([A-Za-z_][A-Za-z0-9_]*) = (.*)$/.exec(line.trim());
      if (single) variables.set(single[1] ?? "", (single[2] ?? "").trim());
    }
  }
  return { index, action, location, variables };
}
