/** The kinds of key-value operation the built-in models understand. */
export type KvOpType = "get" | "put" | "cas" | "delete" | "append";

/** A value stored under a key; `null` means the key is absent. */
export type KvValue = string | null;

/**
 * One key-value operation as a client invokes it (the `op` of an `invoke` {@link HistoryEvent}).
 * - `get`: read `key`.
 * - `put`: set `key` to `value`.
 * - `append`: set `key` to its current value (absent reads as the model's initial value) followed by `value`.
 * - `cas`: if `key` holds `expected` (absent = `null`/omitted), set it to `value`.
 * - `delete`: remove `key`.
 *
 * @example { type: "cas", key: "x", expected: "1", value: "2" }
 */
export interface KvOp {
  readonly type: KvOpType;
  readonly key: string;
  /** The value written by put / append / cas (null or omitted for get and delete). */
  readonly value?: KvValue;
  /** The value cas compares against (null or omitted = the key must be absent). */
  readonly expected?: KvValue;
}

/**
 * The result of a completed key-value operation (the `result` of an `ok` {@link HistoryEvent}).
 * - `get`: `ok` is true and `value` is what was read (`null` or omitted = absent).
 * - `put` / `append`: `ok` is true (an operation that did not take effect is a `fail` event instead;
 *   `ok: false` is an impossible output and makes the history non-linearizable).
 * - `cas`: `ok` says whether the swap happened (false = the compare failed, nothing was written);
 *   a failed cas may report the value it found in `value` (`null` = absent), which must then be the
 *   value the key held at that point of the order.
 * - `delete`: `ok` says whether the key existed (and was removed).
 *
 * @example { ok: true, value: "2" }
 */
export interface KvResult {
  readonly ok: boolean;
  /** The value read, for get; for a failed cas, optionally the value it found. */
  readonly value?: KvValue;
}
