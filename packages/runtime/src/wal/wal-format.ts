import { WalError } from "./wal-error.js";

/**
 * On-disk format of WAL files. Every file (segment or checkpoint) starts with a 16-byte header:
 * the magic `SYNODWAL`, the format version (u32 LE) and the file's kind (u32 LE: 1 segment,
 * 2 checkpoint). Records follow, each framed by `@synod/core`'s `frameRecord`
 * (`[length u32][payload crc32][header crc32][payload]`).
 *
 * Files are named by a 16-digit sequence number so that names sort in write order:
 * `00000000000000000001.wal` (segment), `00000000000000000007.checkpoint` (checkpoint: the whole
 * durable state as of the start of segment 7; segments before 7 are obsolete).
 */
export const WAL_FORMAT_VERSION = 1;
/** Bytes of a WAL file's header. */
export const FILE_HEADER_BYTES = 16;
const MAGIC = [0x53, 0x59, 0x4e, 0x4f, 0x44, 0x57, 0x41, 0x4c]; // "SYNODWAL"

/** What a WAL file holds. */
export type WalFileKind = "segment" | "checkpoint";
const KIND_CODES: Record<WalFileKind, number> = { segment: 1, checkpoint: 2 };

/** @returns the header of a new file of `kind` */
export function fileHeader(kind: WalFileKind): Uint8Array {
  const header = new Uint8Array(FILE_HEADER_BYTES);
  header.set(MAGIC, 0);
  const view = new DataView(header.buffer);
  view.setUint32(8, WAL_FORMAT_VERSION, true);
  view.setUint32(12, KIND_CODES[kind], true);
  return header;
}

/**
 * Check a file's header.
 * @returns "short" when the file is shorter than a header (a file created just before a crash)
 * @throws {WalError} when the magic or kind is wrong, or the version is newer than this code reads
 */
export function checkFileHeader(bytes: Uint8Array, kind: WalFileKind, name: string): "ok" | "short" {
  if (bytes.length < FILE_HEADER_BYTES) return "short";
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) throw new WalError(`${name}: not a synod WAL file (bad magic)`, { file: name });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > WAL_FORMAT_VERSION) throw new WalError(`${name}: WAL format version ${version} is newer than this code reads (${WAL_FORMAT_VERSION}); run a newer synod`, { file: name, version });
  if (version < 1) throw new WalError(`${name}: invalid WAL format version ${version}`, { file: name, version });
  if (view.getUint32(12, true) !== KIND_CODES[kind]) throw new WalError(`${name}: not a ${kind} file`, { file: name });
  return "ok";
}

const NAME = /^(\d{20})\.(wal|checkpoint)$/;

/** @returns the file name of sequence number `seq` of `kind` */
export function walFileName(seq: number, kind: WalFileKind): string {
  return `${String(seq).padStart(20, "0")}.${kind === "segment" ? "wal" : "checkpoint"}`;
}

/** @returns the sequence number and kind a file name encodes, or undefined for any other file */
export function parseWalFileName(name: string): { seq: number; kind: WalFileKind } | undefined {
  const match = NAME.exec(name);
  if (match === null) return undefined;
  return { seq: Number(match[1]), kind: match[2] === "wal" ? "segment" : "checkpoint" };
}
