/**
 * Kinds of queued events (small integers, stored in the queue's typed arrays). Besides its kind and
 * time an event holds a `subject` (an integer: the node, client, invocation or fault it is about),
 * a `detail` (an integer that qualifies it) and a `payload` (an object); what each holds, per kind,
 * is below (a field not named is 0, or null for the payload).
 */
export const EventKind = {
  /** subject = sending node, detail = receiving node (indices), payload = the message. */
  Deliver: 0,
  /** subject = node index, detail = the incarnation that scheduled it (a stale tick is dropped). */
  Tick: 1,
  /** subject = node index, detail = invocation id, payload = the request's input. */
  Request: 2,
  /** subject = client index (closed loop) or −1 (open-loop arrival). */
  Client: 3,
  /** subject = invocation id. */
  Timeout: 4,
  /** subject = index in the fault schedule. */
  FaultStart: 5,
  /** subject = index in the fault schedule. */
  FaultEnd: 6,
  /** subject = node index, detail = the incarnation of the crash (a restart is for that one only). */
  Restart: 7,
  Heal: 8,
  Liveness: 9,
  End: 10,
} as const;

/** Names of {@link EventKind} values, for traces. */
export const EVENT_NAMES: readonly string[] = ["deliver", "tick", "request", "client", "timeout", "fault", "fault-end", "restart", "heal", "liveness", "end"];
