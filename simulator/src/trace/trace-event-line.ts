import type { NodeId } from "@synod/core";
import { EVENT_NAMES, EventKind } from "../engine/event-kind.js";
import type { FaultSchedule } from "../faults/schedule.js";
import { traceJson } from "./trace-json.js";

/** The raw fields of one processed event (`subject`, `detail` and `payload` as {@link EventKind} documents for `kind`). */
export interface RawEvent {
  readonly index: number;
  readonly timeMs: number;
  readonly kind: number;
  readonly subject: number;
  readonly detail: number;
  readonly payload: unknown;
}

/**
 * One ndjson trace line for an event: `i` (index), `t` (virtual ms), `e` (kind), the event's own
 * fields (`from`/`to`/`msg`, `node`, `invocation`/`input`, `client`, `fault`), then — when the event
 * touched a node — `changed`, `persist` and `send` counts and the outputs `out`.
 * @returns the JSON line (no newline)
 */
export function traceEventLine(
  event: RawEvent,
  ids: readonly NodeId[],
  schedule: FaultSchedule,
  changed: { readonly node: NodeId; readonly persist: number; readonly send: number } | undefined,
  outputs: readonly unknown[] | undefined,
): string {
  const { kind, subject, detail, payload } = event;
  const record: Record<string, unknown> = { i: event.index, t: event.timeMs, e: EVENT_NAMES[kind] };
  switch (kind) {
    case EventKind.Deliver:
      Object.assign(record, { from: ids[subject], to: ids[detail], msg: payload });
      break;
    case EventKind.Tick:
    case EventKind.Restart:
      record.node = ids[subject];
      break;
    case EventKind.Request:
      Object.assign(record, { node: ids[subject], invocation: detail, input: payload });
      break;
    case EventKind.Client:
      record.client = subject;
      break;
    case EventKind.Timeout:
      record.invocation = subject;
      break;
    case EventKind.FaultStart:
    case EventKind.FaultEnd:
      record.fault = schedule[subject];
      break;
  }
  if (changed !== undefined) Object.assign(record, { changed: changed.node, persist: changed.persist, send: changed.send });
  if (outputs !== undefined) record.out = outputs;
  return traceJson(record);
}
