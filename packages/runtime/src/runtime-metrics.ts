import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { TransportStats } from "./transport/transport-stats.js";

/** Counters the driver keeps itself (plain numbers, exported at scrape time). */
export interface DriverStats {
  ticks: number;
  messagesIn: number;
  requests: number;
  /** Frames whose body did not decode with the protocol's codec (counted, dropped). */
  malformedMessages: number;
  fsyncs: number;
  /** Milliseconds spent in group commits (write + fdatasync), summed. */
  fsyncMs: number;
  recordsPersisted: number;
  bytesPersisted: number;
  checkpoints: number;
  messagesOut: number;
  outputs: number;
}

/** @returns zeroed driver counters */
export function newDriverStats(): DriverStats {
  return { ticks: 0, messagesIn: 0, requests: 0, malformedMessages: 0, fsyncs: 0, fsyncMs: 0, recordsPersisted: 0, bytesPersisted: 0, checkpoints: 0, messagesOut: 0, outputs: 0 };
}

/** What the metrics read at scrape time. */
export interface MetricSources {
  readonly node: string;
  readonly protocol: string;
  readonly driver: DriverStats;
  readonly transport: () => TransportStats | undefined;
  readonly inspect: () => Readonly<Record<string, number | string | undefined>>;
}

/**
 * The node's Prometheus metrics, in a registry of its own (several nodes may share a process).
 * Hot-path counters are plain numbers copied in at scrape time; only the fsync latency and group
 * size are observed as they happen (one observation per fsync, not per record).
 */
export class RuntimeMetrics {
  /** The registry to expose (`await registry.metrics()` is the Prometheus text). */
  readonly registry = new Registry();
  /** Seconds one group commit's write + fdatasync took. */
  readonly fsyncSeconds: Histogram;
  /** Records made durable by one fdatasync. */
  readonly groupCommitRecords: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: sources.node, protocol: sources.protocol });
    this.fsyncSeconds = new Histogram({ name: "synod_wal_fsync_seconds", help: "Time of one group commit (write + fdatasync)", buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], registers });
    this.groupCommitRecords = new Histogram({ name: "synod_wal_group_commit_records", help: "Records made durable by one fdatasync", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096], registers });
    const d = sources.driver;
    const counter = (name: string, help: string, read: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    };
    counter("synod_ticks_total", "Ticks delivered to the node", () => d.ticks);
    counter("synod_messages_received_total", "Messages decoded and delivered to the node", () => d.messagesIn);
    counter("synod_messages_malformed_total", "Message frames that did not decode (dropped)", () => d.malformedMessages);
    counter("synod_messages_sent_total", "Messages the node sent", () => d.messagesOut);
    counter("synod_requests_total", "Requests from the application", () => d.requests);
    counter("synod_outputs_total", "Outputs handed to the application", () => d.outputs);
    counter("synod_wal_fsyncs_total", "Group commits (one fdatasync each)", () => d.fsyncs);
    counter("synod_wal_records_total", "Records made durable", () => d.recordsPersisted);
    counter("synod_wal_bytes_total", "Bytes written to the WAL", () => d.bytesPersisted);
    counter("synod_wal_checkpoints_total", "Checkpoints written (compactions)", () => d.checkpoints);
    const t = sources.transport;
    counter("synod_transport_frames_sent_total", "Frames written to peers", () => t()?.framesSent ?? 0);
    counter("synod_transport_bytes_sent_total", "Bytes written to peers", () => t()?.bytesSent ?? 0);
    counter("synod_transport_frames_received_total", "Message frames received from authenticated peers", () => t()?.framesReceived ?? 0);
    counter("synod_transport_connects_total", "Outbound connections established", () => t()?.connectsOut ?? 0);
    counter("synod_transport_disconnects_total", "Outbound connections lost", () => t()?.disconnectsOut ?? 0);
    new Counter({
      name: "synod_transport_dropped_total",
      help: "Frames dropped instead of sent, by reason",
      labelNames: ["reason"],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(t()?.dropped ?? {})) this.inc({ reason }, n);
      },
    });
    new Counter({
      name: "synod_transport_rejected_total",
      help: "Inbound connections or bytes refused, by reason",
      labelNames: ["reason"],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(t()?.rejected ?? {})) this.inc({ reason }, n);
      },
    });
    new Gauge({
      name: "synod_node_state",
      help: "Numbers describing the protocol node (term, commit index, ...)",
      labelNames: ["field"],
      registers,
      collect() {
        this.reset();
        for (const [field, value] of Object.entries(sources.inspect())) if (typeof value === "number") this.set({ field }, value);
      },
    });
  }

  /** @returns the Prometheus text exposition */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
