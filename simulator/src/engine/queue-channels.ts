/**
 * The in-order channels of a run's event queue (see `EventQueue.pushInOrder`) with `n` nodes: one
 * per directed link (links are FIFO unless reordering is on), then client requests and client
 * timeouts (both "now + a fixed delay"), then the run's timeline: the fault schedule, heal and end,
 * all known at the start (queued in time order on one channel, they keep the heap as shallow as the
 * events in flight instead of holding every future fault), then the nodes' ticks (each node's next
 * tick is "now + the tick interval", so they arrive in order while no clock is skewed: one heap entry
 * for all nodes, and popping a tick moves the next one up instead of removing and inserting).
 */
export class QueueChannels {
  /** Number of channels. */
  readonly count: number;
  /** Channel of client requests on their way to a node. */
  readonly request: number;
  /** Channel of client timeouts. */
  readonly timeout: number;
  /** Channel of the run's timeline (fault starts, heal, end), queued at the start in time order. */
  readonly timeline: number;
  /** Channel of the nodes' ticks. */
  readonly tick: number;
  private readonly n: number;

  /** @param n - number of nodes */
  constructor(n: number) {
    this.n = n;
    this.request = n * n;
    this.timeout = n * n + 1;
    this.timeline = n * n + 2;
    this.tick = n * n + 3;
    this.count = n * n + 4;
  }

  /** @returns the channel of the link `from` → `to` (node indices) */
  link(from: number, to: number): number {
    return from * this.n + to;
  }
}
