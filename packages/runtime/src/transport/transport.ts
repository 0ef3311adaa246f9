import { internedNodeId, type NodeId } from "@synod/core";
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { KEEPALIVE_INTERVAL_MS, MAX_FRAME_BYTES, MAX_QUEUED_FRAMES_PER_PEER } from "../limits.js";
import { FrameReader } from "./frames.js";
import { nodeIdOfCertificate } from "./node-certificate.js";
import { PeerLink } from "./peer-link.js";
import { peerKeyProblem } from "./peer-keys.js";
import type { Address, TransportEvent, TransportOptions } from "./transport-options.js";
import { newTransportStats, type InboundRejectReason, type TransportStats } from "./transport-stats.js";

/** How long an inbound connection has to send its hello. */
const HELLO_TIMEOUT_MS = 5_000;

/**
 * Moves protocol messages between nodes over TCP, with mutual TLS 1.3 unless plaintext is asked
 * for by name. Each node dials every peer and sends only on its own outbound connection (one per
 * peer and direction); it receives on the connections its peers dialled. An inbound peer's identity
 * is its certificate's node id (TLS) — the hello must name the same id — or its hello (plaintext).
 * Bytes that break the framing close the connection; frames of unknown peers are never delivered.
 */
export class Transport {
  /** Counters (read by the metrics). */
  readonly stats: TransportStats = newTransportStats();
  private readonly server: Server;
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly inbound = new Set<Socket>();
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private readonly onEvent: (event: TransportEvent) => void;

  private constructor(private readonly options: TransportOptions) {
    this.onEvent = options.onEvent ?? (() => {});
    const { security } = options;
    this.server =
      security.mode === "tls"
        ? createTlsServer(
            { key: security.tls.key, cert: security.tls.cert, ca: security.tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.3" },
            (socket) => this.acceptCertified(socket as TLSSocket),
          )
        : createTcpServer((socket) => this.accept(socket, undefined));
    this.server.on("tlsClientError", (_error, socket) => this.reject("tls-handshake", socket));
    // Every raw connection, handshakes in progress included, so that close() can end them all.
    this.server.on("connection", (socket: Socket) => {
      this.inbound.add(socket);
      socket.once("close", () => this.inbound.delete(socket));
    });
  }

  /**
   * Start listening, then dial every peer (links reconnect by themselves until {@link close}).
   * @throws when the listen address cannot be bound
   */
  static async start(options: TransportOptions): Promise<Transport> {
    const transport = new Transport(options);
    await new Promise<void>((resolve, reject) => {
      transport.server.once("error", reject);
      transport.server.listen(options.listen.port, options.listen.host, () => resolve());
    });
    for (const [peer, address] of options.peers) {
      if (peer === options.id) continue;
      transport.links.set(peer, new PeerLink(options.id, peer, address, options.security, transport.stats, transport.onEvent, options.maxQueuedFrames ?? MAX_QUEUED_FRAMES_PER_PEER));
    }
    const interval = options.keepaliveIntervalMs ?? KEEPALIVE_INTERVAL_MS;
    transport.keepaliveTimer = setInterval(() => {
      const now = Date.now();
      for (const link of transport.links.values()) link.keepalive(now, interval);
    }, interval);
    transport.keepaliveTimer.unref();
    return transport;
  }

  /** Where this node listens (the bound port when `listen.port` was 0). */
  get address(): Address {
    const info = this.server.address() as AddressInfo;
    return { host: info.address, port: info.port };
  }

  /**
   * Queue one message for `to` (dropped and counted when `to` is unknown or its queue is full).
   * `body` is copied when its frame is written (at the end of the turn): it must not change before.
   */
  send(to: NodeId, body: Uint8Array): void {
    const link = this.links.get(to);
    if (link === undefined) {
      this.stats.dropped["unknown-peer"]++;
      return;
    }
    link.send("message", body);
  }

  /**
   * Hold the frames queued for every peer until {@link uncork} (or until a peer's queue is half
   * full): the driver coalesces the messages of two group commits in a row into one write per peer.
   */
  cork(): void {
    for (const link of this.links.values()) link.cork();
  }

  /** Write what {@link cork} held, at the end of this event-loop turn. */
  uncork(): void {
    for (const link of this.links.values()) link.uncork();
  }

  /** Stop listening, close every connection and stop reconnecting. */
  async close(): Promise<void> {
    clearInterval(this.keepaliveTimer);
    for (const link of this.links.values()) link.close();
    for (const socket of this.inbound) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** An inbound TLS connection: its certificate names the peer and, with `peerKeys`, must carry its key. */
  private acceptCertified(socket: TLSSocket): void {
    const { security } = this.options;
    const cert = socket.getPeerCertificate();
    const certifiedId = nodeIdOfCertificate(cert);
    if (certifiedId !== undefined && security.mode === "tls" && security.peerKeys !== undefined && this.options.peers.has(certifiedId)) {
      const problem = peerKeyProblem(security.peerKeys, certifiedId, cert);
      if (problem !== undefined) return this.reject("key-mismatch", socket);
    }
    this.accept(socket, certifiedId);
  }

  private accept(socket: Socket, certifiedId: NodeId | undefined): void {
    const { security, peers } = this.options;
    if (security.mode === "tls" && (certifiedId === undefined || !peers.has(certifiedId))) {
      this.reject("unknown-peer", socket);
      return;
    }
    this.inbound.add(socket);
    this.stats.connectionsIn++;
    const reader = new FrameReader(this.options.maxFrameBytes ?? MAX_FRAME_BYTES);
    let peer: NodeId | undefined;
    const helloTimer = setTimeout(() => this.reject("handshake-timeout", socket), HELLO_TIMEOUT_MS);
    socket.setTimeout((this.options.keepaliveIntervalMs ?? KEEPALIVE_INTERVAL_MS) * 4, () => this.reject("idle-timeout", socket));
    socket.on("error", () => {});
    socket.once("close", () => {
      clearTimeout(helloTimer);
      this.inbound.delete(socket);
    });
    socket.on("data", (chunk: Buffer) => {
      this.stats.bytesReceived += chunk.length;
      const problem = reader.push(chunk, (kind, body) => {
        if (socket.destroyed) return;
        if (peer === undefined) {
          const claimed = kind === "hello" ? body.toString("utf8") : undefined;
          if (claimed === undefined || !peers.has(claimed)) return this.reject("bad-hello", socket);
          if (certifiedId !== undefined && claimed !== certifiedId) return this.reject("identity-mismatch", socket);
          clearTimeout(helloTimer);
          peer = internedNodeId(claimed);
          return;
        }
        if (kind !== "message") return;
        this.stats.framesReceived++;
        this.options.onMessage(peer, body);
      });
      if (problem !== undefined) this.reject(problem === "frame-too-large" ? "frame-too-large" : "bad-framing", socket);
    });
  }

  private reject(reason: InboundRejectReason, socket: Socket): void {
    if (socket.destroyed) return;
    this.stats.rejected[reason]++;
    this.onEvent({ type: "rejected", reason, remote: `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}` });
    socket.destroy();
  }
}
