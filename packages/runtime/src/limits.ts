/**
 * Every limit of the runtime in one place, with the relationships between them asserted when the
 * module loads (a limit changed alone cannot silently break another).
 */
import { FRAME_HEADER_BYTES } from "@synod/core";
import { MAX_MESSAGE_BYTES, MAX_RECORD_BYTES, MAX_SNAPSHOT_BYTES, SNAPSHOT_RECORD_CHUNK_BYTES } from "@synod/raft";

/** Largest frame accepted on a peer connection (payload bytes). Raft's message codec caps messages at 2 MiB. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Bytes of the length prefix before each frame on a connection. */
export const FRAME_PREFIX_BYTES = 4;
/** Most frames queued for one peer while its connection is down or full; more are dropped and counted. */
export const MAX_QUEUED_FRAMES_PER_PEER = 4096;
/** Most bytes queued for one peer; more are dropped and counted. */
export const MAX_QUEUED_BYTES_PER_PEER = 64 * 1024 * 1024;
/** First reconnect delay; doubled per failed attempt (with ±50% jitter) up to the maximum. */
export const RECONNECT_INITIAL_MS = 50;
/** Longest reconnect delay. */
export const RECONNECT_MAX_MS = 2_000;
/** An idle connection sends a keepalive frame this often; a peer silent for 4 intervals is dropped. */
export const KEEPALIVE_INTERVAL_MS = 1_000;
/** Bytes a WAL segment grows to before the next write rolls to a new one. */
export const WAL_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Largest record the WAL accepts: Raft's largest record (MAX_RECORD_BYTES: an entries record, or an 8 MiB snapshot chunk). */
export const MAX_WAL_RECORD_BYTES = 16 * 1024 * 1024;
/**
 * Largest WAL file read at recovery in one piece: 2 GiB − 1, the most Node's `readFile` reads. A
 * segment may exceed its roll size by one write; a checkpoint holds a whole Raft snapshot (up to
 * MAX_SNAPSHOT_BYTES, 1 GiB, in chunk records) and the entries after it.
 */
export const MAX_WAL_FILE_BYTES = 2 ** 31 - 1;

function assertLimit(holds: boolean, why: string): void {
  if (!holds) throw new Error(`runtime limits: ${why}`);
}

assertLimit(MAX_FRAME_BYTES >= MAX_MESSAGE_BYTES + 64, "a frame must hold Raft's largest message (2 MiB codec limit)");
assertLimit(MAX_WAL_RECORD_BYTES >= MAX_RECORD_BYTES, "the WAL must accept every Raft record");
// A checkpoint of the largest snapshot (its chunk records and commit record, framed) leaves 512 MiB
// for the entries after it (Raft's defaults keep at most 1000 entries of 64 KiB there: 64 MiB).
const LARGEST_SNAPSHOT_CHECKPOINT_BYTES = MAX_SNAPSHOT_BYTES + (MAX_SNAPSHOT_BYTES / SNAPSHOT_RECORD_CHUNK_BYTES + 1) * (FRAME_HEADER_BYTES + 64);
assertLimit(LARGEST_SNAPSHOT_CHECKPOINT_BYTES + (512 << 20) <= MAX_WAL_FILE_BYTES, "a checkpoint of Raft's largest snapshot must be readable at recovery");
assertLimit(MAX_QUEUED_BYTES_PER_PEER >= MAX_FRAME_BYTES * 4, "a peer queue must hold several of the largest frames");
assertLimit(RECONNECT_INITIAL_MS < RECONNECT_MAX_MS, "backoff must be able to grow");
assertLimit(MAX_WAL_RECORD_BYTES + FRAME_HEADER_BYTES < WAL_SEGMENT_BYTES, "one record must fit a segment");
assertLimit(WAL_SEGMENT_BYTES * 4 <= MAX_WAL_FILE_BYTES, "a segment must be readable in one piece at recovery");
