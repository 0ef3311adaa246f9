import { assert } from "@synod/core";
import type { Model } from "./model.js";
import type { Operation } from "./operation.js";
import { searchLinearization } from "./search.js";
import { buildWitness, type Witness } from "./witness.js";
import { UsageError } from "./errors.js";

/** Default time budget of one check. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Default limit on memoised configurations per partition (about 100 bytes each plus the bitset). */
export const DEFAULT_MAX_CACHE_ENTRIES = 4_000_000;

/** Options of {@link checkOperations}. */
export interface CheckOptions {
  /** Time budget for the whole check, all partitions together (default {@link DEFAULT_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /** The clock, in milliseconds (default `performance.now`). Tests inject one. */
  readonly clock?: () => number;
  /** Memoised configurations kept per partition (default {@link DEFAULT_MAX_CACHE_ENTRIES}); past it the search goes on unmemoised. */
  readonly maxCacheEntries?: number;
  /** How to name a history position in witness text (default `event #N`); parsers map positions to line numbers. */
  readonly describePosition?: (position: number) => string;
}

/** The verdict of a check: `"unknown"` only when the time budget ran out first. */
export type Verdict = true | false | "unknown";

/** What {@link checkOperations} found. */
export interface CheckResult<State, Input, Output> {
  readonly linearizable: Verdict;
  /** Operations given (including unknown-outcome ones). */
  readonly operations: number;
  /** Partitions (e.g. keys) checked independently. */
  readonly partitions: number;
  /** Search iterations over all partitions (a machine-independent measure of effort). */
  readonly iterations: number;
  /** When linearizable: one linearization per partition (unknown-outcome operations left out are absent). */
  readonly linearizations?: ReadonlyMap<string, readonly Operation<Input, Output>[]>;
  /** When not linearizable: the longest linearizable prefix and the operation that cannot follow it. */
  readonly witness?: Witness<State, Input, Output>;
  /** When unknown: the partition whose search ran out of time. */
  readonly timedOutPartition?: string;
}

/**
 * Check that a history is linearizable with respect to a model: some total order of its
 * operations, consistent with real time (an operation that returned before another was invoked
 * comes first), is a legal sequential execution of the model, and every operation's output is the
 * one the model produces. Operations with an unknown outcome may be placed anywhere after their
 * call, or left out. Partitions (the model's `partition`, e.g. keys) are checked independently,
 * smallest first; the first non-linearizable partition decides `false`.
 *
 * @param model - the sequential specification
 * @param operations - the history's operations (see {@link operationsFromHistory})
 * @param options - time budget and limits
 * @returns the verdict, a linearization per partition when true, a witness when false
 * @throws {UsageError} on a negative or non-finite time budget, or an operation whose positions are out of order
 * @example
 * const result = checkOperations(createKvModel(), operationsFromHistory(events), { timeoutMs: 5000 });
 * if (result.linearizable === false) console.log(result.witness?.text);
 */
export function checkOperations<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<State, Input, Output> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) throw new UsageError(`timeoutMs must be a finite number >= 0, got ${timeoutMs}`);
  const maxCacheEntries = options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
  if (!Number.isSafeInteger(maxCacheEntries) || maxCacheEntries < 0) throw new UsageError(`maxCacheEntries must be an integer >= 0, got ${maxCacheEntries}`);
  const clock = options.clock ?? (() => performance.now());
  const deadlineMs = clock() + timeoutMs;

  for (const op of operations) {
    const ordered = Number.isFinite(op.call) && (op.unknown ? op.ret === Infinity : Number.isFinite(op.ret) && op.ret > op.call);
    if (!ordered) throw new UsageError(`operation ${op.id}: call must be finite and ret after it (Infinity exactly when the outcome is unknown); got call ${op.call}, ret ${op.ret}, unknown ${op.unknown}`);
  }
  const partitions = partitionOperations(model, operations);
  const linearizations = new Map<string, readonly Operation<Input, Output>[]>();
  let iterations = 0;
  for (const [key, ops] of partitions) {
    const outcome = searchLinearization(model, ops, { clock, deadlineMs, maxCacheEntries });
    iterations += outcome.iterations;
    const base = { operations: operations.length, partitions: partitions.length };
    if (outcome.kind === "timeout") {
      return { ...base, linearizable: "unknown", iterations, timedOutPartition: key };
    }
    if (outcome.kind === "not-linearizable") {
      assert(outcome.blocking >= 0 && outcome.blocking < ops.length, "lincheck: a failed search must name the blocking operation", { partition: key });
      const witness = buildWitness(model, key, ops, outcome.longestPrefix, outcome.blocking, options.describePosition);
      return { ...base, linearizable: false, iterations, witness };
    }
    linearizations.set(key, outcome.order.map((i) => ops[i] as Operation<Input, Output>));
  }
  return { operations: operations.length, partitions: partitions.length, linearizable: true, iterations, linearizations };
}

/**
 * Split operations by the model's partition key, drop unknown-outcome read-only operations (they
 * constrain nothing), and order partitions smallest first (a small bad partition is found fast).
 */
function partitionOperations<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: readonly Operation<Input, Output>[],
): [string, Operation<Input, Output>[]][] {
  const byKey = new Map<string, Operation<Input, Output>[]>();
  for (const op of operations) {
    if (op.unknown && model.isReadOnly?.(op.input, undefined) === true) continue;
    const key = model.partition?.(op.input) ?? "";
    let list = byKey.get(key);
    if (list === undefined) {
      list = [];
      byKey.set(key, list);
    }
    list.push(op);
  }
  return [...byKey.entries()].sort((a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
