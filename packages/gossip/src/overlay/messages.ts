import { createCodec, s, type Infer, type NodeId } from "@synod/core";

/** Most node ids a shuffle or shuffle reply may carry (the decoder rejects more). */
export const MAX_SHUFFLE_NODES = 64;

/** Longest broadcast payload, in UTF-16 units (the decoder rejects longer). */
export const MAX_BROADCAST_PAYLOAD = 1024;

/** Largest encoded overlay message accepted, in bytes. */
export const MAX_OVERLAY_MESSAGE_BYTES = 4096;

/** Longest random walk a join or shuffle may ask for (the decoder rejects more). */
export const MAX_WALK_LENGTH = 16;

const ttl = s.uint(MAX_WALK_LENGTH);
const shuffleNodes = s.array(s.nodeId(), { maxLength: MAX_SHUFFLE_NODES });

/**
 * A broadcast's id: its origin, the origin's epoch (one per start, persisted before use, so that a
 * restarted origin never reuses an id) and the origin's sequence number within that epoch.
 */
const broadcastIdSchema = s.tuple([s.nodeId(), s.uint(), s.uint()]);

/** A broadcast's id `[origin, epoch, seq]`. */
export type BroadcastId = Infer<typeof broadcastIdSchema>;

const round = s.uint(0xffff);

const messageSchema = s.variant("type", {
  // ---- HyParView (Leitão, Pereira, Rodrigues 2007) ----
  /** Ask a contact member to bring the sender into the overlay. */
  join: {},
  /** A join's random walk: `joiner` is added to an active view where the walk ends (`ttl` 0) and to a passive view at `ttl` = PRWL. */
  forwardJoin: { joiner: s.nodeId(), ttl },
  /** The sender put the receiver in its active view (it ended a join's walk, or was the contact): the receiver adds it back. */
  connect: {},
  /**
   * Ask the receiver to take the sender into its active view. `high`: the sender's active view is
   * empty (accepted even when full, evicting one); `low`: accepted only when the receiver's view is not
   * full; `swap`: a rewiring — accepted like `high`, and the sender evicts one of its own on acceptance.
   */
  neighbor: { priority: s.enumOf(["high", "low", "swap"] as const) },
  /** The answer to a `neighbor`. */
  neighborReply: { accepted: s.boolean() },
  /** The sender dropped the receiver from its active view (the receiver moves it to its passive view). */
  disconnect: {},
  /** Keep-alive on an active link (HyParView relies on TCP to detect a failed neighbour; here, silence for `failTicks` does). */
  heartbeat: {},
  /** A shuffle's random walk from `origin`, carrying a sample of its views; answered straight to `origin` where the walk ends. */
  shuffle: { origin: s.nodeId(), ttl, nodes: shuffleNodes },
  /** The answer to a shuffle: a sample of the receiver's passive view. */
  shuffleReply: { nodes: shuffleNodes },
  // ---- Plumtree (Leitão, Pereira, Rodrigues 2007, "Epidemic broadcast trees") ----
  /** Eager push of a broadcast's payload along the tree; `round`: hops from its origin. */
  gossip: { id: broadcastIdSchema, round, payload: s.string({ maxLength: MAX_BROADCAST_PAYLOAD }) },
  /** Lazy push: the sender holds broadcast `id`. */
  iHave: { id: broadcastIdSchema, round },
  /** Ask for broadcast `id` and make the link an eager (tree) link. */
  graft: { id: broadcastIdSchema, round },
  /** The receiver sent the sender a duplicate: the link becomes lazy. */
  prune: {},
});

/** A HyParView or Plumtree message. */
export type OverlayMessage = Infer<typeof messageSchema>;

/** Validating codec for {@link OverlayMessage}. */
export const overlayMessageCodec = createCodec(messageSchema, { maxBytes: MAX_OVERLAY_MESSAGE_BYTES });

const recordSchema = s.object({ epoch: s.uint() });

/** The durable record: this member's broadcast epoch, persisted before any broadcast of the epoch is sent. */
export type OverlayRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link OverlayRecord}. */
export const overlayRecordCodec = createCodec(recordSchema, { maxBytes: 256 });

/** A local operation: broadcast `payload` to every member (Plumtree). */
export type OverlayRequest = { readonly type: "broadcast"; readonly payload: string };

/** What an overlay member hands its application. */
export type OverlayOutput =
  /** Broadcast `id` delivered here (once per start; the origin delivers its own at once). */
  | { readonly type: "deliver"; readonly id: BroadcastId; readonly payload: string; readonly round: number }
  /** `peer` entered (`up`) or left (`down`) this member's active view; `reason` says why. */
  | { readonly type: "neighbor"; readonly peer: NodeId; readonly change: "up" | "down"; readonly reason: NeighborChangeReason }
  /** A broadcast request refused (payload too long). */
  | { readonly type: "broadcastRejected"; readonly reason: string }
  /** Something the operator must see (corrupted storage at recovery). */
  | { readonly type: "alarm"; readonly reason: string };

/** Why a member entered or left an active view. */
export type NeighborChangeReason = "join" | "forwardJoin" | "connect" | "neighbor" | "evicted" | "disconnect" | "failed";

/** A `neighbor` request's priority. */
export type NeighborPriority = "high" | "low" | "swap";

/** @returns the key of a broadcast id, for maps */
export function broadcastKey(id: BroadcastId): string {
  return `${id[0]}/${id[1]}/${id[2]}`;
}
