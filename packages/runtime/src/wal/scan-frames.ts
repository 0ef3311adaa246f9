import { crc32, FRAME_HEADER_BYTES } from "@synod/core";

/** What scanning one file's frames found. */
export interface FrameScan {
  /** The frames that checked out, in order (each a whole `frameRecord` frame, header included). */
  readonly frames: Uint8Array[];
  /** Offset just past the last good frame. */
  readonly goodEnd: number;
  /** What follows `goodEnd`: nothing, a torn tail (see {@link scanFrames}), or damage. */
  readonly tail: "clean" | "torn" | "damaged";
  /** For damage: what was wrong, for the alarm. */
  readonly problem?: string;
}

/**
 * Split a file's bytes (after its header) into frames and classify what follows the last good one.
 *
 * **The torn-tail rule.** A bad region is a *torn tail* — a write in flight at the crash, never
 * synced, safe to drop — only when it runs to the end of the file and
 * (a) it is shorter than a frame header, or
 * (b) its frame header is intact (its CRC holds) and declares more bytes than remain, or
 * (c) it is all zero bytes (space the file system allocated but never filled).
 * Anything else — a checksum failure with every byte of the frame present, a header that fails its
 * CRC over non-zero bytes — is *damage*: bytes that were synced changed. The caller decides what a
 * torn tail means for a file that is not the last one (it is damage there too).
 *
 * @param bytes - the file's bytes
 * @param start - where the first frame starts (after the file header)
 */
export function scanFrames(bytes: Uint8Array, start: number): FrameScan {
  const frames: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  while (at < bytes.length) {
    const remaining = bytes.length - at;
    if (remaining < FRAME_HEADER_BYTES) return { frames, goodEnd: at, tail: "torn" };
    const headerOk = crc32(bytes.subarray(at, at + 8)) === view.getUint32(at + 8, true);
    if (!headerOk) {
      if (allZero(bytes, at)) return { frames, goodEnd: at, tail: "torn" };
      return { frames, goodEnd: at, tail: "damaged", problem: `frame header checksum failed at offset ${at}` };
    }
    const length = view.getUint32(at, true);
    const end = at + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) return { frames, goodEnd: at, tail: "torn" };
    const payload = bytes.subarray(at + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== view.getUint32(at + 4, true)) return { frames, goodEnd: at, tail: "damaged", problem: `record checksum failed at offset ${at}` };
    frames.push(bytes.subarray(at, end));
    at = end;
  }
  return { frames, goodEnd: at, tail: "clean" };
}

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
