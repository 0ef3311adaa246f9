/** What {@link Model.step} returns: the operation is legal here (with the state it leads to), or not. */
export type StepResult<State> = { readonly ok: true; readonly state: State } | { readonly ok: false };

/** The shared "not legal here" step result (no allocation in the search's inner loop). */
export const ILLEGAL: { readonly ok: false } = Object.freeze({ ok: false as const });

/**
 * A sequential specification: the behaviour a linearizable object must be equivalent to.
 * The checker asks whether some total order of the history's operations, consistent with
 * real-time order, is accepted by `step` from `init()`.
 *
 * States must be immutable values (the search keeps and revisits old states). `equal` and `hash`
 * must agree (`equal(a, b)` implies `hash(a) === hash(b)`); a weak hash only costs speed.
 *
 * @example
 * const counter: Model<number, "inc" | "read", number | undefined> = {
 *   name: "counter",
 *   init: () => 0,
 *   step: (n, input, output) =>
 *     input === "inc" ? { ok: true, state: n + 1 }
 *     : output === undefined || output === n ? { ok: true, state: n } : ILLEGAL,
 *   equal: (a, b) => a === b,
 *   hash: (n) => n | 0,
 *   describeOperation: (input, output) => `${input} -> ${String(output)}`,
 *   describeState: (n) => String(n),
 * };
 */
export interface Model<State, Input, Output> {
  /** Short name for messages (`"register"`, `"kv"`). */
  readonly name: string;
  /** @returns the initial state */
  init(): State;
  /**
   * Apply one operation.
   * @param state - the state before the operation
   * @param input - the operation
   * @param output - its observed output, or undefined when the outcome is unknown (then any output
   *   the operation could produce is acceptable)
   * @returns `{ ok: true, state }` when the output is what the operation yields in `state`, else {@link ILLEGAL}
   */
  step(state: State, input: Input, output: Output | undefined): StepResult<State>;
  /**
   * P-compositionality: the partition an operation belongs to (e.g. its key). Operations in
   * different partitions never affect each other, so each partition is checked on its own.
   * Omitted: the whole history is one partition.
   */
  partition?(input: Input): string;
  /**
   * Whether the operation, with this output, leaves every state it is legal in unchanged: a read,
   * a cas that reports a failed compare. Such operations are "stutters", and the search uses it:
   * - with an unknown outcome (`output` undefined) they constrain nothing and are dropped;
   * - with a known outcome, one that is legal now can be moved to the front of any linearization
   *   from here, so the search takes it without trying alternatives.
   * Must only return true when it holds in every state. Omitted: never.
   */
  isReadOnly?(input: Input, output: Output | undefined): boolean;
  /**
   * A key identifying an operation's input: two operations with the same key are interchangeable
   * (same effect from every state). Used to break symmetry between unknown-outcome operations with
   * identical inputs (e.g. many timed-out writes of the same value): the search then linearizes
   * them in call order only, instead of trying every subset. Omitted: no symmetry reduction.
   */
  inputKey?(input: Input): string;
  /** @returns whether two states are the same */
  equal(a: State, b: State): boolean;
  /** @returns a 32-bit hash consistent with `equal` */
  hash(state: State): number;
  /** @returns a short readable form of an operation (output undefined = unknown outcome) */
  describeOperation(input: Input, output: Output | undefined): string;
  /** @returns a short readable form of a state */
  describeState(state: State): string;
}
