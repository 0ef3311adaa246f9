import { createCodec, s, type Infer, type NodeId } from "@synod/core";
import type { MemberState } from "./member-state.js";

/** Most updates a message may carry (a decoder rejects more). */
export const MAX_UPDATES_PER_MESSAGE = 64;

/** Largest encoded gossip message accepted, in bytes (a UDP-sized budget with room to spare). */
export const MAX_GOSSIP_MESSAGE_BYTES = 8192;

/**
 * Most entries a push-pull message may carry (the decoder rejects more). The byte limit binds first:
 * an entry takes at least 9 bytes (a one-character id), so at most 910 fit in MAX_GOSSIP_MESSAGE_BYTES.
 */
export const MAX_PUSH_PULL_ENTRIES = 1024;

const incarnation = s.uint(0xffff_ffff);
const memberState = s.enumOf(["alive", "suspect", "dead", "left"] as const satisfies readonly MemberState[]);

/**
 * A piggybacked membership update: `member` is `state` at `incarnation`, as claimed by `from` (the
 * accuser of a suspicion or death; the member itself for alive and left).
 */
const updateSchema = s.object({
  state: memberState,
  member: s.nodeId(),
  incarnation,
  from: s.nodeId(),
});

/** A membership update carried on another message (SWIM's infection-style dissemination). */
export type Update = Infer<typeof updateSchema>;

const updates = s.array(updateSchema, { maxLength: MAX_UPDATES_PER_MESSAGE });

/**
 * One member's entry in a push-pull exchange, `[member, incarnation, state]`: what the sender holds of
 * that member. A tuple, so that no key names go on the wire (an entry of a 4-character id is 13–19 bytes).
 */
const pushPullEntrySchema = s.tuple([s.nodeId(), incarnation, memberState]);

/** A member's entry in a push-pull exchange (anti-entropy): `[member, incarnation, state]`. */
export type PushPullEntry = Infer<typeof pushPullEntrySchema>;

const pushPullEntries = s.array(pushPullEntrySchema, { maxLength: MAX_PUSH_PULL_ENTRIES });

/** Longest key of the replicated key-value state, in UTF-16 units (the decoder rejects longer). */
export const MAX_KV_KEY_LENGTH = 64;

/** Longest value of the replicated key-value state, in UTF-16 units (the decoder rejects longer). */
export const MAX_KV_VALUE_LENGTH = 1024;

/** Most digest or delta entries one key-value message may carry (the decoder rejects more; the byte limit usually binds first). */
export const MAX_KV_ENTRIES = 1024;

/** An owner's write version: a safe integer (a restart from corrupted storage skips ahead). */
const kvVersion = s.uint();

/** A Scuttlebutt digest entry `[owner, version]`: the sender holds every write of `owner` up to `version`. */
const kvDigestEntrySchema = s.tuple([s.nodeId(), kvVersion]);

/** A Scuttlebutt digest entry `[owner, version]` (the highest version of the owner held). */
export type KvDigestEntry = Infer<typeof kvDigestEntrySchema>;

/** A Scuttlebutt delta entry `[owner, key, value, version]`: one write of the owner's. */
const kvDeltaEntrySchema = s.tuple([s.nodeId(), s.string({ maxLength: MAX_KV_KEY_LENGTH }), s.string({ maxLength: MAX_KV_VALUE_LENGTH }), kvVersion]);

/** A Scuttlebutt delta entry `[owner, key, value, version]`. */
export type KvDeltaEntry = Infer<typeof kvDeltaEntrySchema>;

const kvDigest = s.array(kvDigestEntrySchema, { maxLength: MAX_KV_ENTRIES });
const kvDeltas = s.array(kvDeltaEntrySchema, { maxLength: MAX_KV_ENTRIES });

