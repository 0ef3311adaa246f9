import type { Codec } from "./codec.js";
import type { History } from "./history.js";
import type { NodeId } from "./ids.js";
import type { NodeContext, ProtocolNode } from "./protocol.js";
import type { Rng } from "./rng.js";
import type { Step } from "./step.js";

/**
 * How a driver (the simulator, or a test harness) runs a protocol: how to build its nodes, how
 * clients use it, and what must always hold. A protocol package exports one of these; it never
 * imports the simulator, so the simulator stays a driver like any other.
 *
 * @typeParam N - the node class (invariants read its state through its public, read-only API)
 * @typeParam Op - a client operation as it appears in the history; `Res` its result
 */
export interface SimulationTarget<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op = unknown, Res = unknown> {
  /** CLI name, e.g. `raft`. Lowercase letters, digits and dashes. */
  readonly name: string;
  /** One line for `synod --list`. */
  readonly description: string;
  /** Cluster size when the user gives none. */
  readonly defaultNodes: number;
  /** Smallest cluster the protocol accepts. */
  readonly minNodes: number;
  /** Virtual milliseconds between two ticks of a node at nominal clock rate. */
  readonly tickMs: number;
  /** Build a node, at start and again at every restart (then with what was recovered from storage). */
  createNode(ctx: NodeContext<P>): N;
  /** Validating codec for messages: wire round trips, byte counts, Byzantine forgeries. */
  readonly messageCodec: Codec<M>;
  /** Validating codec for durable records: the simulated disk stores framed, checksummed bytes. */
  readonly recordCodec: Codec<P>;
  /** The client workload, when the protocol serves clients. */
  readonly client?: ClientModel<I, O, Op, Res>;
  /** Fresh invariant checkers for one run (they may keep state across events). */
  createInvariants(): Invariant<N, M, O, P, Op, Res>[];
  /** Progress that must follow once every fault has healed. */
  readonly liveness?: LivenessCheck<N, Op, Res>;
  /** Protocol metrics reported at the end of a run (e.g. `committedEntries`, `leaderChanges`). */
  metrics?(view: ClusterView<N, Op, Res>): Record<string, number>;
  /**
   * Byzantine forgery: a plausible but altered version of `message` (another value, a higher term…),
   * used by the adversary's forge and equivocate strategies. Absent: those strategies only replay.
   */
  forge?(message: M, rng: Rng): M;
  /**
   * A short label of a node's role for pictures of a run (`leader t3`, `primary v2`), read after each
   * step of that node when a report is recorded; the report labels each change. Absent: no roles drawn.
   */
  role?(node: N): string | undefined;
  /**
   * Whether the node leads right now (a Raft leader, the primary of an active PBFT view). The
   * simulator's `leader-crash` fault crashes the node this names at the moment the episode starts:
   * the windows where leaders fail are where commit and election bugs live. Absent: no aimed faults.
   */
  leads?(node: N): boolean;
  /**
   * Buggify crash points (FoundationDB's "buggify"): the places in a node's steps where bugs live —
   * a vote granted, an append acknowledged, a leader's commit index advanced. With the simulator's
   * `buggify` fault on, the driver crashes a node right after a step that passes an enabled point
   * (with a per-seed probability), before or after its sends as the point says, and restarts it
   * quickly. Absent: no crash points.
   */
  readonly crashPoints?: readonly CrashPointSpec[];
  /**
   * Which crash point node `node`'s `step` (just produced, not yet honoured) passes.
   * @returns an index into {@link crashPoints}, or -1 for none
   */
  crashPointOf?(node: N, step: Step<M, O, P>): number;
}

