import type { Codec, NodeContext, ProtocolNode } from "@synod/core";

/** A log line the runtime writes for one protocol output (leader change, membership change, alarm). */
export interface ProtocolEvent {
  readonly level: "info" | "warn" | "error";
  /** Short event name, e.g. `leader-changed`. */
  readonly event: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * What the runtime needs to know about a protocol to run its nodes: how to build one, the codecs
 * of its messages (on the wire) and durable records (in the WAL), and — optionally — which outputs
 * deserve a log line and which numbers describe a node for metrics and health.
 *
 * @typeParam N - the node class
 */
export interface ProtocolAdapter<N extends ProtocolNode<M, I, O, P>, M, I, O, P> {
  /** Protocol name, for logs and metrics (`raft`). */
  readonly name: string;
  readonly messageCodec: Codec<M>;
  readonly recordCodec: Codec<P>;
  /** Build a node from its context (the recovered durable state included). */
  createNode(ctx: NodeContext<P>): N;
  /** @returns a log line for an output worth a human's attention, else undefined */
  describeOutput?(output: O): ProtocolEvent | undefined;
  /** @returns numbers describing the node now (exported as metrics, shown by health) */
  inspect?(node: N): Readonly<Record<string, number | string | undefined>>;
}
