import type { NodeId } from "@synod/core";
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { MAX_QUEUED_BYTES_PER_PEER, MAX_QUEUED_FRAMES_PER_PEER, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS } from "../limits.js";
import { encodeFrame, encodeFrames, frameBytes, type FrameKind } from "./frames.js";
import { nodeIdOfCertificate } from "./node-certificate.js";
import { peerKeyProblem } from "./peer-keys.js";
import type { Address, TransportEvent, TransportSecurity } from "./transport-options.js";
import type { TransportStats } from "./transport-stats.js";

/** Bytes the kernel-side socket buffer may hold before frames wait in the link's own bounded queue. */
const SOCKET_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * The outbound connection to one peer: frames for it are queued (bounded: past the limit a frame is
 * dropped and counted, never blocking the caller) and written in one batch per event-loop turn.
 * The link reconnects after a failure with exponential backoff (×2 per attempt, ±50% jitter) and
 * sends a keepalive when it has been idle for a keepalive interval.
 */
export class PeerLink {
  private socket: Socket | undefined;
  private connected = false;
  /** Bodies of the queued frames, and their kinds: framed in one buffer when written. */
  private queue: Uint8Array[] = [];
  private kinds: FrameKind[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastWriteMs = 0;
  private corked = false;
  private readonly hello: Buffer;

  constructor(
    private readonly selfId: NodeId,
    /** The peer this link sends to. */
    readonly peer: NodeId,
    private readonly address: Address,
    private readonly security: TransportSecurity,
    private readonly stats: TransportStats,
    private readonly onEvent: (event: TransportEvent) => void,
    private readonly maxQueuedFrames = MAX_QUEUED_FRAMES_PER_PEER,
  ) {
    this.hello = encodeFrame("hello", Buffer.from(selfId, "utf8"));
    this.connect();
  }

  /** Queue one frame of `body` (not copied until written); it is written at the end of this event-loop turn (or when the peer is reachable). */
  send(kind: FrameKind, body: Uint8Array): void {
    const bytes = frameBytes(body.length);
    if (this.queue.length >= this.maxQueuedFrames || this.queuedBytes + bytes > MAX_QUEUED_BYTES_PER_PEER) {
      this.stats.dropped["queue-full"]++;
      return;
    }
    this.queue.push(body);
    this.kinds.push(kind);
    this.queuedBytes += bytes;
    // Corked: written at uncork — unless the queue is half full, so holding never drops a frame.
    if (this.corked && this.queue.length < this.maxQueuedFrames / 2 && this.queuedBytes < MAX_QUEUED_BYTES_PER_PEER / 2) return;
    this.scheduleFlush();
  }

  /** Hold queued frames (they are written at {@link uncork}, or once the queue is half full). */
  cork(): void {
    this.corked = true;
  }

  /** Write what {@link cork} held, at the end of this event-loop turn. */
  uncork(): void {
    this.corked = false;
    if (this.queue.length > 0) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled && this.connected) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Send a keepalive if nothing was written for `idleMs`. */
  keepalive(nowMs: number, idleMs: number): void {
    if (this.connected && this.queue.length === 0 && nowMs - this.lastWriteMs >= idleMs) this.send("keepalive", new Uint8Array(0));
  }

  /** Close the link for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const socket = this.socket;
    if (!this.connected || socket === undefined || this.queue.length === 0) return;
    if (this.corked && this.queue.length < this.maxQueuedFrames / 2 && this.queuedBytes < MAX_QUEUED_BYTES_PER_PEER / 2) return;
    if (socket.writableLength > SOCKET_HIGH_WATER_BYTES) return; // resumed on 'drain'
    const bodies = this.queue;
    const kinds = this.kinds;
    const bytes = this.queuedBytes;
    this.queue = [];
    this.kinds = [];
    this.queuedBytes = 0;
    socket.write(encodeFrames(kinds, bodies, bytes));
    this.stats.framesSent += bodies.length;
    this.stats.bytesSent += bytes;
    this.lastWriteMs = Date.now();
  };

  private connect(): void {
    if (this.closed) return;
    const { host, port } = this.address;
    const socket =
      this.security.mode === "tls"
        ? connectTls({
            host,
            port,
            key: this.security.tls.key,
            cert: this.security.tls.cert,
            ca: this.security.tls.ca,
            minVersion: "TLSv1.3",
            checkServerIdentity: (_host, cert) => {
              const id = nodeIdOfCertificate(cert);
              if (id !== this.peer) return new Error(`certificate names node ${String(id)}, expected ${this.peer}`);
              const keys = this.security.mode === "tls" ? this.security.peerKeys : undefined;
              const problem = keys === undefined ? undefined : peerKeyProblem(keys, id, cert);
              return problem === undefined ? undefined : new Error(problem);
            },
          })
        : connectTcp({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1_000);
    socket.once(this.security.mode === "tls" ? "secureConnect" : "connect", () => {
      this.connected = true;
      this.attempts = 0;
      this.stats.connectsOut++;
      socket.write(this.hello);
      this.lastWriteMs = Date.now();
      this.onEvent({ type: "connected", peer: this.peer });
      if (this.queue.length > 0 && !this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
    socket.on("drain", this.flush);
    socket.on("data", () => socket.destroy()); // the peer never writes on our outbound connection
    socket.on("error", () => {}); // 'close' follows; the reason is in the event
    socket.once("close", (hadError) => {
      if (this.socket !== socket) return;
      if (this.connected) {
        this.stats.disconnectsOut++;
        this.onEvent({ type: "disconnected", peer: this.peer, reason: hadError ? "error" : "closed" });
      }
      this.connected = false;
      this.socket = undefined;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 16);
    const delayMs = base * (0.5 + Math.random());
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }
}
