import type { ClientModel, Envelope, NodeContext, NodeId, Rng, SimulationTarget, Step } from "@synod/core";
import type { CausalContextWire } from "./causal-context.js";
import { crdtClientModel, crdtSimulation, type CrdtResult } from "./crdt-simulation.js";
import type { DeltaGroup, DocumentOp } from "./replica-document.js";
import { CrdtReplicaNode, type CrdtMessage, type CrdtOutput, type CrdtRecord, type CrdtReplicaConfig, type CrdtRequest } from "./replica-node.js";

/**
 * Trace validation of simulated CRDT runs against specs/crdt/DeltaAntiEntropy.tla: the recorder,
 * its events, and the restricted workload a validated run uses.
 *
 * The refinement mapping (what each spec variable is in the implementation):
 * - `seen[i]`: the document's update context (`document.updates`), as a version vector plus cloud;
 * - `cnt[i][r]`: the PN-Counter's increments of r (`p`); validated runs increment by 1 only, so `n`
 *   stays empty (the spec's counter is a G-Counter of unit increments);
 * - `store[i]`, `ctx[i]`: the OR-Set's dot store and causal context, with every OR-Set dot renamed to
 *   the update dot of the add that issued it (the implementation numbers OR-Set adds apart from
 *   updates; the spec names an add by its update dot);
 * - `nops[i]`: the replica's last own update dot; `Len(buf[i])`: its next delta sequence number
 *   (`seq`; groups collected after every peer acknowledged them are still in the spec's buffer);
 *   `ack[i][j]`: the sequence number j acknowledged (0 when none).
 * - `sess[i]`: how many times i restarted: the implementation's session is a random number per
 *   incarnation, the recorder numbers them 0, 1, 2, … per replica (messages carry that number).
 * - `ro[i]`: `readOnly`; `needsFull[i]`, `fullReq[i]`: the peers in `needsFullFrom` and
 *   `fullStateRequested`; `alarm[i]`: every peer while the alarm is pending (its tick nacks them all at
 *   once), else none.
 * - `log[i]`, `bad[i]`, `mark[i]` (the durable records) are not read from the implementation: they
 *   follow from the steps. A restart says whether it found corrupted records (`corrupted`); TLC picks
 *   the readable prefix (`RestartCorrupted(i, k)`) whose join is the state the replica recovered. The
 *   implementation compacts every `checkpointEveryRecords` records; the spec's `Compact` only while
 *   corrupted records are kept (`bad[i]`): a compaction of a clean log is a step that changes no spec
 *   variable (the spec's log keeps the records the checkpoint replaced, whose prefixes recover the same
 *   states as the checkpoint and the records after it).
 * - `msgs`: a delta message is [type "delta", from, to, sess, seq, full, group]; an ack [type "ack",
 *   from, to, sess, seq]; a nack [type "nack", from, to] (the ack's `seen` vector is not a spec field;
 *   the ReceiveAckCovering line carries it).
 */

/** A causal context as the trace carries it (the implementation's wire form). */
export type SpecContext = CausalContextWire;

/** A delta group in the spec's terms (Group(dots, cnt, store, ctx) of DeltaAntiEntropy.tla). */
export interface SpecGroup {
  readonly dots: SpecContext;
  /** cnt[r] for every replica r (0 included). */
  readonly cnt: Readonly<Record<string, number>>;
  /** The OR-Set's <<element, dot>> pairs (dots renamed to update dots), sorted. */
  readonly store: readonly (readonly [string, readonly [string, number]])[];
  /** The OR-Set's causal context as update dots, sorted. */
  readonly ctx: readonly (readonly [string, number])[];
}

/** A replica's state in the spec's terms after a step. */
export interface SpecReplicaState {
  readonly seen: SpecContext;
  readonly cnt: Readonly<Record<string, number>>;
  readonly store: SpecGroup["store"];
  readonly ctx: SpecGroup["ctx"];
  readonly nops: number;
  /** Len(buf[i]). */
  readonly buf: number;
  /** ack[i][j] for every peer j. */
  readonly ack: Readonly<Record<string, number>>;
  /** sess[i]: the incarnation (restarts so far). */
  readonly sess: number;
  /** ro[i]: local updates refused (corrupted records or a checkpoint's read-only mark). */
  readonly ro: boolean;
  /** needsFull[i], sorted. */
  readonly needsFull: readonly string[];
  /** fullReq[i], sorted. */
  readonly fullReq: readonly string[];
  /** alarm[i] is every peer (true) or none. */
  readonly alarm: boolean;
}