/** One buggify crash point of a {@link SimulationTarget} (see {@link SimulationTarget.crashPoints}). */
export interface CrashPointSpec {
  /** Short name, as reported in the run's counters (`buggify:<name>`). */
  readonly name: string;
  /**
   * Where the crash falls in the step that passes the point: `"before-send"` — its records are
   * synced, its messages and outputs are lost (only the node's own disk knows); `"after-send"` — the
   * step is honoured whole (its messages are on the wire, its outputs delivered), then the node dies;
   * `"drop-sends"` — no crash: the step is honoured but its messages are lost (a burst the network
   * loses right where the target counts on its own re-sending to deliver what it sent once);
   * `"drop-sends-then-crash"` — the step is honoured (records synced, outputs delivered, the checks
   * see it) but its messages are lost, then the node dies: what it sent once is known only to its
   * own disk, which its next life must re-send from.
   */
  readonly crash: "before-send" | "after-send" | "drop-sends" | "drop-sends-then-crash";
}

/** What an invariant or liveness check sees of the cluster. Read-only by contract. */
export interface ClusterView<N, Op = unknown, Res = unknown> {
  /** Current virtual time in milliseconds. */
  readonly nowMs: number;
  /** The initial members, in order. */
  readonly members: readonly NodeId[];
  /** The live node object of each member; `undefined` while that node is crashed. */
  readonly nodes: ReadonlyMap<NodeId, N | undefined>;
  /** The client history so far. */
  readonly history: History<Op, Res>;
  /**
   * Members a Byzantine adversary has controlled at any time in this run (their sends were altered),
   * and members run as Twins (two copies sharing the id; `nodes` holds the first copy only).
   * Properties promised to correct nodes only leave them out. Absent: no node was Byzantine.
   */
  readonly faulty?: ReadonlySet<NodeId>;
}

/**
 * A violation reported under the name of the property it breaks, by an invariant that checks
 * several properties in one pass (see {@link Invariant.covers}).
 */
export interface NamedViolation {
  /** The property broken: one of the reporting invariant's `covers`. */
  readonly invariant: string;
  /** What happened. */
  readonly message: string;
}

/**
 * What an invariant hook returns: undefined when the property holds; otherwise a message, reported
 * under the invariant's `name`, or a {@link NamedViolation} naming which of the properties it
 * covers is broken.
 */
export type InvariantResult = string | NamedViolation | undefined;

/**
 * @returns what `invariant`'s hook reported, named: a message under the invariant's own name, a
 * {@link NamedViolation} under the covered property it names (one it does not cover is reported
 * under the invariant's name, saying so: a bug in the checker); undefined when the hook found nothing
 */
export function nameViolation(invariant: { readonly name: string; readonly covers?: readonly string[] }, result: InvariantResult): NamedViolation | undefined {
  if (result === undefined) return undefined;
  if (typeof result === "string") return { invariant: invariant.name, message: result };
  if (invariant.covers?.includes(result.invariant) === true) return result;
  return { invariant: invariant.name, message: `reported a violation of ${result.invariant}, a property it does not cover: ${result.message}` };
}

/**
 * A named safety property, checked after every event. Names match the TLA+ spec's invariants
 * (`ElectionSafety`, `StrongConvergence`…), so a violation reads the same in TLC and in the simulator.
 * Each hook returns undefined when the property holds and describes the violation otherwise.
 */
