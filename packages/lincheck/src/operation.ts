/**
 * One operation of a history, ready for the checker: an input, and either a known output or an
 * unknown outcome. Positions order the history: `call` is where the operation was invoked and
 * `ret` where it returned (both indexes into the same event sequence, so equal positions cannot
 * occur). An operation with an unknown outcome has `ret = Infinity`: it may have taken effect at
 * any point after its call, or never.
 */
export interface Operation<Input, Output> {
  /** Caller-chosen id, reported back in witnesses (e.g. the history's invoke id). */
  readonly id: number;
  /** The client (process) that issued the operation. */
  readonly client: number;
  readonly input: Input;
  /** The output; undefined exactly when `unknown` is true. */
  readonly output: Output | undefined;
  /** True when the outcome is unknown (timeout, crash, no completion recorded). */
  readonly unknown: boolean;
  /** Position of the invocation. */
  readonly call: number;
  /** Position of the completion; `Infinity` when the outcome is unknown. */
  readonly ret: number;
}