/**
 * The event names: each is one action of DeltaAntiEntropy.tla, except `Noop`, a step that must
 * change no spec variable.
 * - `Increment`, `Add`, `Remove`: a local update (`Increment(i)`, `Add(i, e)`, `Remove(i, e)`);
 * - `SendDelta`, `SendFull`: a delta-interval or the full state sent to j;
 * - `ReceiveDelta`: a delta group from j merged (and acknowledged: the spec's ack is compared);
 * - `ReceiveAck`: an acknowledgement from j;
 * - `ReceiveAckCovering`: an ack whose version vector covers every update of the receiver
 *   moves j's acknowledged point to the receiver's whole buffer (`onSeen`), past the ack's `seq`;
 * - `ReceiveDeltaRefused`: an interval from j, whose full state i waits for, dropped and nacked;
 * - `SendNack`: a nack to j (the alarm of a read-only recovery, or the wait's resend each round);
 * - `ReceiveNack`: a nack from j (its acknowledged point forgotten, the full state next);
 * - `Restart`: i recovered from its records (`corrupted`: some were unreadable) in a new incarnation:
 *   `Restart(i)` or `RestartCorrupted(i, k)`;
 * - `Compact`: i's records replaced by one checkpoint (`Compact(i)`, or nothing while no record is corrupted).
 */
export type CrdtSpecEventName =
  | "Increment"
  | "Add"
  | "Remove"
  | "SendDelta"
  | "SendFull"
  | "ReceiveDelta"
  | "ReceiveAck"
  | "ReceiveAckCovering"
  | "ReceiveDeltaRefused"
  | "SendNack"
  | "ReceiveNack"
  | "Restart"
  | "Compact"
  | "Noop";

/**
 * One line of the trace. `i` takes the step; `j` is the peer (destination of a send, sender of what
 * is received); `m` the delta message's incarnation, seq, full flag and group (an ack: its
 * incarnation and seq; a nack: nothing); `corrupted` whether a restart found corrupted records; `keep` whether the
 * delivered message stays in the spec's network (another copy of it is delivered later);
 * `seen` the version vector an ack carried (ReceiveAckCovering); `post` i's state after the step (on
 * the last event of each implementation step); `at` the simulator event index.
 */
export interface CrdtSpecTraceEvent {
  readonly e: CrdtSpecEventName;
  readonly i: string;
  readonly j?: string;
  readonly elem?: string;
  readonly m?: { readonly sess: number; readonly seq: number; readonly full?: boolean; readonly group?: SpecGroup };
  readonly corrupted?: boolean;
  keep?: boolean;
  readonly seen?: SpecContext;
  post?: SpecReplicaState;
  readonly at: number;
}

/** The first line of a CRDT spec trace: the run and the constants the spec needs. */
export interface CrdtSpecTraceHeader {
  readonly specTrace: "crdt";
  readonly version: 1;
  readonly seed: number;
  readonly nodes: readonly string[];
  readonly durationMs: number;
  readonly faults: string;
  /** The spec's Elem: the elements the workload adds and removes. */
  readonly elements: readonly string[];
  /** The spec's MaxOps: the most local updates one replica issued in the trace (at least 1). */
  readonly maxOps: number;
}

/** Thrown when the run does something trace validation cannot map (a decrement, a merge that fails, …). */
export class CrdtSpecTraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CrdtSpecTraceError";
  }
}

/** The elements of a validated run's OR-Set (two keep TLC's add-wins check cheap). */
export const CRDT_SPEC_TRACE_ELEMENTS: readonly string[] = Object.freeze(["a", "b"]);

/**
 * The faults a validated run may inject: the spec's network loses, duplicates and reorders; replicas
 * crash (a step lost before its sync never happened; after it, its sends are lost) and restart
 * (`Restart`), after a torn write (the torn record was the lost step's) or with corrupted records
 * (`RestartCorrupted`, then nacks and the wait for full states).
 */
