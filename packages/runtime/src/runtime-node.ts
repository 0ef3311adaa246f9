import { createRng, readDurableLog, type NodeId, type ProtocolNode, type RecoveredState, type Step } from "@synod/core";
import { randomInt } from "node:crypto";
import { pino, type Logger } from "pino";
import type { ProtocolAdapter } from "./protocol-adapter.js";
import { newDriverStats, RuntimeMetrics, type DriverStats } from "./runtime-metrics.js";
import { Transport } from "./transport/transport.js";
import type { Address, TransportEvent, TransportSecurity } from "./transport/transport-options.js";
import { SegmentedWal, type WalOptions } from "./wal/segmented-wal.js";

/** Everything a {@link RuntimeNode} is started from. */
export interface RuntimeNodeOptions<N extends ProtocolNode<M, I, O, P>, M, I, O, P> {
  /** This node's id. */
  readonly id: NodeId;
  /** The initial members (this node included), in a stable order. */
  readonly members: readonly NodeId[];
  readonly protocol: ProtocolAdapter<N, M, I, O, P>;
  /** The WAL's directory (one per node). */
  readonly dataDir: string;
  /** Wall-clock milliseconds per tick (e.g. 10 with Raft's election timeout of 10 ticks: 100–200 ms). */
  readonly tickMs: number;
  /** Where to listen for peers. */
  readonly listen: Address;
  /** Where each peer listens. */
  readonly peers: ReadonlyMap<NodeId, Address>;
  readonly security: TransportSecurity;
  /** Receives every output, in order, once its step's records are durable. */
  readonly onOutput: (output: O) => void;
  /** Called once if the node must stop (a WAL write or fsync failed); the node has already stopped. */
  readonly onFatal?: (error: Error) => void;
  /** The logger (default: pino JSON lines on stdout at `info`). */
  readonly logger?: Logger;
  /** Seed of the node's Rng (default: random, logged). */
  readonly seed?: number;
  readonly wal?: WalOptions;
}

/**
 * Runs one protocol node for real: ticks from a timer, messages from the {@link Transport}, requests
 * from the application, and every {@link Step} obeyed in contract order — its records made durable
 * (group commit: every step taken while the previous fsync ran shares the next one), then its
 * messages sent, then its outputs delivered. Steps are released strictly in the order they were
 * taken, so no message or output ever overtakes a record it may depend on.
 *
 * @example
 * const node = await RuntimeNode.start({ id: "n1", members, protocol: raftProtocol({ createStateMachine: () => new KvStateMachine() }),
 *   dataDir: "data/n1", tickMs: 10, listen, peers, security: { mode: "tls", tls }, onOutput: (o) => app.handle(o) });
 * node.request({ type: "propose", data, tag: 1 });
 */
export class RuntimeNode<N extends ProtocolNode<M, I, O, P>, M, I, O, P> {
  /** Driver counters (also exported as metrics). */
  readonly stats: DriverStats = newDriverStats();
  /** Prometheus metrics of this node. */
  readonly metrics: RuntimeMetrics;
  readonly logger: Logger;
  private transport: Transport | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  /** Steps taken since the last sync started: released after the next sync. */
  private open: Step<M, O, P>[] = [];
  private openPersists = false;
  /**
   * Steps of received frames that wait for no sync, released together once every frame of the
   * chunk is taken (a microtask after the transport's read): see {@link onFrame}.
   */
  private ready: Step<M, O, P>[] = [];
  private syncing = false;
  private syncScheduled = false;
  /** Whether the transport holds the messages of the last sync's steps for the next sync's (see {@link sync}). */
  private corked = false;
  private stopped = false;

  private constructor(
    private readonly options: RuntimeNodeOptions<N, M, I, O, P>,
    /** The protocol node being driven (inspect it; never call its inputs directly). */
    readonly node: N,
    private readonly wal: SegmentedWal,
    logger: Logger,
  ) {
    this.logger = logger;
    this.metrics = new RuntimeMetrics({
      node: options.id,
      protocol: options.protocol.name,
      driver: this.stats,
      transport: () => this.transport?.stats,
      inspect: () => this.inspect(),
    });
  }

