import type { NodeId } from "./ids.js";
import type { Rng } from "./rng.js";
import type { Step } from "./step.js";

/**
 * A protocol node: a deterministic state machine whose only inputs are ticks, delivered messages
 * and requests. It never reads a clock, never draws randomness except from its injected {@link Rng},
 * never performs I/O. The same inputs in the same order always give the same steps.
 *
 * @typeParam M - message type (plain data, encodable by the core codec)
 * @typeParam I - request (client command / local operation) type
 * @typeParam O - output type (what the application sees)
 * @typeParam P - durable record type
 */
export interface ProtocolNode<M, I, O, P> {
  /** This node's id. */
  readonly id: NodeId;
  /** Advance logical time by one tick. */
  tick(): Step<M, O, P>;
  /**
   * Handle a message that is already decoded: it came through the protocol's message codec (or was
   * built, with the right types, by trusted code such as a test or an in-process transport). The
   * node trusts its SHAPE (a `null`, a string where a number belongs or an unknown `type` is
   * undefined behaviour) but treats its content as a peer's claim, never a fact. Bytes from a
   * network go to {@link receiveBytes}.
   */
  receive(from: NodeId, message: M): Step<M, O, P>;
  /**
   * Handle the bytes of a message from a network, as drivers should: decoded and validated by the
   * protocol's message codec, then handled as {@link receive} does; bytes that do not decode are
   * counted and dropped (an empty step). Never throws on a peer's bytes.
   */
  receiveBytes(from: NodeId, bytes: Uint8Array): Step<M, O, P>;
  /** Handle a client command or local operation. */
  request(input: I): Step<M, O, P>;
}

/**
 * What survived a crash: the durable records that were synced, in the order they were persisted
 * (after the last compaction), as read back and checked by the storage layer.
 */
export interface RecoveredState<P> {
  /** Records read back intact, in order. Empty for a node that never persisted anything. */
  readonly records: readonly P[];
  /**
   * Records that failed their checksum or did not decode. The storage layer stops reading at the
   * first one, so `records` is a prefix of what was synced. A node that finds `corrupted > 0` must
   * not act as if nothing was lost (e.g. a Raft node may have forgotten a vote): the safe default is
   * to refuse to run and raise an alarm.
   */
  readonly corrupted: number;
  /**
   * Whether the last record was torn (a partial write at crash time). A torn tail was never synced,
   * so nothing is lost; but its bytes are still in the log. The driver MUST truncate the log to its
   * valid prefix (`readLogFile(...).validLength`) before appending anything: records appended after
   * a torn tail cannot be read back, and the next restart reports them corrupted (a halted node).
   */
  readonly tornTail: boolean;
}

/** The recovered state of a node that starts for the first time. */
export const FRESH_STATE: RecoveredState<never> = Object.freeze({ records: Object.freeze([]) as readonly never[], corrupted: 0, tornTail: false });

/** Everything a node is constructed from, besides its protocol-specific configuration. */
export interface NodeContext<P> {
  /** This node's id. */
  readonly id: NodeId;
  /** The initial members of the cluster, this node included, in a stable order. */
  readonly members: readonly NodeId[];
  /** This node's own seeded generator (a fork of the run's root generator). */
  readonly rng: Rng;
  /** Durable state recovered after a crash; {@link FRESH_STATE} on first start. */
  readonly recovered: RecoveredState<P>;
}
