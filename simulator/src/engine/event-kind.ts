/** Kinds of queued events (small integers, stored in the queue's typed arrays). */
export const EventKind = {
  /** a = from node, b = to node, ref = message. */
  Deliver: 0,
  /** a = node, b = incarnation that scheduled it. */
  Tick: 1,
  /** a = node, b = invocation id, ref = request input. */
  Request: 2,
  /** a = client index (closed loop) or −1 (open-loop arrival). */
  Client: 3,
  /** a = invocation id. */
  Timeout: 4,
  /** a = schedule index. */
  FaultStart: 5,
  /** a = schedule index. */
  FaultEnd: 6,
  /** a = node, b = incarnation of the crash. */
  Restart: 7,
  Heal: 8,
  Liveness: 9,
  End: 10,
} as const;

/** Names of {@link EventKind} values, for traces. */
export const EVENT_NAMES: readonly string[] = ["deliver", "tick", "request", "client", "timeout", "fault", "fault-end", "restart", "heal", "liveness", "end"];
