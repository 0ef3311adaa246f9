import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A fault-injecting TCP proxy for one direction of one pair of nodes (`a` dials `b` through it):
 * it forwards bytes unchanged (TLS passes through), and on demand cuts the link (existing
 * connections are reset, new ones refused) or delays every chunk. Loopback only.
 */
export class FaultProxy {
  private readonly connections = new Set<Socket>();
  private cutNow = false;
  private delayMs = 0;

  private constructor(private readonly server: Server) {}

  /** Listen on a free loopback port and forward to `targetPort`. */
  static async start(targetPort: number): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, targetPort));
    proxy = new FaultProxy(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    return proxy;
  }

  /** The proxy's port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Reset every connection and refuse new ones until {@link heal}. */
  cut(): void {
    this.cutNow = true;
    for (const socket of this.connections) socket.destroy();
  }

  /** Forward again, without delay. */
  heal(): void {
    this.cutNow = false;
    this.delayMs = 0;
  }

  /** Delay every forwarded chunk by `ms` (order kept). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(client: Socket, targetPort: number): void {
    if (this.cutNow) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.connections.add(from);
      let readyAt = 0;
      from.on("data", (chunk: Buffer) => {
        if (this.delayMs === 0 && readyAt <= Date.now()) {
          to.write(chunk);
          return;
        }
        readyAt = Math.max(readyAt, Date.now() + this.delayMs);
        setTimeout(() => to.destroyed || to.write(chunk), readyAt - Date.now());
      });
      from.on("error", () => {});
      from.once("close", () => {
        this.connections.delete(from);
        to.destroy();
      });
    }
  }
}
