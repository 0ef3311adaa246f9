/**
 * Every bound of the MCP server in one place. A client may ask for less time than the default, never
 * more than the ceiling: an agent cannot make a tool run without end.
 */
export const LIMITS = {
  /** Text returned by one tool call (the JSON of its structured result), in characters. */
  maxOutputChars: 200_000,
  /** Inline spec text, config text or history text accepted from a client, in characters. */
  maxInputChars: 1_000_000,
  /** SANY parse. */
  parse: { defaultMs: 60_000, maxMs: 120_000 },
  /** TLC smoke simulation (finding nothing by then is not a failure). */
  smoke: { defaultMs: 30_000, maxMs: 120_000 },
  /** Full TLC model check. */
  check: { defaultMs: 120_000, maxMs: 900_000 },
  /** Distinct states a full check may explore unless the client asks for fewer. */
  check_states: { default: 5_000_000, max: 50_000_000 },
  /** A simulation batch, a replay, a determinism check. */
  sim: { defaultMs: 120_000, maxMs: 900_000, maxSeeds: 100_000, maxNodes: 64 },
  /** A linearizability check. */
  lincheck: { defaultMs: 30_000, maxMs: 300_000 },
  /** A quick benchmark suite. */
  bench: { defaultMs: 180_000, maxMs: 900_000 },
  /** Events returned around an index by sim_replay. */
  replayWindow: { default: 20, max: 200 },
} as const;

/**
 * The time a call may take: the client's request, capped by the tool's ceiling.
 * @param requestedMs - what the client asked for (undefined: the default)
 * @param bound - the tool's default and ceiling
 * @returns milliseconds
 */
export function timeLimit(requestedMs: number | undefined, bound: { readonly defaultMs: number; readonly maxMs: number }): number {
  return Math.min(requestedMs ?? bound.defaultMs, bound.maxMs);
}
