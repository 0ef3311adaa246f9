import { FRAME_PREFIX_BYTES, MAX_FRAME_BYTES } from "../limits.js";

/**
 * Frames on a peer connection: `[length u32 BE][kind u8][body]`, where `length` counts the kind
 * byte and the body. Kinds: `hello` (body: the sender's node id, UTF-8; the first frame of every
 * connection), `message` (body: one protocol message in its codec's bytes), `keepalive` (no body).
 */
export const FRAME_KIND = { hello: 1, message: 2, keepalive: 3 } as const;
/** A frame kind. */
export type FrameKind = keyof typeof FRAME_KIND;
const KIND_NAMES: readonly (FrameKind | undefined)[] = [undefined, "hello", "message", "keepalive"];

/** @returns the bytes of one frame */
export function encodeFrame(kind: FrameKind, body: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + 1 + body.length);
  frame.writeUInt32BE(1 + body.length, 0);
  frame[FRAME_PREFIX_BYTES] = FRAME_KIND[kind];
  frame.set(body, FRAME_PREFIX_BYTES + 1);
  return frame;
}

/** Bytes of the frame of a body of `bodyBytes` bytes. */
export function frameBytes(bodyBytes: number): number {
  return FRAME_PREFIX_BYTES + 1 + bodyBytes;
}

/**
 * @returns the frames of `bodies` (of kinds `kinds`, index by index) in one buffer of `total` bytes
 * (the sum of their {@link frameBytes}): each body is copied once, into the buffer written
 */
export function encodeFrames(kinds: readonly FrameKind[], bodies: readonly Uint8Array[], total: number): Buffer {
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i] as Uint8Array;
    out.writeUInt32BE(1 + body.length, at);
    out[at + FRAME_PREFIX_BYTES] = FRAME_KIND[kinds[i] as FrameKind];
    out.set(body, at + FRAME_PREFIX_BYTES + 1);
    at += FRAME_PREFIX_BYTES + 1 + body.length;
  }
  if (at !== total) throw new Error(`encodeFrames: ${at} bytes written, ${total} announced`);
  return out;
}

/** Why a connection's byte stream is unusable (the connection is closed; the peer reconnects). */
export type StreamProblem = "frame-too-large" | "empty-frame" | "unknown-frame-kind";

/**
 * Splits a connection's byte stream into frames as chunks arrive. A frame over `maxFrameBytes`
 * is refused before it is buffered (a peer cannot make this node hold more than the limit).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes the incomplete frame at the head needs in all (prefix included), once its prefix was read; else 0. */
  private needed = 0;

  /** @param maxFrameBytes - largest frame accepted (kind byte + body) */
  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /**
   * Add a chunk; call `onFrame` for every whole frame it completes.
   * @returns a problem when the stream broke the framing (stop reading it), else undefined
   */
  push(chunk: Buffer, onFrame: (kind: FrameKind, body: Buffer) => void): StreamProblem | undefined {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < FRAME_PREFIX_BYTES) return undefined;
    // A frame spanning many chunks (a large message, TLS records of 16 KiB) is joined once, when
    // its last byte arrived, not once per chunk (which copied a frame of n chunks n times).
    if (this.buffered < this.needed) return undefined;
    let data = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
    let at = 0;
    while (data.length - at >= FRAME_PREFIX_BYTES) {
      const length = data.readUInt32BE(at);
      if (length > this.maxFrameBytes) return "frame-too-large";
      if (length === 0) return "empty-frame";
      if (data.length - at - FRAME_PREFIX_BYTES < length) break;
      const start = at + FRAME_PREFIX_BYTES;
      const kind = KIND_NAMES[data[start] as number];
      if (kind === undefined) return "unknown-frame-kind";
      onFrame(kind, data.subarray(start + 1, start + length));
      at = start + length;
    }
    data = data.subarray(at);
    this.chunks = data.length > 0 ? [data] : [];
    this.buffered = data.length;
    // The loop stopped at an incomplete frame whose length it checked, or with less than a prefix left.
    this.needed = data.length >= FRAME_PREFIX_BYTES ? FRAME_PREFIX_BYTES + data.readUInt32BE(0) : 0;
    return undefined;
  }
}
