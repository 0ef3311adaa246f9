import { createCodec, s, type Codec, type NodeId, type Schema } from "@synod/core";
import { MAX_KEY_LENGTH, MAX_VALUE_LENGTH, raftMessageSchema, type KvResult, type RaftMessage } from "@synod/raft";
import { MAX_COMMAND_BYTES, MAX_MESSAGE_BYTES, MAX_SNAPSHOT_BYTES, MAX_WRITES_WIRE } from "./limits.js";

/** A write in the chain: the command the head ordered at `seq`, and where to answer the client. */
export interface Write {
  readonly seq: number;
  readonly command: Uint8Array;
  /** The node the client's write arrived at (the tail sends the result there). */
  readonly origin: NodeId;
  /** The origin's correlation number for the client's request. */
  readonly tag: number;
}

/**
 * Every chain message. `epoch` fences: a node handles a chain message only in the epoch it was sent
 * in, and replication messages only from its neighbour in that epoch's configuration.
 * - raft: the configuration group's Raft traffic;
 * - heartbeat: "I am alive as incarnation `boot`, holding data since epoch `since`, synced or not"
 *   (to every node: the master's failure detector, and what it needs to never remove the last synced member);
 * - submit: an origin forwards a client's write to the head;
 * - append: writes from a predecessor; `floor` ≥ 0 is the sender's received sequence when it
 *   became synced in this epoch (the successor is synced once it holds that much), -1 while the sender is not synced;
 * - snapshot: the predecessor's committed state for a successor that is behind it (a joiner);
 * - ack: a successor's received and committed sequences (commit flows upstream from the tail);
 * - reply: the tail's result of a committed write, to its origin;
 * - tailRead / readReply / readRefused: a strong read forwarded to the tail and its answer;
 * - versionQuery / versionReply: CRAQ's question to the tail for a dirty key's committed version;
 * - confirm / confirmed: "is epoch e still current?", answered by the Raft leader after a ReadIndex read.
 */
export type ChainMessage =
  | { readonly type: "raft"; readonly m: RaftMessage }
  | { readonly type: "heartbeat"; readonly boot: number; readonly since: number; readonly synced: boolean }
  | { readonly type: "submit"; readonly tag: number; readonly command: Uint8Array }
  | { readonly type: "append"; readonly epoch: number; readonly floor: number; readonly writes: readonly Write[] }
  | { readonly type: "snapshot"; readonly epoch: number; readonly floor: number; readonly seq: number; readonly hash: number; readonly state: Uint8Array }
  | { readonly type: "ack"; readonly epoch: number; readonly received: number; readonly committed: number }
  | { readonly type: "reply"; readonly tag: number; readonly result: KvResult }
  | { readonly type: "tailRead"; readonly epoch: number; readonly tag: number; readonly key: string }
  | { readonly type: "readReply"; readonly tag: number; readonly value: string | null }
  | { readonly type: "readRefused"; readonly tag: number; readonly reason: string }
  | { readonly type: "versionQuery"; readonly epoch: number; readonly id: number; readonly key: string }
  | { readonly type: "versionReply"; readonly epoch: number; readonly id: number; readonly version: number }
  | { readonly type: "confirm"; readonly tag: number }
  | { readonly type: "confirmed"; readonly tag: number; readonly epoch: number };

/** The message kinds. */
export type ChainMessageType = ChainMessage["type"];

const epoch = s.uint();
const key = s.string({ maxLength: MAX_KEY_LENGTH });
const value = s.nullable(s.string({ maxLength: MAX_VALUE_LENGTH }));
const result = s.object({ ok: s.boolean(), value: s.optional(value), error: s.optional(s.string({ maxLength: 256 })) });
const write = s.object({ seq: s.uint(), command: s.bytes({ maxLength: MAX_COMMAND_BYTES }), origin: s.nodeId(), tag: s.uint() });

/** Schema of a {@link ChainMessage}: shapes and ranges (neighbours and epochs are the node's to check). */
export const chainMessageSchema: Schema<ChainMessage> = s.variant("type", {
  raft: { m: raftMessageSchema },
  heartbeat: { boot: s.uint(), since: s.int({ min: -1 }), synced: s.boolean() },
  submit: { tag: s.uint(), command: s.bytes({ maxLength: MAX_COMMAND_BYTES }) },
  append: { epoch, floor: s.int({ min: -1 }), writes: s.array(write, { maxLength: MAX_WRITES_WIRE }) },
  snapshot: { epoch, floor: s.int({ min: -1 }), seq: s.uint(), hash: s.uint(0xffffffff), state: s.bytes({ maxLength: MAX_SNAPSHOT_BYTES }) },
  ack: { epoch, received: s.uint(), committed: s.uint() },
  reply: { tag: s.uint(), result },
  tailRead: { epoch, tag: s.uint(), key },
  readReply: { tag: s.uint(), value },
  readRefused: { tag: s.uint(), reason: s.string({ maxLength: 256 }) },
  versionQuery: { epoch, id: s.uint(), key },
  versionReply: { epoch, id: s.uint(), version: s.uint() },
  confirm: { tag: s.uint() },
  confirmed: { tag: s.uint(), epoch },
}) as Schema<ChainMessage>;

/** The validating codec of chain messages (8 MiB: a snapshot, or a Raft snapshot). */
export const chainMessageCodec: Codec<ChainMessage> = createCodec(chainMessageSchema, { maxBytes: MAX_MESSAGE_BYTES });
