import type { KvOp, KvResult, KvValue } from "../kv-op.js";
import { ILLEGAL, type StepResult } from "../model.js";

/** Longest value printed in full in descriptions; longer ones are elided in the middle. */
const MAX_DESCRIBED_VALUE_CHARS = 48;
/** Multiplier of the polynomial string hash (odd, so appends stay invertible mod 2^32). */
const HASH_BASE = 0x01000193;
/** Hash of an absent value (any constant; a collision with a present value only costs a compare). */
const ABSENT_HASH = 0x5bd1e995;

/**
 * The state of one key or register: its value and a hash of it, maintained incrementally (an
 * append extends the hash in time proportional to the appended text, not to the whole value —
 * append-heavy histories make values long, and the search hashes every state it reaches).
 */
export interface ValueState {
  /** The stored value; null = absent. */
  readonly value: KvValue;
  /** Polynomial hash of `value` (a constant for absent). */
  readonly hash: number;
}

/** The absent state. */
export const ABSENT_STATE: ValueState = Object.freeze({ value: null, hash: ABSENT_HASH });

/** @returns the polynomial hash of `text` continued from `seed` (0 for a fresh string) */
function extendHash(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, HASH_BASE) + text.charCodeAt(i)) | 0;
  return h;
}

/** @returns the state holding `value` */
export function valueState(value: KvValue): ValueState {
  return value === null ? ABSENT_STATE : { value, hash: extendHash(0, value) };
}

/** @returns whether two value states hold the same value */
export function equalValueStates(a: ValueState, b: ValueState): boolean {
  return a === b || (a.hash === b.hash && a.value === b.value);
}

/**
 * Apply one key-value operation to the value of a single key (shared by the register and KV models).
 * @param state - the stored value
 * @param op - the operation
 * @param result - its observed result, or undefined when unknown
 * @param absent - the state a read of an absent key sees (ABSENT_STATE, or e.g. the "" state)
 * @returns the next state, or ILLEGAL when `result` cannot be what `op` returns in `state`
 */
export function stepValue(state: ValueState, op: KvOp, result: KvResult | undefined, absent: ValueState): StepResult<ValueState> {
  const current = state.value === null ? absent : state;
  switch (op.type) {
    case "get": {
      if (result === undefined) return { ok: true, state };
      return result.ok && (result.value ?? null) === current.value ? { ok: true, state } : ILLEGAL;
    }
    case "put": {
      if (result !== undefined && !result.ok) return ILLEGAL;
      return { ok: true, state: valueState(op.value ?? null) };
    }
    case "append": {
      if (result !== undefined && !result.ok) return ILLEGAL;
      const suffix = op.value ?? "";
      const base = current.value === null ? 0 : current.hash;
      return { ok: true, state: { value: (current.value ?? "") + suffix, hash: extendHash(base, suffix) } };
    }
    case "cas": {
      const matches = current.value === (op.expected ?? null);
      if (result !== undefined && result.ok !== matches) return ILLEGAL;
      // A failed compare that reports the value it saw (synod's KV does) must have seen this one.
      if (result !== undefined && !result.ok && result.value !== undefined && (result.value ?? null) !== current.value) return ILLEGAL;
      return { ok: true, state: matches ? valueState(op.value ?? null) : state };
    }
    case "delete": {
      if (result !== undefined && result.ok !== (state.value !== null)) return ILLEGAL;
      return { ok: true, state: ABSENT_STATE };
    }
  }
}

/**
 * @returns whether `op` with `result` leaves every state it is legal in unchanged: a get, a cas
 *   whose compare failed, a delete that found the key absent
 */
export function isKvReadOnly(op: KvOp, result: KvResult | undefined): boolean {
  if (op.type === "get") return true;
  if (result === undefined) return false;
  return (op.type === "cas" || op.type === "delete") && !result.ok;
}

/** @returns a key equal for exactly the key-value operations with identical inputs */
export function kvInputKey(op: KvOp): string {
  return JSON.stringify([op.type, op.key, op.expected ?? null, op.value ?? null]);
}

/** @returns a short readable form of a value (quoted; long values elided in the middle; null = absent) */
export function describeValue(value: KvValue | undefined): string {
  if (value === null || value === undefined) return "absent";
  if (value.length <= MAX_DESCRIBED_VALUE_CHARS) return JSON.stringify(value);
  const half = MAX_DESCRIBED_VALUE_CHARS / 2;
  return `${JSON.stringify(value.slice(0, half))}…(${value.length} chars)…${JSON.stringify(value.slice(-half))}`;
}

/** @returns a readable form of a key-value operation with its result (or "?" when unknown) */
export function describeKvOperation(op: KvOp, result: KvResult | undefined): string {
  const key = JSON.stringify(op.key);
  const unknown = result === undefined;
  switch (op.type) {
    case "get":
      return `get ${key} -> ${unknown ? "?" : result.ok ? describeValue(result.value) : "error"}`;
    case "put":
      return `put ${key} ${describeValue(op.value)}${unknown ? " -> ?" : result.ok ? "" : " -> failed"}`;
    case "append":
      return `append ${key} ${describeValue(op.value)}${unknown ? " -> ?" : result.ok ? "" : " -> failed"}`;
    case "cas":
      return `cas ${key} ${describeValue(op.expected)} => ${describeValue(op.value)} -> ${unknown ? "?" : result.ok ? "swapped" : "compare failed"}`;
    case "delete":
      return `delete ${key} -> ${unknown ? "?" : result.ok ? "deleted" : "was absent"}`;
  }
}