  /**
   * Recover the node from its WAL, start listening and dialling, and start ticking.
   * @throws {WalError} when the WAL cannot be opened (e.g. a file from a newer format)
   */
  static async start<N extends ProtocolNode<M, I, O, P>, M, I, O, P>(options: RuntimeNodeOptions<N, M, I, O, P>): Promise<RuntimeNode<N, M, I, O, P>> {
    const logger = options.logger ?? pino({ base: { node: options.id } });
    const { wal, recovery } = await SegmentedWal.open(options.dataDir, options.wal);
    const log = readDurableLog(recovery.frames, options.protocol.recordCodec);
    const recovered: RecoveredState<P> = { records: log.records, corrupted: log.corrupted + recovery.corrupted, tornTail: log.tornTail || recovery.tornTail };
    const seed = options.seed ?? randomInt(2 ** 47);
    const node = options.protocol.createNode({ id: options.id, members: options.members, rng: createRng(seed).fork(options.id), recovered });
    const level = recovered.corrupted > 0 ? "error" : "info";
    logger[level]({ event: "recovered", records: recovered.records.length, corrupted: recovered.corrupted, tornTail: recovery.tornTail, truncatedBytes: recovery.truncatedBytes, problem: recovery.problem, seed, segment: wal.currentSegment }, "recovered durable state");
    const runtime = new RuntimeNode(options, node, wal, logger);
    runtime.transport = await Transport.start({
      id: options.id,
      listen: options.listen,
      peers: options.peers,
      security: options.security,
      onMessage: (from, body) => runtime.onFrame(from, body),
      onEvent: (event) => runtime.onTransportEvent(event),
    });
    runtime.tickTimer = setInterval(() => runtime.tick(), options.tickMs);
    logger.info({ event: "started", listen: runtime.transport.address, security: options.security.mode, tickMs: options.tickMs }, "node started");
    return runtime;
  }

  /** Where this node listens for peers. */
  get address(): Address {
    return (this.transport as Transport).address;
  }

  /**
   * Hand a request to the node (its outputs arrive through `onOutput`). Ignored once stopped.
   * Outputs of a step that persists nothing (a refusal) arrive inside this call when no sync is
   * open: an `onOutput` that requests again at once must not loop on them.
   */
  request(input: I): void {
    if (this.stopped) return;
    this.stats.requests++;
    this.take(this.node.request(input));
  }

  /** @returns the protocol's description of the node plus the driver's state (for health endpoints) */
  inspect(): Readonly<Record<string, number | string | undefined>> {
    return { ...(this.options.protocol.inspect?.(this.node) ?? {}), stopped: this.stopped ? 1 : 0 };
  }

  /** Stop ticking, close connections and the WAL. Steps not yet durable are not released. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tickTimer);
    await this.transport?.close();
    while (this.syncing) await new Promise((r) => setTimeout(r, 1));
    await this.wal.close();
  }

  private tick(): void {
    if (this.stopped) return;
    this.stats.ticks++;
    this.take(this.node.tick());
  }

  private onFrame(from: NodeId, body: Buffer): void {
    if (this.stopped) return;
    const decoded = this.options.protocol.messageCodec.decode(body);
    if (!decoded.ok) {
      this.stats.malformedMessages++;
      return;
    }
    this.stats.messagesIn++;
    // Deferred: the frames of one read are often a peer's answers to one group commit (a follower's
    // acknowledgements). Had the first been released at once, the entries the application proposes
    // as its writes apply would be taken before the rest, which would then wait behind their sync;
    // released together, they apply first and what they cause shares one sync.
    this.take(this.node.receive(from, decoded.value), true);
  }

  /**
   * Obey one step: buffer its records; release it now (or, `deferred`, at the end of this turn's
   * frames) if nothing before it waits for a sync.
   */
  private take(step: Step<M, O, P>, deferred = false): void {
    const { persist } = step;
    if (persist.length > 0 || step.compact) {
      const codec = this.options.protocol.recordCodec;
      try {
        if (step.compact) this.wal.replaceAll(persist.map((r) => codec.encode(r)));
        else for (const record of persist) this.wal.append(codec.encode(record));
      } catch (error) {
        this.fail(error as Error);
        return;
      }
      this.openPersists = true;
    }
    if (!this.openPersists && !this.syncing && this.open.length === 0) {
      if (deferred) {
        if (this.ready.push(step) === 1) queueMicrotask(() => this.releaseReady());
        return;
      }
      this.releaseReady();
      this.release(step);
      return;
    }
    if (step.send.length > 0 || step.output.length > 0 || persist.length > 0) this.open.push(step);
    this.scheduleSync();
  }