const messageSchema = s.variant("type", {
  /** Direct probe of `target` (the receiver); `inc` is the sender's own incarnation. */
  ping: { seq: s.uint(), target: s.nodeId(), inc: incarnation, updates },
  /** Answer to a ping (direct, or forwarded by a relay with the origin's `seq`). */
  ack: { seq: s.uint(), inc: incarnation, updates },
  /** Ask the receiver to probe `target` and forward its ack; `nack`: Lifeguard, say so when it does not answer. */
  pingReq: { seq: s.uint(), target: s.nodeId(), nack: s.boolean(), inc: incarnation, updates },
  /** Lifeguard: the relay asked by a `pingReq` got no ack from the target in time. */
  nack: { seq: s.uint(), inc: incarnation },
  /**
   * Push-pull anti-entropy (memberlist's push/pull state sync): the sender's entries, other than alive
   * at 0, for the `span` members of the cluster's member order that start at `first` (wrapping around);
   * the receiver merges them and answers with its own entries of the same members that supersede them.
   */
  pushPull: { inc: incarnation, first: s.nodeId(), span: s.uint(), entries: pushPullEntries },
  /** The answer to a `pushPull`: the receiver's entries, of the members asked about, that supersede the sender's. */
  pushPullReply: { inc: incarnation, entries: pushPullEntries },
  /**
   * Scuttlebutt anti-entropy of the key-value state: the sender's digest (owner → highest version
   * held; an owner it holds nothing of is at 0) for the `span` members of the member order from `first`.
   */
  kvDigest: { inc: incarnation, first: s.nodeId(), span: s.uint(), digest: kvDigest },
  /**
   * The answer to a `kvDigest`: the writes the sender lacks (per owner, oldest first from its version),
   * and `request`, the owners of the window the sender holds newer, with the versions held here.
   */
  kvReply: { inc: incarnation, deltas: kvDeltas, request: kvDigest },
  /** The answer to a `kvReply`'s request: the writes asked for (per owner, oldest first). */
  kvDelta: { inc: incarnation, deltas: kvDeltas },
});

/** A SWIM message. */
export type GossipMessage = Infer<typeof messageSchema>;

/** Validating codec for {@link GossipMessage}. */
export const gossipMessageCodec = createCodec(messageSchema, { maxBytes: MAX_GOSSIP_MESSAGE_BYTES });

const kvWriteSchema = s.tuple([s.string({ maxLength: MAX_KV_KEY_LENGTH }), s.string({ maxLength: MAX_KV_VALUE_LENGTH }), kvVersion]);

const recordSchema = s.object({ incarnation, kv: s.optional(kvWriteSchema) });

/**
 * The durable record: this member's own incarnation, persisted before it is announced; with `kv`,
 * also one write of its own key-value state `[key, value, version]`, persisted before it is gossiped.
 */
export type GossipRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link GossipRecord}. */
export const gossipRecordCodec = createCodec(recordSchema, { maxBytes: 4096 });

/**
 * A local operation: leave the cluster gracefully, or set `key` of this member's own key-value
 * state to `value` (replicated to every member by Scuttlebutt anti-entropy).
 */
export type GossipRequest = { readonly type: "leave" } | { readonly type: "set"; readonly key: string; readonly value: string };

/** Why a member's state changed at an observer. */
export type ChangeCause =
  /** This observer's probe (direct and indirect) got no ack in time. */
  | "probe"
  /** This observer's suspicion timed out. */
  | "timeout"
  /** An update piggybacked by another member, or the member's own message. */
  | "gossip"
  /** An entry of a push-pull exchange (anti-entropy). */
  | "pushPull";

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
  /**
   * Adaptive tuning (`adaptive`): `parameter` changed from `from` to `to` at the end of a window of
   * probes; `reason` gives the measured inputs (the window's probes by outcome, the loss measured over
   * it — absent when no probe was acked — the smoothed loss estimate, and the members held neither
   * dead nor left, this one included).
   */
  | {
      readonly type: "tuned";
      readonly parameter: TunedParameter;
      readonly from: number;
      readonly to: number;
      readonly reason: TuningReason;
    }
  /** Something the operator must see (corrupted storage at recovery). */
  | { readonly type: "alarm"; readonly reason: string }
  /**
   * `owner`'s `key` is now `value` here, at the owner's `version`: a write of this member's own
   * (`local`, owner = this member), one taken from a Scuttlebutt exchange (`gossip`), or, in the first
   * step after a restart, one of this member's own keys as recovered from its storage (`recovered`).
   */
  | {
      readonly type: "kvUpdated";
      readonly owner: NodeId;
      readonly key: string;
      readonly value: string;
      readonly version: number;
      readonly cause: "local" | "gossip" | "recovered";
    }
  /** A `set` request refused: the key or value is too long, or this member left. */
  | { readonly type: "kvRejected"; readonly key: string; readonly reason: string };

/** A parameter adaptive tuning adjusts: the indirect-probe fanout, the piggyback retransmit limit, the probe interval. */
export type TunedParameter = "indirectChecks" | "retransmitLimit" | "probeIntervalTicks";

/** What an adjustment was computed from (see `tune` in adaptive.ts). */
export interface TuningReason {
  readonly probes: number;
  readonly direct: number;
  readonly indirect: number;
  readonly failed: number;
  /** One-way loss measured over the window (absent: no probe acked). */
  readonly windowLoss?: number;
  /** Smoothed one-way loss estimate the parameters were chosen for. */
  readonly loss: number;
  readonly members: number;
}
