import type { NodeId } from "@synod/core";

/** What became of a message, by code (an index into {@link MESSAGE_FATES}). */
export const MessageFate = {
  /** Handed to the recipient's `receive`. */
  Delivered: 0,
  /** Still queued (or held by a paused recipient) when the run stopped. */
  InFlight: 1,
  /** Lost by the network (loss rate) when sent. */
  Lost: 2,
  /** Cut by a partition: when sent, or when it arrived. */
  Cut: 3,
  /** Arrived at a crashed node, or was held by a paused node that then crashed. */
  Crashed: 4,
  /** Dropped because the paused recipient's buffer was full. */
  Overflow: 5,
} as const;

/** Names of {@link MessageFate} codes. */
export const MESSAGE_FATES: readonly string[] = ["delivered", "in flight", "lost", "cut", "to crashed node", "pause overflow"];

/**
 * Every message of a run, in columns (index = message id, in send order). A duplicate is its own
 * message with `dupOf` naming the original; `endMs` is the delivery (or drop) time, or −1 when it
 * never arrived (lost or cut when sent, in flight at the end).
 */
export interface MessageColumns {
  readonly from: number[];
  readonly to: number[];
  /** Index into {@link RunRecording.messageTypes}. */
  readonly type: number[];
  readonly sentMs: number[];
  readonly endMs: number[];
  readonly fate: number[];
  /** −1, or the id of the message this one duplicates. */
  readonly dupOf: number[];
  /** Index of the event whose step sent it. */
  readonly sendEvent: number[];
  /** Index of the event that delivered or dropped it, −1 when none. */
  readonly endEvent: number[];
  /** The message as JSON, cut to a few dozen characters (for hovering). */
  readonly detail: string[];
}

/** A stretch of time a node spent crashed, paused, slow, skewed or Byzantine. */
export interface NodeEpisode {
  readonly node: number;
  readonly kind: "down" | "paused" | "slow" | "skew" | "byzantine";
  readonly fromMs: number;
  /** −1 while it lasted to the end of the run. */
  toMs: number;
}

/** A stretch of time with a partition in force, or with lossy / duplicating network conditions. */
export interface NetworkEpisode {
  readonly kind: "partition" | "network";
  readonly fromMs: number;
  toMs: number;
  /** e.g. `split {n1,n2} | rest`, `loss 20% dup 5%`. */
  readonly label: string;
  /** The nodes on the cut-off side (partitions). */
  readonly nodes: readonly number[];
}

/** A node's role as the target labels it, from event `event` on. */
export interface RoleChange {
  readonly node: number;
  readonly atMs: number;
  readonly event: number;
  readonly label: string;
}

/** What a space-time diagram needs from a simulated run, recorded only when asked for. */
export interface RunRecording {
  readonly nodes: readonly NodeId[];
  readonly messageTypes: readonly string[];
  readonly messages: MessageColumns;
  readonly nodeEpisodes: readonly NodeEpisode[];
  readonly networkEpisodes: readonly NetworkEpisode[];
  readonly roles: readonly RoleChange[];
  /** Virtual time of each event, by index (for finding an event). */
  readonly eventTimesMs: readonly number[];
  /** At a violation: each node's state as it stood (bounded JSON), crashed nodes as null. */
  readonly states?: Readonly<Record<NodeId, unknown>>;
}
