import { existsSync, readFileSync } from "node:fs";

/**
 * A counterexample as data, from TLC's `-dumpTrace json FILE`: every state's variables as JSON
 * values, the action of each step with its parameters, and per-key changes. (TLC prints empty
 * sets, sequences and functions all as `[]`, and functions over 1..n as arrays.)
 */
export interface JsonTraceState {
  /** 1-based, as TLC numbers it. */
  readonly index: number;
  /** The step into this state (absent for the initial state). */
  readonly action?: { readonly name: string; readonly context: Readonly<Record<string, unknown>>; readonly line?: number; readonly module?: string };
  readonly variables: Readonly<Record<string, unknown>>;
  /** What this step changed, key by key (`log.s1.2.term`); empty for the initial state. */
  readonly changes: readonly JsonChange[];
}

/** One changed value: its path (variable, then keys), before and after. */
export interface JsonChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Deeper values are compared whole (a changed record inside a function inside a record is one change). */
const MAX_DIFF_DEPTH = 4;

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}

/**
 * The per-key differences between two JSON values.
 * @param path - the path of `before`/`after` (a variable name at the top)
 * @returns the changes, leaf by leaf down to {@link MAX_DIFF_DEPTH} levels; none when equal
 */
export function diffValues(path: string, before: unknown, after: unknown, depth = 0): JsonChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const sameShape = isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after);
  if (!sameShape || depth >= MAX_DIFF_DEPTH) {
    return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
  }
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.flatMap((key) => diffValues(`${path}.${Array.isArray(before) ? String(Number(key) + 1) : key}`, b[key], a[key], depth + 1));
}

interface RawAction {
  readonly name?: string;
  readonly context?: Record<string, unknown>;
  readonly location?: { readonly beginLine?: number; readonly module?: string };
}

/**
 * Read a `-dumpTrace json` file.
 * @param path - the file TLC wrote
 * @returns the states with their steps and changes, or undefined when the file is absent or not TLC's format
 */
export function readJsonTrace(path: string): JsonTraceState[] | undefined {
  if (!existsSync(path)) return undefined;
  let raw: { state?: [number, Record<string, unknown>][]; action?: [[number, unknown], RawAction, [number, unknown]][] };
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as typeof raw;
  } catch {
    return undefined;
  }
  if (!Array.isArray(raw.state)) return undefined;
  const actions = new Map<number, RawAction>();
  // A lasso's last step leads back to an earlier state: it is not the step into that state.
  for (const step of raw.action ?? []) if (Array.isArray(step) && Array.isArray(step[2]) && step[2][0] === step[0][0] + 1) actions.set(step[2][0], step[1]);
  const states: JsonTraceState[] = [];
  let previous: Record<string, unknown> | undefined;
  for (const [index, variables] of raw.state) {
    const step = actions.get(index);
    const changes = previous === undefined
      ? []
      : Object.keys({ ...previous, ...variables }).flatMap((name) => diffValues(name, previous?.[name], variables[name]));
    states.push({
      index,
      ...(step?.name !== undefined
        ? {
            action: {
              name: step.name, context: step.context ?? {},
              ...(step.location?.beginLine !== undefined ? { line: step.location.beginLine } : {}),
              ...(step.location?.module !== undefined ? { module: step.location.module } : {}),
            },
          }
        : {}),
      variables,
      changes,
    });
    previous = variables;
  }
  return states;
}