export interface Invariant<N, M, O, P, Op = unknown, Res = unknown> {
  readonly name: string;
  /**
   * When this invariant checks several properties at once (one pass over each event: the node and
   * the bookkeeping are read once instead of once per property), their names. Its hooks report a
   * violation as a {@link NamedViolation} naming one of them. Absent: the one property `name`.
   */
  readonly covers?: readonly string[];
  /**
   * After node `id` produced `step` (incremental checks: committed outputs, persisted records).
   * `node` is that node, `view.nodes.get(id)`, and `member` its position in `view.members`: the
   * simulator passes both so that a check need not look them up (a caller that omits them leaves
   * the check to look them up). `delivered` is the message whose delivery the step answers
   * (undefined for a tick or a client request, and from callers that do not say): a property about
   * why a node's state changed (a term adopted from a real message, not from a pre-vote) needs it.
   * `from` is its sender (undefined with `delivered`): a property about whom a node heard from (a
   * leader that must step down when no quorum answers it) needs that.
   */
  afterStep?(id: NodeId, step: Step<M, O, P>, view: ClusterView<N, Op, Res>, node?: N, member?: number, delivered?: M, from?: NodeId): InvariantResult;
  /**
   * Which steps `afterStep` must see: `"every-step"` (the default: every step that asks anything of
   * the driver) or `"persist-or-output"` (only steps that persist records or produce outputs — say
   * so when the hook reads nothing else, and the driver skips the steps that only send), or
   * `"every-delivery"` (every step that asks anything, and also a delivery the node answers with an
   * empty step — a property about what a node heard, not only about what it did, needs those).
   */
  readonly afterStepOn?: "every-step" | "persist-or-output" | "every-delivery";
  /**
   * After any event that changed node `changed` (undefined: the event changed no node). Keep it
   * cheap. `node` is `view.nodes.get(changed)` (undefined when that node is down) and `member` the
   * position of `changed` in `view.members`; the simulator passes both, other callers may omit them.
   */
  check?(view: ClusterView<N, Op, Res>, changed: NodeId | undefined, node?: N, member?: number): InvariantResult;
  /** Once at the end of a run, over the whole history (e.g. linearizability). */
  atEnd?(view: ClusterView<N, Op, Res>): InvariantResult;
}

/** A condition that must become true within `boundMs` after the last fault healed. */
export interface LivenessCheck<N, Op = unknown, Res = unknown> {
  /** Names the condition in reports, e.g. "a leader is elected and a command invoked after healing commits". */
  readonly description: string;
  /** Virtual milliseconds allowed after healing. */
  readonly boundMs: number;
  /** @returns true once progress has been made since `healedAtMs` */
  holds(view: ClusterView<N, Op, Res>, healedAtMs: number): boolean;
}

/** How simulated clients invoke operations and recognise their completions. */
export interface ClientModel<I, O, Op, Res> {
  /** The next operation a client invokes (drawn from the run's client generator). */
  nextOperation(rng: Rng, client: number): Op;
  /**
   * The request handed to the chosen node for invocation `id` of `client`. `members` is the
   * cluster's configuration as a client knows it (e.g. to authenticate a request to every replica).
   */
  toRequest(op: Op, invocation: { readonly id: number; readonly client: number; readonly members: readonly NodeId[] }): I;
  /**
   * Recognise a node's output as the completion of an invocation. The driver only accepts a
   * completion from the node the invocation was sent to, and only while it is pending.
   */
  completion(output: O): ClientCompletion<Res> | undefined;
  /**
   * Optional shortcut: the invocation id `completion(output)` would name, or undefined when the
   * output completes nothing — without building the completion. A driver that has it skips
   * `completion` for outputs that cannot complete a pending invocation at that node (in a
   * replicated service every replica outputs every applied command; only one completes it). It
   * must name the invocation `completion` names (the simulator rejects a model where they differ
   * with a `usage` error).
   */
  completionId?(output: O): number | undefined;
  /**
   * Clients find the leader through redirects (`ClientCompletion.redirect`). Then a driver may send
   * some operations, while two nodes believe they lead, to the one the client was not redirected to
   * (the simulator's `staleRouting`): clients with stale routing, writing at a new leader and
   * reading at a deposed one that does not know it yet. Absent: never.
   */
  readonly followsLeader?: boolean;
  /** Virtual milliseconds after which a pending invocation is recorded as `unknown`. */
  readonly timeoutMs: number;
}

/** The outcome of one invocation, as a node reports it. */
export type ClientCompletion<Res> =
  | { readonly id: number; readonly outcome: "ok"; readonly result: Res }
  /** Definitely not applied. `redirect` names a node more likely to serve it (e.g. the known leader). */
  | { readonly id: number; readonly outcome: "fail"; readonly reason: string; readonly redirect?: NodeId };
