/**
 * The in-order channels of a run's event queue (see `EventQueue.pushInOrder`) with `n` nodes: one
 * per directed link (links are FIFO unless reordering is on), then client requests and client
 * timeouts (both "now + a fixed delay").
 */
export class QueueChannels {
  /** Number of channels. */
  readonly count: number;
  /** Channel of client requests on their way to a node. */
  readonly request: number;
  /** Channel of client timeouts. */
  readonly timeout: number;
  private readonly n: number;

  /** @param n - number of nodes */
  constructor(n: number) {
    this.n = n;
    this.request = n * n;
    this.timeout = n * n + 1;
    this.count = n * n + 2;
  }

  /** @returns the channel of the link `from` → `to` (node indices) */
  link(from: number, to: number): number {
    return from * this.n + to;
  }
}
