import { createCodec, s, type Infer, type NodeId } from "@synod/core";

/** Longest broadcast value accepted, in characters. */
export const MAX_BROADCAST_VALUE_LENGTH = 1024;

const messageSchema = s.variant("type", {
  /** A broadcast message `Msg(id, value)`, id = (origin, seq). */
  msg: { origin: s.nodeId(), seq: s.uint(), value: s.string({ maxLength: MAX_BROADCAST_VALUE_LENGTH }) },
  /** `Ack(id)`: the sender has delivered (or already had) the message with this id. */
  ack: { origin: s.nodeId(), seq: s.uint() },
});

/** A message of the reference broadcast protocol. */
export type BroadcastMessage = Infer<typeof messageSchema>;

const recordSchema = s.object({ origin: s.nodeId(), seq: s.uint(), value: s.string({ maxLength: MAX_BROADCAST_VALUE_LENGTH }) });

/** The durable record of one delivery: `{delivered id, value}`. */
export type BroadcastRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link BroadcastMessage}. */
export const broadcastMessageCodec = createCodec(messageSchema, { maxBytes: 4096 });

/** Validating codec for {@link BroadcastRecord}. */
export const broadcastRecordCodec = createCodec(recordSchema, { maxBytes: 4096 });

/** A client request: broadcast `value`; `invocationId` comes back in the local delivery. */
export interface BroadcastInput {
  readonly value: string;
  readonly invocationId: number;
}

/** What a broadcast node hands its application. */
export type BroadcastOutput =
  /** Message (origin, seq) delivered here; `invocationId` is set on the origin's own delivery of a client request. */
  | { readonly type: "deliver"; readonly origin: NodeId; readonly seq: number; readonly value: string; readonly invocationId?: number }
  /** A request this node refused (it is halted). */
  | { readonly type: "rejected"; readonly invocationId: number; readonly reason: string }
  /** Something the operator must see, e.g. corrupted storage found at recovery. */
  | { readonly type: "alarm"; readonly reason: string };
