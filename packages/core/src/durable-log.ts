import type { Codec } from "./codec.js";
import { crc32 } from "./crc32.js";
import { assert } from "./errors.js";
import { MAX_FRAME_PAYLOAD_BYTES } from "./limits.js";
import type { RecoveredState } from "./protocol.js";

/**
 * Bytes of framing before each record: payload length (u32 LE), CRC-32 of the payload (u32 LE),
 * then CRC-32 of those first 8 header bytes (u32 LE).
 */
export const FRAME_HEADER_BYTES = 12;

/**
 * Frame one durable record for storage: `[length u32][payload crc32 u32][header crc32 u32][payload]`.
 * The payload checksum catches a damaged record; the header checksum catches a damaged length, which
 * would otherwise read exactly like a torn write. A record is never accepted unchecked.
 */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  frameRecordInto(payload, frame, 0);
  return frame;
}

/**
 * Write the frame of `payload` ({@link frameRecord}'s bytes) into `out` at `at`, which must have
 * room for FRAME_HEADER_BYTES + payload.length bytes: a log buffering many records frames them
 * into one buffer instead of allocating one per record.
 * @returns where the frame ends
 */
export function frameRecordInto(payload: Uint8Array, out: Uint8Array, at: number): number {
  assert(payload.length <= MAX_FRAME_PAYLOAD_BYTES, `a record of ${payload.length} bytes does not fit a frame's u32 length`);
  const end = at + FRAME_HEADER_BYTES + payload.length;
  assert(end <= out.length, `no room for a frame of ${payload.length} bytes`);
  writeUint32LE(out, at, payload.length);
  writeUint32LE(out, at + 4, crc32(payload));
  writeUint32LE(out, at + 8, crc32(out.subarray(at, at + 8)));
  out.set(payload, at + FRAME_HEADER_BYTES);
  return end;
}

function writeUint32LE(out: Uint8Array, at: number, x: number): void {
  out[at] = x & 0xff;
  out[at + 1] = (x >>> 8) & 0xff;
  out[at + 2] = (x >>> 16) & 0xff;
  out[at + 3] = x >>> 24;
}

/** Why one stored frame could not be read. */
export type FrameProblem = "torn" | "checksum" | "decode";

/**
 * Check one frame. A frame shorter than its header, or whose intact header declares more bytes than
 * it has, is `torn` (a prefix of a write); a header or payload that fails its CRC is `checksum`.
 */
export function unframeRecord(frame: Uint8Array): { ok: true; payload: Uint8Array } | { ok: false; problem: FrameProblem } {
  if (frame.length < FRAME_HEADER_BYTES) return { ok: false, problem: "torn" };
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (crc32(frame.subarray(0, 8)) !== view.getUint32(8, true)) return { ok: false, problem: "checksum" };
  const length = view.getUint32(0, true);
  if (frame.length !== FRAME_HEADER_BYTES + length) return { ok: false, problem: frame.length < FRAME_HEADER_BYTES + length ? "torn" : "checksum" };
  const payload = frame.subarray(FRAME_HEADER_BYTES);
  if (crc32(payload) !== view.getUint32(4, true)) return { ok: false, problem: "checksum" };
  return { ok: true, payload };
}

/**
 * Read back a node's durable log, one frame per persisted record, oldest first. Reading stops at the
 * first bad frame: a torn last frame is reported as `tornTail` (a write in flight at the crash,
 * never synced); any other bad frame counts as corrupted, together with every frame after it.
 * To read a log file's bytes, use `readLogFile`, which also gives the length to truncate a torn
 * tail to: a torn tail must be truncated before anything is appended (see `RecoveredState.tornTail`).
 */
export function readDurableLog<P>(frames: readonly Uint8Array[], codec: Codec<P>): RecoveredState<P> {
  const records: P[] = [];
  for (let i = 0; i < frames.length; i++) {
    const checked = unframeRecord(frames[i] as Uint8Array);
    if (checked.ok) {
      const decoded = codec.decode(checked.payload);
      if (decoded.ok) {
        records.push(decoded.value);
        continue;
      }
    }
    const isLast = i === frames.length - 1;
    if (!checked.ok && checked.problem === "torn" && isLast) return { records, corrupted: 0, tornTail: true };
    return { records, corrupted: frames.length - i, tornTail: false };
  }
  return { records, corrupted: 0, tornTail: false };
}