  private scheduleSync(): void {
    if (this.syncing || this.syncScheduled) return;
    this.syncScheduled = true;
    // setImmediate: every input of this event-loop turn joins the group commit.
    setImmediate(() => void this.sync());
  }

  private async sync(): Promise<void> {
    this.syncScheduled = false;
    if (this.stopped || this.syncing) return;
    const steps = this.open;
    this.open = [];
    this.openPersists = false;
    this.syncing = true;
    try {
      const started = process.hrtime.bigint();
      const { records, bytes, checkpoint } = await this.wal.sync();
      if (records > 0 || checkpoint) {
        this.stats.fsyncs++;
        this.stats.recordsPersisted += records;
        this.stats.bytesPersisted += bytes;
        if (checkpoint) this.stats.checkpoints++;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        this.stats.fsyncMs += ms;
        this.metrics.fsyncSeconds.observe(ms / 1000);
        this.metrics.groupCommitRecords.observe(records);
      }
    } catch (error) {
      this.syncing = false;
      this.fail(error as Error);
      return;
    }
    this.syncing = false;
    if (this.stopped) return;
    for (const step of steps) this.release(step);
    // Releasing these steps (their outputs: an application proposing as its writes apply) took
    // steps that need the next sync at once. Their messages would leave one sync after these, so
    // the peers would sync twice in a row (a Raft leader's entries, then the ones proposed as those applied);
    // hold these messages for one sync and send both sets in one write per peer. Never longer
    // than one sync: the sync after a held one always uncorks.
    const transport = this.transport;
    if (this.corked) {
      this.corked = false;
      transport?.uncork();
    } else if (this.openPersists && transport !== undefined) {
      this.corked = true;
      transport.cork();
    }
    if (this.open.length > 0 || this.openPersists) this.scheduleSync();
  }

  /**
   * Release the ready steps, in order. Before any step taken after them is released: a sync only
   * starts on a later turn (setImmediate), and a step released at once releases these first.
   */
  private releaseReady(): void {
    const ready = this.ready;
    // One at a time: a step released here may take another that releases the rest first.
    while (ready.length > 0 && !this.stopped) this.release(ready.shift() as Step<M, O, P>);
    ready.length = 0;
  }

  private release(step: Step<M, O, P>): void {
    const transport = this.transport;
    const { messageCodec, describeOutput } = this.options.protocol;
    if (transport !== undefined) {
      for (const envelope of step.send) transport.send(envelope.to, messageCodec.encode(envelope.message));
      this.stats.messagesOut += step.send.length;
    }
    for (const output of step.output) {
      this.stats.outputs++;
      const event = describeOutput?.(output);
      if (event !== undefined) this.logger[event.level]({ event: event.event, ...event.fields }, event.event);
      this.options.onOutput(output);
    }
  }

  private onTransportEvent(event: TransportEvent): void {
    if (event.type === "rejected") this.logger.warn({ event: "peer-rejected", reason: event.reason, remote: event.remote }, "peer connection refused");
    else this.logger.info({ event: `peer-${event.type}`, peer: event.peer, ...(event.type === "disconnected" ? { reason: event.reason } : {}) }, `peer ${event.type}`);
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.logger.fatal({ event: "fatal", error: error.message }, "stopping: the WAL failed");
    void this.stop().finally(() => this.options.onFatal?.(error));
  }
}
