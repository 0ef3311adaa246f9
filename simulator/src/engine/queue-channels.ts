import { DENSE_LINK_LIMIT } from "./network.js";

/**
 * The in-order channels of a run's event queue (see `EventQueue.pushInOrder`) with `n` nodes: one
 * per directed link (links are FIFO unless reordering is on), then client requests and client
 * timeouts (both "now + a fixed delay"), then the run's timeline: the fault schedule, heal and end,
 * all known at the start (queued in time order on one channel, they keep the heap as shallow as the
 * events in flight instead of holding every future fault), then the nodes' ticks (each node's next
 * tick is "now + the tick interval", so they arrive in order while no clock is skewed: one heap entry
 * for all nodes, and popping a tick moves the next one up instead of removing and inserting).
 *
 * Beyond {@link DENSE_LINK_LIMIT} nodes, n² channels would not fit: the links into a node share that
 * node's channel. Order is unaffected (an event earlier than its channel's tail goes to the heap, and
 * every event pops in (time, sequence) order either way); only the share of events on the heap grows.
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
  private readonly dense: boolean;

  /** @param n - number of nodes */
  constructor(n: number) {
    this.n = n;
    this.dense = n <= DENSE_LINK_LIMIT;
    const links = this.dense ? n * n : n;
    this.request = links;
    this.timeout = links + 1;
    this.timeline = links + 2;
    this.tick = links + 3;
    this.count = links + 4;
  }

  /** @returns the channel of the link `from` → `to` (node indices) */
  link(from: number, to: number): number {
    return this.dense ? from * this.n + to : to;
  }
}