export const CRDT_SPEC_TRACE_FAULTS: readonly string[] = Object.freeze([
  ...["loss", "duplicate", "reorder", "delay", "partition", "slow", "skew"],
  ...["crash", "torn", "corrupt"],
]);

/** Faults a validated run refuses, and why. */
export const CRDT_SPEC_TRACE_EXCLUDED_FAULTS: Readonly<Record<string, string>> = Object.freeze({
  "leader-crash": "the CRDT has no leader (plain crashes are validated: see crash)",
  buggify: "it arms the target's crash points, which the CRDT target has not; plain crashes are validated (see crash)",
  pause: "a resumed replica handles the events it held in one simulator event",
  "leader-stall": "it pauses a node (see pause)",
  byzantine: "Byzantine replicas are outside the spec's fault model",
});

/**
 * The client workload of a validated run: the spec's operations only — increments by one, adds and
 * removes of {@link CRDT_SPEC_TRACE_ELEMENTS} (no decrement, register write or text edit: the spec
 * has a G-Counter and an OR-Set).
 */
export const crdtSpecTraceClientModel: ClientModel<CrdtRequest, CrdtOutput, DocumentOp, CrdtResult> = {
  ...crdtClientModel,
  nextOperation(rng: Rng): DocumentOp {
    switch (rng.int(0, 3)) {
      case 0:
        return { type: "increment", amount: 1 };
      case 1:
        return { type: "add", element: rng.pick(CRDT_SPEC_TRACE_ELEMENTS) };
      default:
        return { type: "remove", element: rng.pick(CRDT_SPEC_TRACE_ELEMENTS) };
    }
  },
};

type CrdtTarget = SimulationTarget<CrdtReplicaNode, CrdtMessage, CrdtRequest, CrdtOutput, CrdtRecord, DocumentOp, CrdtResult>;
type CrdtStep = Step<CrdtMessage, CrdtOutput, CrdtRecord>;

/**
 * The replica configuration of a validated run: the default one with short delta-intervals and a
 * small buffer, so that the full-state fallback (the spec's SendFull) happens in short runs too — a
 * peer more than 4 groups behind (a lost ack, a partition) gets the full state. The spec allows
 * either message at any time; the implementation's choice between them is what is exercised.
 */
export const CRDT_SPEC_TRACE_CONFIG: Partial<CrdtReplicaConfig> = Object.freeze({ maxIntervalDeltas: 4, maxBufferedDeltas: 16, checkpointEveryRecords: 8 });

/** @returns the CRDT simulation target of a validated run (the spec's workload, {@link CRDT_SPEC_TRACE_CONFIG}; everything else as `pnpm sim crdt`) */
export function crdtSpecTraceTarget(): CrdtTarget {
  return { ...crdtSimulation, createNode: (ctx) => new CrdtReplicaNode(ctx, CRDT_SPEC_TRACE_CONFIG), client: crdtSpecTraceClientModel };
}

type StepInput =
  | { readonly kind: "tick" }
  | { readonly kind: "receive"; readonly from: string; readonly message: CrdtMessage }
  | { readonly kind: "request"; readonly input: CrdtRequest };

/** The spec event of a local update, and the OR-Set dot it issued (an add's). */
type LocalUpdateEvent = { readonly event: CrdtSpecTraceEvent; readonly orSetKey?: string };

/** A step's lines, written when the simulator's line of its event says the step was honoured. */
interface PendingStep {
  readonly id: string;
  /** Records the step persisted (a crash before the sync honours fewer: the step never happened). */
  readonly persisted: number;
  readonly events: CrdtSpecTraceEvent[];
  /** The delivered spec message's key (the first event is its delivery). */
  readonly deliveryKey: string | undefined;
  /** Keys of the spec messages the step sent. */
  readonly sent: readonly string[];
  /** The OR-Set dot an add issued (forgotten if the step is lost). */
  readonly orSetKey: string | undefined;
  readonly postJson: string;
}

