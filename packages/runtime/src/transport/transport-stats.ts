/** Why the transport dropped a frame it was asked to send. */
export type SendDropReason = "queue-full" | "unknown-peer";
/** Why the transport refused bytes or a connection from a peer (counted, then dropped). */
export type InboundRejectReason =
  | "frame-too-large"
  | "bad-framing"
  | "bad-hello"
  | "identity-mismatch"
  | "key-mismatch"
  | "unknown-peer"
  | "handshake-timeout"
  | "tls-handshake"
  | "idle-timeout";

/** Counters a transport keeps (plain numbers: the hot path never calls into a metrics library). */
export interface TransportStats {
  framesSent: number;
  bytesSent: number;
  framesReceived: number;
  bytesReceived: number;
  connectsOut: number;
  disconnectsOut: number;
  connectionsIn: number;
  readonly dropped: Record<SendDropReason, number>;
  readonly rejected: Record<InboundRejectReason, number>;
}

/** @returns zeroed counters */
export function newTransportStats(): TransportStats {
  return {
    framesSent: 0,
    bytesSent: 0,
    framesReceived: 0,
    bytesReceived: 0,
    connectsOut: 0,
    disconnectsOut: 0,
    connectionsIn: 0,
    dropped: { "queue-full": 0, "unknown-peer": 0 },
    rejected: { "frame-too-large": 0, "bad-framing": 0, "bad-hello": 0, "identity-mismatch": 0, "key-mismatch": 0, "unknown-peer": 0, "handshake-timeout": 0, "tls-handshake": 0, "idle-timeout": 0 },
  };
}
