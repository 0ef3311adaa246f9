import type { NodeId } from "./ids.js";

/**
 * One line of a client history, as recorded by a driver for linearizability and convergence checks.
 * An operation is `invoke`d once and then completes at most once: `ok` (it took effect, with its
 * result), `fail` (it definitely did not take effect) or `unknown` (it may or may not have, e.g. a
 * timeout; checkers must allow both). Times are virtual milliseconds.
 */
export type HistoryEvent<Op = unknown, Res = unknown> =
  | { readonly type: "invoke"; readonly id: number; readonly client: number; readonly timeMs: number; readonly op: Op; readonly node?: NodeId }
  | { readonly type: "ok"; readonly id: number; readonly client: number; readonly timeMs: number; readonly result: Res }
  | { readonly type: "fail"; readonly id: number; readonly client: number; readonly timeMs: number; readonly reason: string }
  | { readonly type: "unknown"; readonly id: number; readonly client: number; readonly timeMs: number; readonly reason: string };

/** A client history in the order events happened. */
export type History<Op = unknown, Res = unknown> = readonly HistoryEvent<Op, Res>[];

/**
 * @returns whether some operation completed `ok` after `timeMs` (scanning back from the end: the
 * usual liveness condition "a request invoked after healing completes")
 */
export function okAfter(history: History, timeMs: number): boolean {
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i];
    if (event === undefined || event.timeMs <= timeMs) break;
    if (event.type === "ok") return true;
  }
  return false;
}