const byDot = (a: readonly [string, number], b: readonly [string, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);

/** @returns the dots of a causal context's wire form, sorted */
function dotsOf(ctx: CausalContextWire): [string, number][] {
  const dots: [string, number][] = [];
  for (const [r, n] of ctx.vv) for (let k = 1; k <= n; k++) dots.push([r, k]);
  for (const [r, n] of ctx.cloud) dots.push([r, n]);
  return dots.sort(byDot);
}

/**
 * Records a simulated CRDT run as a trace of DeltaAntiEntropy.tla's actions (see
 * {@link CrdtSpecTraceEvent}). It wraps `tick`, `receive` and `request` of the nodes the target
 * creates (a node created again for the same id is a restart) and reads the simulator's trace lines
 * (a crash before a step's sync undoes the step); it draws no random number and changes nothing the
 * nodes do.
 *
 * Use: `const rec = new CrdtSpecTraceRecorder(nodes); runSimulation(rec.wrap(target), { trace: (l) => rec.onSimulatorLine(l), … }); rec.events`.
 */
export class CrdtSpecTraceRecorder {
  private readonly list: CrdtSpecTraceEvent[] = [];
  /** For each delivery event (by position), the spec message's key (to decide `keep`). */
  private readonly deliveries = new Map<number, string>();
  /** The spec state of each replica after its last step (as JSON, to notice a change). */
  private readonly states = new Map<string, string>();
  /** Copies of each spec message sent (by key), to check that deliveries were sent. */
  private readonly sent = new Map<string, number>();
  /** OR-Set dot `r:k` → the update dot of the add that issued it. */
  private readonly orSetDots = new Map<string, readonly [string, number]>();
  /** Each replica's session id of every incarnation, in order (the spec's `sess` is the index). */
  private readonly sessions = new Map<string, number[]>();
  /** Steps lost in a crash before their sync (not in the trace). */
  private lost = 0;
  private pending: PendingStep | undefined;
  private eventIndex = 0;
  private firstFailure: CrdtSpecTraceError | undefined;

  /** @param nodes - every replica id of the run (the spec's Replica) */
  constructor(private readonly nodes: readonly string[]) {}

  /** @returns the same target whose nodes report their steps to this recorder */
  wrap(target: CrdtTarget): CrdtTarget {
    return {
      ...target,
      createNode: (ctx: NodeContext<CrdtRecord>) => {
        const node = target.createNode(ctx);
        this.observe(node, ctx.recovered.corrupted > 0);
        return node;
      },
    };
  }

  /**
   * The first step the recorder could not map to the spec, if any. It is thrown inside the node's
   * method, which the simulator reports as a `NodeThrew` violation and stops; the caller must check
   * this (a truncated trace would otherwise validate).
   */
  get failure(): CrdtSpecTraceError | undefined {
    return this.firstFailure;
  }

  /** Steps lost in a crash before their records were synced: they never happened, and are not in the trace. */
  get lostSteps(): number {
    return this.lost;
  }

  /** The simulator's trace line of the event that just ran: settles the step it caused. */
  onSimulatorLine(line: string): void {
    const event = JSON.parse(line) as { i?: number; changed?: string; persist?: number };
    if (event.i === undefined) return;
    this.flush(event);
    this.eventIndex = event.i + 1;
  }

  /** The trace: every spec event in order, `keep` set on each delivery (true when the same spec message is delivered again later). */
  get events(): CrdtSpecTraceEvent[] {
    this.flush(undefined);
    const later = new Set<string>();
    const out = this.list.map((e) => ({ ...e }));
    for (let k = out.length - 1; k >= 0; k--) {
      const key = this.deliveries.get(k);
      if (key === undefined) continue;
      (out[k] as CrdtSpecTraceEvent).keep = later.has(key);
      later.add(key);
    }
    return out;
  }

  /** @returns how many events of each name the trace holds */
  static counts(events: readonly CrdtSpecTraceEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of events) {
      counts[e.e] = (counts[e.e] ?? 0) + 1;
    }
    return counts;
  }

  /** @returns the spec's MaxOps for a trace: the most local updates one replica issued (at least 1) */
  static maxOps(events: readonly CrdtSpecTraceEvent[]): number {
    return events.reduce((max, e) => Math.max(max, e.post?.nops ?? 0), 1);
  }

  private fail(message: string): CrdtSpecTraceError {
    const error = new CrdtSpecTraceError(message);
    this.firstFailure ??= error;
    return error;
  }

  private observe(node: CrdtReplicaNode, corrupted: boolean): void {
    const id = node.id;
    this.flush(undefined);
    const session = node.antiEntropyState().session;
    const sessions = this.sessions.get(id);
    if (sessions === undefined) this.sessions.set(id, [session]);
    else {
      if (sessions.includes(session)) throw this.fail(`${id} restarted with the session id of an earlier incarnation (${session}) at event ${this.eventIndex}`);
      sessions.push(session);
    }
    const post = this.stateOf(node);
    // A node created again for the same id recovered from its records: the spec's Restart (or RestartCorrupted).
    if (sessions !== undefined) this.list.push({ e: "Restart", i: id, corrupted, post, at: this.eventIndex });
    this.states.set(id, JSON.stringify(post));
    const tick = node.tick.bind(node);
    const receive = node.receive.bind(node);
    const request = node.request.bind(node);
    node.tick = () => this.settled(node, { kind: "tick" }, tick());
    node.receive = (from, message) => this.settled(node, { kind: "receive", from, message }, receive(from, message));
    node.request = (input) => this.settled(node, { kind: "request", input }, request(input));
  }

  /** {@link settle}, remembering the first failure. @returns the step, unchanged */
  private settled(node: CrdtReplicaNode, input: StepInput, step: CrdtStep): CrdtStep {
    try {
      this.flush(undefined);
      this.pending = this.settle(node, input, step);
      return step;
    } catch (error) {
      if (error instanceof CrdtSpecTraceError) this.firstFailure ??= error;
      throw error;
    }
  }

  /** Write the pending step, unless the simulator line of its event says its records were lost. */
  private flush(event: { readonly changed?: string; readonly persist?: number } | undefined): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    // A crash before the sync lost the step's records (and its sends): as far as anyone can tell, it never happened.
    if (event?.changed === p.id && (event.persist ?? 0) < p.persisted) {
      if (p.orSetKey !== undefined) this.orSetDots.delete(p.orSetKey);
      this.lost++;
      return;
    }
    for (const key of p.sent) this.sent.set(key, (this.sent.get(key) ?? 0) + 1);
    p.events.forEach((e, k) => {
      if (k === 0 && p.deliveryKey !== undefined) this.deliveries.set(this.list.length, p.deliveryKey);
      this.list.push(e);
    });
    this.states.set(p.id, p.postJson);
  }

  /** @returns the spec's incarnation number of `id`'s session `session` */
  private incarnationOf(id: string, session: number): number {
    const k = this.sessions.get(id)?.indexOf(session) ?? -1;
    if (k < 0) throw this.fail(`a message names session ${session} of ${id}, which no incarnation of ${id} had`);
    return k;
  }

  /** @returns a dot of the OR-Set renamed to the update dot of its add */
  private updateDotOf(r: string, k: number): readonly [string, number] {
    const dot = this.orSetDots.get(`${r}:${k}`);
    if (dot === undefined) throw new CrdtSpecTraceError(`OR-Set dot (${r}, ${k}) was issued by no recorded add`);
    return dot;
  }

  /** @returns a delta group (or a whole document) in the spec's terms */
  private specGroup(group: DeltaGroup, what: string): SpecGroup {
    const cnt: Record<string, number> = {};
    for (const r of this.nodes) cnt[r] = 0;
    if (group.counter !== undefined) {
      if (group.counter.n.length > 0) throw new CrdtSpecTraceError(`${what} holds a decrement: the spec's counter is a G-Counter of unit increments`);
      for (const [r, n] of group.counter.p) cnt[r] = n;
    }
    const store: [string, [string, number]][] = [];
    const ctx: [string, number][] = [];
    if (group.set !== undefined) {
      for (const [element, dots] of group.set.store) for (const [r, k] of dots) store.push([element, [...this.updateDotOf(r, k)]]);
      for (const [r, k] of dotsOf(group.set.ctx)) ctx.push([...this.updateDotOf(r, k)]);
    }
    store.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : byDot(a[1], b[1])));
    return { dots: group.dots, cnt, store, ctx: ctx.sort(byDot) };
  }

  private stateOf(node: CrdtReplicaNode): SpecReplicaState {
    const { cnt, store, ctx, dots } = this.specGroup(node.document.toGroup(), `${node.id}'s document`);
    const state = node.antiEntropyState();
    const ack: Record<string, number> = {};
    for (const peer of this.nodes) if (peer !== node.id) ack[peer] = state.acks.get(peer) ?? 0;
    return {
      seen: dots,
      cnt,
      store,
      ctx,
      nops: (node.document.updates.nextDot(node.id)[1] ?? 1) - 1,
      buf: state.seq,
      ack,
      sess: this.incarnationOf(node.id, state.session),
      ro: node.readOnly,
      needsFull: [...state.needsFullFrom].sort(),
      fullReq: [...state.fullStateRequested].sort(),
      alarm: state.alarmPending,
    };
  }

  /** Turn one step of a replica into spec events (written once the simulator honoured the step). */
  private settle(node: CrdtReplicaNode, input: StepInput, step: CrdtStep): PendingStep {
    const id = node.id;
    const at = this.eventIndex;
    const events: CrdtSpecTraceEvent[] = [];
    const sent: string[] = [];
    let orSetKey: string | undefined;
    let delivery: { readonly key: string; readonly reply: Envelope<CrdtMessage> | undefined } | undefined;
    if (input.kind === "request") {
      const update = this.localUpdate(node, step, at);
      if (update !== undefined) events.push(update.event);
      orSetKey = update?.orSetKey;
    } else if (input.kind === "receive") {
      delivery = this.delivery(node, input.from, input.message, step, at, events, sent);
    }
    // The checkpoint follows the step's record (maybeCheckpoint), before its sends.
    if (step.compact === true) events.push({ e: "Compact", i: id, at });
    for (const envelope of step.send) {
      if (envelope === delivery?.reply) continue;
      const message = envelope.message;
      if (message.kind === "nack" && input.kind === "tick") {
        sent.push(JSON.stringify(["nack", id, envelope.to]));
        events.push({ e: "SendNack", i: id, j: envelope.to, at });
        continue;
      }
      if (message.kind !== "delta") {
        throw new CrdtSpecTraceError(`${id} sent a ${message.kind} to ${envelope.to} at event ${at}: not a message of DeltaAntiEntropy.tla here`);
      }
      const group = this.specGroup(message.group, `the delta ${id} sent ${envelope.to}`);
      const m = { sess: this.incarnationOf(id, message.session), seq: message.seq, full: message.full, group };
      sent.push(JSON.stringify(["delta", id, envelope.to, m]));
      events.push({ e: message.full ? "SendFull" : "SendDelta", i: id, j: envelope.to, m, at });
    }
    const post = this.stateOf(node);
    const postJson = JSON.stringify(post);
    if (events.length === 0 && postJson !== this.states.get(id)) events.push({ e: "Noop", i: id, at });
    const last = events[events.length - 1];
    if (last !== undefined) last.post = post;
    return { id, persisted: step.persist.length, events, deliveryKey: delivery?.key, sent, orSetKey, postJson };
  }

  /** @returns the spec event of a local update and the OR-Set dot it issued (undefined: a no-op or a rejected request) */
  private localUpdate(node: CrdtReplicaNode, step: CrdtStep, at: number): LocalUpdateEvent | undefined {
    const id = node.id;
    const applied = step.output.find((o) => o.type === "applied");
    if (applied?.type !== "applied" || applied.dot === null) return undefined;
    const op = applied.op;
    switch (op.type) {
      case "increment":
        if (op.amount !== 1) throw new CrdtSpecTraceError(`${id} incremented by ${op.amount} at event ${at}: the spec's Increment adds one`);
        return { event: { e: "Increment", i: id, at } };
      case "add": {
        // The add's OR-Set dot is the element's only dot now (the add supersedes the others).
        const dots = node.document.set.toWire().store.find(([element]) => element === op.element)?.[1] ?? [];
        const [setDot] = dots;
        if (dots.length !== 1 || setDot === undefined) {
          throw new CrdtSpecTraceError(`${id}'s add of ${op.element} at event ${at} left ${dots.length} dots for it (one expected)`);
        }
        const key = `${setDot[0]}:${setDot[1]}`;
        if (this.orSetDots.has(key)) throw new CrdtSpecTraceError(`${id} issued OR-Set dot (${setDot[0]}, ${setDot[1]}) twice (event ${at})`);
        this.orSetDots.set(key, [applied.dot[0], applied.dot[1]]);
        return { event: { e: "Add", i: id, elem: op.element, at }, orSetKey: key };
      }
      case "remove":
        return { event: { e: "Remove", i: id, elem: op.element, at } };
      default: {
        const why = "not an operation of DeltaAntiEntropy.tla (validated runs issue increments, adds and removes)";
        throw new CrdtSpecTraceError(`${id} applied a ${op.type} at event ${at}: ${why}`);
      }
    }
  }

  /**
   * Push the spec event of a delivery (ReceiveDelta, ReceiveDeltaRefused, ReceiveAck,
   * ReceiveAckCovering or ReceiveNack) to `events`, and the keys of what it answered with to `sent`.
   * @returns the spec message's key and the implementation's answer to it (a delta's ack or nack)
   */
  private delivery(
    node: CrdtReplicaNode,
    from: string,
    message: CrdtMessage,
    step: CrdtStep,
    at: number,
    events: CrdtSpecTraceEvent[],
    sent: string[],
  ): { readonly key: string; readonly reply: Envelope<CrdtMessage> | undefined } {
    const id = node.id;
    const before = JSON.parse(this.states.get(id) as string) as SpecReplicaState;
    if (message.kind === "nack") {
      const key = JSON.stringify(["nack", from, id]);
      if (!this.sent.has(key)) throw new CrdtSpecTraceError(`${id} received a nack from ${from} at event ${at} that no recorded step sent`);
      events.push({ e: "ReceiveNack", i: id, j: from, at });
      return { key, reply: undefined };
    }
    if (message.kind === "delta") {
      const group = this.specGroup(message.group, `the delta ${from} sent ${id}`);
      const m = { sess: this.incarnationOf(from, message.session), seq: message.seq, full: message.full, group };
      const key = JSON.stringify(["delta", from, id, m]);
      if (!this.sent.has(key)) throw new CrdtSpecTraceError(`${id} received a delta from ${from} at event ${at} that no recorded step sent`);
      const nack = step.send.find((s) => s.to === from && s.message.kind === "nack");
      if (nack !== undefined) {
        if (message.full || !before.needsFull.includes(from)) {
          const why = "DeltaAntiEntropy.tla refuses only an interval from a peer whose full state the receiver waits for";
          throw new CrdtSpecTraceError(`${id} nacked the ${message.full ? "full state" : "delta"} ${from} sent (seq ${message.seq}) at event ${at}: ${why}`);
        }
        sent.push(JSON.stringify(["nack", id, from]));
        events.push({ e: "ReceiveDeltaRefused", i: id, j: from, m, at });
        return { key, reply: nack };
      }
      const reply = step.send.find((s) => s.to === from && s.message.kind === "ack");
      if (reply === undefined || reply.message.kind !== "ack" || reply.message.seq !== message.seq || reply.message.session !== message.session) {
        const why = "DeltaAntiEntropy.tla's ReceiveDelta always does, with the delta's session and seq";
        throw new CrdtSpecTraceError(`${id} did not acknowledge the delta ${from} sent (seq ${message.seq}) at event ${at}: ${why}`);
      }
      sent.push(JSON.stringify(["ack", id, from, { sess: m.sess, seq: message.seq }]));
      events.push({ e: "ReceiveDelta", i: id, j: from, m, at });
      return { key, reply };
    }
    const m = { sess: this.incarnationOf(id, message.session), seq: message.seq };
    const key = JSON.stringify(["ack", from, id, m]);
    if (!this.sent.has(key)) throw new CrdtSpecTraceError(`${id} received an ack from ${from} at event ${at} that no recorded step sent`);
    const was = before.ack[from] ?? 0;
    const after = node.antiEntropyState().acks.get(from) ?? 0;
    // The spec's ReceiveAck moves the acknowledged point to the ack's seq (an ack of an earlier
    // incarnation: nowhere); anything further is onSeen's shortcut.
    const plain = m.sess === before.sess ? Math.max(was, message.seq) : was;
    if (after === plain) events.push({ e: "ReceiveAck", i: id, j: from, m, at });
    else events.push({ e: "ReceiveAckCovering", i: id, j: from, m, seen: { vv: message.seen ?? [], cloud: [] }, at });
    return { key, reply: undefined };
  }
}
