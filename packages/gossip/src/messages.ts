import { createCodec, s, type Infer, type NodeId } from "@synod/core";
import type { MemberState } from "./member-state.js";

/** Most updates a message may carry (a decoder rejects more). */
export const MAX_UPDATES_PER_MESSAGE = 64;

/** Largest encoded gossip message accepted, in bytes (a UDP-sized budget with room to spare). */
export const MAX_GOSSIP_MESSAGE_BYTES = 8192;

const incarnation = s.uint(0xffff_ffff);

/**
 * A piggybacked membership update: `member` is `state` at `incarnation`, as claimed by `from` (the
 * accuser of a suspicion or death; the member itself for alive and left).
 */
const updateSchema = s.object({
  state: s.enumOf(["alive", "suspect", "dead", "left"] as const satisfies readonly MemberState[]),
  member: s.nodeId(),
  incarnation,
  from: s.nodeId(),
});

/** A membership update carried on another message (SWIM's infection-style dissemination). */
export type Update = Infer<typeof updateSchema>;

const updates = s.array(updateSchema, { maxLength: MAX_UPDATES_PER_MESSAGE });

const messageSchema = s.variant("type", {
  /** Direct probe of `target` (the receiver); `inc` is the sender's own incarnation. */
  ping: { seq: s.uint(), target: s.nodeId(), inc: incarnation, updates },
  /** Answer to a ping (direct, or forwarded by a relay with the origin's `seq`). */
  ack: { seq: s.uint(), inc: incarnation, updates },
  /** Ask the receiver to probe `target` and forward its ack; `nack`: Lifeguard, say so when it does not answer. */
  pingReq: { seq: s.uint(), target: s.nodeId(), nack: s.boolean(), inc: incarnation, updates },
  /** Lifeguard: the relay asked by a `pingReq` got no ack from the target in time. */
  nack: { seq: s.uint(), inc: incarnation },
});

/** A SWIM message. */
export type GossipMessage = Infer<typeof messageSchema>;

/** Validating codec for {@link GossipMessage}. */
export const gossipMessageCodec = createCodec(messageSchema, { maxBytes: MAX_GOSSIP_MESSAGE_BYTES });

const recordSchema = s.object({ incarnation });

/** The one durable record: this member's own incarnation, persisted before it is announced. */
export type GossipRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link GossipRecord}. */
export const gossipRecordCodec = createCodec(recordSchema, { maxBytes: 64 });

/** A local operation: leave the cluster gracefully. */
export type GossipRequest = { readonly type: "leave" };

/** Why a member's state changed at an observer. */
export type ChangeCause =
  /** This observer's probe (direct and indirect) got no ack in time. */
  | "probe"
  /** This observer's suspicion timed out. */
  | "timeout"
  /** An update piggybacked by another member, or the member's own message. */
  | "gossip";

/**
 * Membership events, the shape `@synod/quorum`'s health advisor consumes: a member `joined`
 * (alive again after dead or left), was `suspected`, `failed` (declared dead), `left`, or was
 * `updated` (alive at a higher incarnation: a refutation reached here).
 */
export type MembershipEvent = {
  readonly type: "joined" | "suspected" | "failed" | "left" | "updated";
  readonly member: NodeId;
  readonly incarnation: number;
  readonly previous: MemberState;
  readonly previousIncarnation: number;
  readonly cause: ChangeCause;
};

/** What a gossip member hands its application. */
export type GossipOutput =
  | MembershipEvent
  /** This member refuted a suspicion or death of itself: its incarnation is now `incarnation`. */
  | { readonly type: "refuted"; readonly incarnation: number; readonly accusedIncarnation: number }
  /** Lifeguard: the local health score changed (probe intervals and timeouts scale by score + 1). */
  | { readonly type: "health"; readonly score: number }
  /** Something the operator must see (corrupted storage at recovery). */
  | { readonly type: "alarm"; readonly reason: string };
