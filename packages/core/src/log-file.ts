import type { Codec } from "./codec.js";
import { crc32 } from "./crc32.js";
import { FRAME_HEADER_BYTES, readDurableLog } from "./durable-log.js";
import type { RecoveredState } from "./protocol.js";

/** What {@link readLogFile} found in a log file. */
export interface LogFileRecovery<P> extends RecoveredState<P> {
  /**
   * Bytes of the valid prefix: every record in `records`, nothing after. When `tornTail` is true the
   * caller MUST truncate the file to this length before it appends anything: bytes appended after a
   * torn frame make every later record unreadable (reported as corrupted at the next restart, where
   * the node refuses to run). When `corrupted > 0`, keep the file as it is for inspection.
   */
  readonly validLength: number;
}

/**
 * Split a log file's bytes into frames (`frameRecord` layout, back to back). Each frame whose header
 * checksum holds and whose declared length fits is one element; at the first that does not (a torn
 * write, or damage), the rest of the file is one last element, which `readDurableLog` classifies.
 * @returns views into `bytes`, in file order
 */
export function splitLogFile(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at >= FRAME_HEADER_BYTES && crc32(bytes.subarray(at, at + 8)) === view.getUint32(at + 8, true)) {
      const end = at + FRAME_HEADER_BYTES + view.getUint32(at, true);
      if (end <= bytes.length) {
        frames.push(bytes.subarray(at, end));
        at = end;
        continue;
      }
    }
    frames.push(bytes.subarray(at));
    break;
  }
  return frames;
}

/**
 * Recover a node's durable state from the bytes of its log file (frames written back to back with
 * `frameRecord`), as `readDurableLog` does from a list of frames, plus the length of the valid
 * prefix. The contract: when the result says `tornTail`, truncate the file to `validLength` before
 * appending (see {@link LogFileRecovery.validLength}).
 * @example
 * const recovered = readLogFile(readFileSync(path), raftRecordCodec);
 * if (recovered.tornTail) truncateSync(path, recovered.validLength);
 */
export function readLogFile<P>(bytes: Uint8Array, codec: Codec<P>): LogFileRecovery<P> {
  const frames = splitLogFile(bytes);
  const state = readDurableLog(frames, codec);
  let validLength = 0;
  for (let i = 0; i < state.records.length; i++) validLength += (frames[i] as Uint8Array).length;
  return { ...state, validLength };
}
