import type { History } from "@synod/core";
import { HistoryFormatError } from "./errors.js";
import type { Operation } from "./operation.js";

/** The most events one history may hold (a limit on memory, far above any test's needs). */
export const MAX_HISTORY_EVENTS = 10_000_000;

/**
 * Pair a recorded history's events into operations for the checker. Positions are event indexes:
 * the order of the array is the real-time order (times are not compared, only used by drivers).
 * - `invoke` + `ok`: a completed operation with its result;
 * - `invoke` + `fail`: the operation definitely did not take effect, so it is left out;
 * - `invoke` + `unknown`, or an invoke never completed: the outcome is unknown (it may have taken
 *   effect at any point after its invocation, or never).
 *
 * @param events - the history, in the order events happened
 * @returns the operations, in invocation order, with `id` = the invoke's id
 * @throws {HistoryFormatError} when an id is invoked twice, a completion has no pending invocation,
 *   or the history exceeds {@link MAX_HISTORY_EVENTS}
 * @example checkOperations(createKvModel(), operationsFromHistory(recorder.events))
 */
export function operationsFromHistory<Op, Res>(events: History<Op, Res>): Operation<Op, Res>[] {
  if (events.length > MAX_HISTORY_EVENTS) throw new HistoryFormatError(`history has ${events.length} events; the limit is ${MAX_HISTORY_EVENTS}`);
  const pending = new Map<number, { readonly client: number; readonly input: Op; readonly call: number }>();
  const seen = new Set<number>();
  const slots: (Operation<Op, Res> | null | undefined)[] = [];
  const slotOf = new Map<number, number>();
  events.forEach((event, index) => {
    if (event.type === "invoke") {
      if (seen.has(event.id)) throw new HistoryFormatError(`operation id ${event.id} is invoked twice`, { event: index });
      seen.add(event.id);
      pending.set(event.id, { client: event.client, input: event.op, call: index });
      slotOf.set(event.id, slots.length);
      slots.push(undefined);
      return;
    }
    const invoked = pending.get(event.id);
    if (invoked === undefined) {
      const why = seen.has(event.id) ? "was already completed" : "was never invoked";
      throw new HistoryFormatError(`${event.type} for operation id ${event.id}, which ${why}`, { event: index });
    }
    pending.delete(event.id);
    const slot = slotOf.get(event.id) as number;
    if (event.type === "fail") {
      slots[slot] = null;
    } else if (event.type === "ok") {
      slots[slot] = { id: event.id, client: invoked.client, input: invoked.input, output: event.result, unknown: false, call: invoked.call, ret: index };
    } else {
      slots[slot] = { id: event.id, client: invoked.client, input: invoked.input, output: undefined, unknown: true, call: invoked.call, ret: Infinity };
    }
  });
  for (const [id, invoked] of pending) {
    slots[slotOf.get(id) as number] = { id, client: invoked.client, input: invoked.input, output: undefined, unknown: true, call: invoked.call, ret: Infinity };
  }
  return slots.filter((op): op is Operation<Op, Res> => op !== null && op !== undefined);
}
