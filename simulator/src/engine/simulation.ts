import { createRng, emptyStep, nameViolation, nodeIds, SynodError, type Envelope, type Invariant, type InvariantResult, type NamedViolation, type NodeId, type ProtocolNode, type Rng, type SimulationTarget, type Step } from "@synod/core";
import type { Adversary, AdversaryContext } from "../byzantine/adversary.js";
import type { FaultKind } from "../faults/fault-kinds.js";
import type { FaultSchedule } from "../faults/schedule.js";
import { traceJson } from "../trace/trace-json.js";
import { traceEventLine } from "../trace/trace-event-line.js";
import type { TraceHeader } from "../trace/trace-header.js";
import { SimulatedClusterView } from "./cluster-view.js";
import { SimulatedDisk } from "./disk.js";
import { encodeForWire } from "./encode-for-wire.js";
import { EventKind } from "./event-kind.js";
import { DEFAULT_MAX_QUEUED_EVENTS, EventQueue } from "./event-queue.js";
import { QueueChannels } from "./queue-channels.js";
import { NetworkModel } from "./network.js";
import { DEFAULT_NETWORK, DEFAULT_WORKLOAD, type SimulationOptions } from "./options.js";
import { resolveRunConfig, validateNetworkOptions, validateWorkloadOptions } from "./run-config.js";
import type { SimulationResult, Violation } from "./result.js";
import { TraceHash } from "./trace-hash.js";
import { Workload } from "./workload.js";
import { SimulationCounters } from "./counters.js";
import { EventTail } from "./event-tail.js";
import { FaultInjector } from "./fault-injector.js";

// Module-local copies of imported constants: the hot loop reads plain consts, not module bindings
// (which a CommonJS transpilation, as under tsx, turns into property getters).
const { Deliver: DELIVER, Tick: TICK, Request: REQUEST, Client: CLIENT, Timeout: TIMEOUT, FaultStart: FAULT_START, FaultEnd: FAULT_END, Restart: RESTART, Heal: HEAL, Liveness: LIVENESS, End: END } = EventKind;
const EMPTY_STEP: Step<unknown, unknown, unknown> = emptyStep();

const ARMED_NONE = 0;
const ARMED_AFTER_PERSIST = 1;
const ARMED_BEFORE_SYNC = 2;

/** Most messages buffered for a paused node; beyond it they are dropped (counted). */
export const MAX_PAUSE_BUFFER = 100_000;


/**
 * One simulated run of a {@link SimulationTarget}: the discrete-event loop, the network, the nodes'
 * disks, faults, clients, invariants, liveness and the trace. Use {@link runSimulation}.
 */
export class Simulation<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res> {
  private readonly target: SimulationTarget<N, M, I, O, P, Op, Res>;
  private readonly root: Rng;
  private readonly netRng: Rng;
  private readonly faultRng: Rng;
  private readonly n: number;
  private readonly ids: readonly NodeId[];
  private readonly indexOf = new Map<NodeId, number>();
  private readonly queue: EventQueue;
  private readonly channels: QueueChannels;
  private readonly network: NetworkModel;
  private readonly view: SimulatedClusterView<N, Op, Res>;
  private readonly nodes: (N | undefined)[];
  private readonly incarnation: Int32Array;
  private readonly paused: Int32Array;
  private readonly pauseBuffer: Array<Array<{ kind: number; a: number; b: number; ref: unknown }>>;
  private readonly skewRate: Float64Array;
  private readonly armed: Uint8Array;
  private readonly armedTorn: Uint8Array;
  private readonly armedDownMs: Float64Array;
  private readonly disks: SimulatedDisk[];
  private readonly adversaries: (Adversary<M> | undefined)[];
  private readonly workload: Workload<I, O, Op, Res> | undefined;
  // The per-event hooks, taken out of their invariants once (a call through an array of functions,
  // not a property load on objects of many shapes), with the invariant each belongs to.
  private readonly afterStepInvariants: Invariant<N, M, O, P, Op, Res>[] = [];
  private readonly afterStepHooks: NonNullable<Invariant<N, M, O, P, Op, Res>["afterStep"]>[] = [];
  private readonly checkInvariants: Invariant<N, M, O, P, Op, Res>[] = [];
  private readonly checkHooks: NonNullable<Invariant<N, M, O, P, Op, Res>["check"]>[] = [];
  /** Whether each afterStep hook skips steps that only send; how many do not. */
  private readonly afterStepSkipsSendOnly: boolean[] = [];
  private everyStepHooks = 0;
  private readonly atEndInvariants: Invariant<N, M, O, P, Op, Res>[] = [];
  private readonly invariantNames: string[] = [];
  private readonly schedule: FaultSchedule;
  private readonly enabledFaults: readonly FaultKind[];
  private readonly faultRates: Readonly<Record<string, number>>;
  private readonly faults: FaultInjector<M>;
  private readonly durationMs: number;
  private readonly healAtMs: number;
  private readonly maxEvents: number;
  private readonly hash = new TraceHash();
  private readonly tail: EventTail;
  private readonly traceSink: ((line: string) => void) | undefined;
  private readonly traceLines: string[] | undefined;
  private readonly codecRoundTrip: boolean;
  private readonly checkLiveness: boolean;
  private readonly counters = new SimulationCounters();
  private readonly advContext: AdversaryContext<M> & { nowMs: number; from: number };
  private readonly forge: ((message: M) => M) | undefined;
  private readonly header: TraceHeader;

  private now = 0;
  private eventIndex = -1;
  private stopped = false;
  private endReached = false;
  private livenessPending = false;
  private violation: Violation | undefined;
  /** Node changed by the current event (−1: none). */
  private changed = -1;
  /** Per-event step summary, for the trace hash and trace. */
  private stepPersist = 0;
  private stepSend = 0;
  private stepOut = 0;
  private stepOutputs: O[] | undefined;

  constructor(target: SimulationTarget<N, M, I, O, P, Op, Res>, options: SimulationOptions) {
    this.target = target;
    this.root = createRng(options.seed);
    this.netRng = this.root.fork("network");
    this.faultRng = this.root.fork("faults");
    const config = resolveRunConfig(target, options, this.root);
    this.n = config.nodes;
    this.durationMs = config.durationMs;
    this.healAtMs = config.healAtMs;
    this.maxEvents = config.maxEvents;
    this.schedule = config.schedule;
    this.enabledFaults = config.enabledFaults;
    this.faultRates = config.faultRates;
    this.ids = nodeIds(this.n);
    this.ids.forEach((id, i) => this.indexOf.set(id, i));
    this.channels = new QueueChannels(this.n);
    this.queue = new EventQueue(DEFAULT_MAX_QUEUED_EVENTS, 1024, this.channels.count);
    this.network = new NetworkModel(this.n, validateNetworkOptions({ ...DEFAULT_NETWORK, ...options.network }), this.netRng);
    this.view = new SimulatedClusterView<N, Op, Res>(this.ids);
    this.nodes = new Array<N | undefined>(this.n).fill(undefined);
    this.incarnation = new Int32Array(this.n);
    this.paused = new Int32Array(this.n);
    this.pauseBuffer = Array.from({ length: this.n }, () => []);
    this.skewRate = new Float64Array(this.n).fill(1);
    this.armed = new Uint8Array(this.n);
    this.armedTorn = new Uint8Array(this.n);
    this.armedDownMs = new Float64Array(this.n);
    this.disks = Array.from({ length: this.n }, () => new SimulatedDisk());
    this.adversaries = new Array<Adversary<M> | undefined>(this.n).fill(undefined);
    for (const [id, adversary] of Object.entries(options.byzantine ?? {})) {
      const i = this.indexOf.get(id);
      if (i === undefined) throw new SynodError("usage", `byzantine node ${id} is not a member (${this.ids.join(", ")})`);
      this.adversaries[i] = adversary as Adversary<M>;
    }
    this.faults = new FaultInjector<M>(this.schedule, {
      nodeCount: this.n,
      network: this.network,
      counters: this.counters,
      faultRng: this.faultRng,
      isUp: (i) => this.nodes[i] !== undefined,
      crash: (i, downMs) => this.crashNode(i, downMs),
      armCrash: (i, mode, torn, downMs) => {
        this.armed[i] = mode === "after-persist" ? ARMED_AFTER_PERSIST : ARMED_BEFORE_SYNC;
        this.armedTorn[i] = torn ? 1 : 0;
        this.armedDownMs[i] = downMs;
      },
      corruptDisk: (i) => (this.disks[i] as SimulatedDisk).corruptRandomByte(this.faultRng),
      pause: (i) => {
        this.paused[i]!++;
      },
      resume: (i) => {
        if (--this.paused[i]! === 0) this.flushPauseBuffer(i);
      },
      setClockRate: (i, rate) => {
        this.skewRate[i] = rate;
      },
      setAdversary: (i, adversary) => {
        this.adversaries[i] = adversary;
      },
    });
    this.tail = new EventTail(options.tailEvents ?? 20);
    this.codecRoundTrip = options.codecRoundTrip ?? false;
    this.checkLiveness = (options.checkLiveness ?? true) && target.liveness !== undefined;
    if (options.trace === true) {
      const lines: string[] = [];
      this.traceLines = lines;
      this.traceSink = (line) => lines.push(line);
    } else if (typeof options.trace === "function") {
      this.traceSink = options.trace;
    }
    if (options.checkInvariants ?? true) {
      for (const invariant of target.createInvariants()) {
        for (const name of invariant.covers ?? [invariant.name]) if (!this.invariantNames.includes(name)) this.invariantNames.push(name);
        if (invariant.afterStep) {
          this.afterStepInvariants.push(invariant);
          this.afterStepHooks.push(invariant.afterStep);
          const skips = invariant.afterStepOn === "persist-or-output";
          this.afterStepSkipsSendOnly.push(skips);
          if (!skips) this.everyStepHooks++;
        }
        if (invariant.check) {
          this.checkInvariants.push(invariant);
          this.checkHooks.push(invariant.check);
        }
        if (invariant.atEnd) this.atEndInvariants.push(invariant);
      }
    }
    const workloadOptions = validateWorkloadOptions({ ...DEFAULT_WORKLOAD, ...options.workload });
    const networkOptions = validateNetworkOptions({ ...DEFAULT_NETWORK, ...options.network });
    this.header = {
      trace: "synod-simulator",
      version: 1,
      protocol: target.name,
      seed: options.seed,
      nodes: this.n,
      durationMs: this.durationMs,
      healAtMs: this.healAtMs,
      faults: this.enabledFaults,
      faultRates: this.faultRates,
      schedule: this.schedule,
      network: networkOptions,
      workload: workloadOptions,
      codecRoundTrip: options.codecRoundTrip ?? false,
      checkInvariants: options.checkInvariants ?? true,
      checkLiveness: options.checkLiveness ?? true,
      customAdversaries: Object.keys(options.byzantine ?? {}),
    };
    this.workload =
      target.client !== undefined && (workloadOptions.mode === "open" || workloadOptions.clients > 0)
        ? new Workload(target.client, workloadOptions, this.root.fork("clients"), this.queue, this.channels, this.view.history, this.ids, (i) => this.nodes[i] !== undefined)
        : undefined;
    const forge = target.forge;
    const forgeRng = this.root.fork("forge");
    this.forge = forge === undefined ? undefined : (message: M) => forge.call(target, message, forgeRng);
    this.advContext = {
      rng: this.root.fork("adversary"),
      nowMs: 0,
      from: 0,
      members: this.ids,
      forge: this.forge,
      emit: (to: NodeId, message: M, extraDelayMs = 0) => {
        const toIndex = this.indexOf.get(to);
        if (toIndex === undefined) return;
        this.transmit(this.advContext.from, toIndex, message, extraDelayMs);
      },
    };
  }

  /**
   * Run to the end (or the first violation). A simulation runs once.
   * @returns the result
   * @throws {SynodError} code `usage` when called twice, `limit` when the run exceeds `maxEvents`
   */
  run(): SimulationResult<Op, Res> {
    if (this.eventIndex !== -1 || this.stopped) throw new SynodError("usage", "a Simulation runs once; create a new one (or call runSimulation) for another run");
    this.traceLine(() => traceJson(this.header));
    this.start();
    const queue = this.queue;
    while (!this.stopped && queue.pop()) {
      this.eventIndex++;
      if (this.eventIndex >= this.maxEvents) throw new SynodError("limit", `run exceeded ${this.maxEvents} events (seed ${this.root.seed})`, { seed: this.root.seed });
      this.now = queue.timeMs;
      this.view.nowMs = this.now;
      this.changed = -1;
      this.stepPersist = this.stepSend = this.stepOut = 0;
      this.stepOutputs = undefined;
      const kind = queue.kind;
      const a = queue.a;
      const b = queue.b;
      const ref = queue.ref;
      this.tail.record(this.now, kind, a, b, ref);
      this.dispatch(kind, a, b, ref);
      this.hash.event(kind, this.now, a, b, this.stepPersist ^ (this.stepSend << 11) ^ (this.stepOut << 22));
      if (this.traceSink !== undefined) this.traceEvent(kind, a, b, ref);
      if (this.changed >= 0 && this.violation === undefined && this.checkHooks.length > 0) this.runChecks();
      if (this.violation !== undefined) this.stopped = true;
    }
    if (this.violation === undefined) {
      for (const invariant of this.atEndInvariants) {
        let problem: InvariantResult;
        try {
          problem = invariant.atEnd?.(this.view);
        } catch (error) {
          problem = `invariant threw: ${describeError(error)}`;
        }
        if (problem !== undefined) {
          this.failWith(invariant, problem);
          break;
        }
      }
    }
    return this.finish();
  }

  private start(): void {
    for (let i = 0; i < this.n; i++) this.bootNode(i, true);
    const tickRng = this.root.fork("ticks");
    for (let i = 0; i < this.n; i++) this.queue.pushInOrder(this.channels.tick, tickRng.float() * this.target.tickMs, TICK, i, 0, null);
    // The timeline in time order (a stable sort: equal times keep schedule order, which is also
    // their sequence order), so it queues as one channel; the events pop exactly as from the heap.
    const timeline = this.channels.timeline;
    const starts = this.schedule.flatMap((event, index) => (event.atMs < this.healAtMs ? [{ atMs: Math.max(0, event.atMs), index }] : []));
    starts.sort((x, y) => x.atMs - y.atMs);
    for (const start of starts) this.queue.pushInOrder(timeline, start.atMs, FAULT_START, start.index, 0, null);
    this.queue.pushInOrder(timeline, this.healAtMs, HEAL, 0, 0, null);
    this.queue.pushInOrder(timeline, this.durationMs, END, 0, 0, null);
    this.workload?.start();
  }

  private dispatch(kind: number, a: number, b: number, ref: unknown): void {
    switch (kind) {
      case DELIVER:
        return this.onDeliver(a, b, ref as M);
      case TICK:
        return this.onTick(a, b);
      case REQUEST:
        return this.onRequest(a, b, ref as I);
      case CLIENT:
        return this.workload?.onClientEvent(this.now, a);
      case TIMEOUT:
        return this.workload?.onTimeout(this.now, a);
      case FAULT_START: {
        const durMs = this.faults.start(a);
        if (durMs !== undefined) this.queue.push(Math.min(this.now + durMs, this.healAtMs), FAULT_END, a, 0, null);
        return;
      }
      case FAULT_END:
        return this.faults.end(a);
      case RESTART:
        if (this.nodes[a] === undefined && this.incarnation[a] === b) this.restartNode(a);
        return;
      case HEAL:
        return this.healAll();
      case LIVENESS:
        return this.onLiveness();
      case END:
        this.endReached = true;
        if (!this.livenessPending) this.stopped = true;
        return;
    }
  }

  private onDeliver(from: number, to: number, message: M): void {
    if (this.network.isBlocked(from, to)) {
      this.counters.droppedPartition++;
      return;
    }
    const node = this.nodes[to];
    if (node === undefined) {
      this.counters.droppedCrashed++;
      return;
    }
    if (this.paused[to] !== 0) return this.bufferWhilePaused(to, DELIVER, from, to, message);
    this.counters.messagesDelivered++;
    let step: Step<M, O, P>;
    try {
      step = node.receive(this.ids[from] as NodeId, message);
    } catch (error) {
      return this.nodeThrew(to, "receive", error);
    }
    this.applyStep(to, step);
  }

  private onTick(i: number, incarnation: number): void {
    if (this.incarnation[i] !== incarnation) return;
    this.queue.pushInOrder(this.channels.tick, this.now + this.target.tickMs / (this.skewRate[i] as number), TICK, i, incarnation, null);
    const node = this.nodes[i];
    if (node === undefined || this.paused[i] !== 0) return;
    this.counters.ticks++;
    let step: Step<M, O, P>;
    try {
      step = node.tick();
    } catch (error) {
      return this.nodeThrew(i, "tick", error);
    }
    this.applyStep(i, step);
  }

  private onRequest(i: number, invocationId: number, input: I): void {
    const node = this.nodes[i];
    if (node === undefined) {
      this.counters.requestsLost++;
      return;
    }
    if (this.paused[i] !== 0) return this.bufferWhilePaused(i, REQUEST, i, invocationId, input);
    this.counters.requests++;
    let step: Step<M, O, P>;
    try {
      step = node.request(input);
    } catch (error) {
      return this.nodeThrew(i, "request", error);
    }
    this.applyStep(i, step);
  }

  /**
   * Honour a step: persist (sync) → send → outputs, then the incremental invariants. A crash armed
   * for this node falls inside the step, before or after the sync.
   */
  private applyStep(i: number, step: Step<M, O, P>): void {
    this.changed = i;
    if (step === EMPTY_STEP) return;
    const persist = step.persist;
    if (persist.length > 0 || step.compact === true) {
      const armed = this.armed[i];
      if (armed === ARMED_BEFORE_SYNC) {
        if (this.armedTorn[i] === 1 && persist.length > 0) {
          this.disks[i]?.tearTail(persist[0] as P, this.target.recordCodec, this.faultRng);
          this.counters.tornWrites++;
        }
        this.counters.unsyncedRecordsLost += persist.length;
        return this.crashNode(i, this.armedDownMs[i] as number);
      }
      (this.disks[i] as SimulatedDisk).write(persist, step.compact === true, this.target.recordCodec);
      this.stepPersist += persist.length;
      this.counters.recordsPersisted += persist.length;
      if (armed === ARMED_AFTER_PERSIST) {
        this.counters.sendsLostInCrash += step.send.length;
        return this.crashNode(i, this.armedDownMs[i] as number);
      }
    }
    const send = step.send;
    this.stepSend += send.length;
    const adversary = this.adversaries[i];
    for (let k = 0; k < send.length; k++) this.sendEnvelope(i, send[k] as Envelope<M>, adversary);
    const output = step.output;
    if (output.length > 0) {
      this.stepOut += output.length;
      if (this.traceSink !== undefined) (this.stepOutputs ??= []).push(...output);
      const workload = this.workload;
      if (workload !== undefined) for (let k = 0; k < output.length; k++) workload.onOutput(this.now, i, output[k] as O);
    }
    const hooks = this.afterStepHooks;
    // A step that only sends skips the hooks that asked for persisting or outputting steps only.
    const sendOnly = persist.length === 0 && output.length === 0 && step.compact !== true;
    if ((sendOnly ? this.everyStepHooks : hooks.length) > 0 && this.violation === undefined) {
      const id = this.ids[i] as NodeId;
      const node = this.nodes[i] as N; // up: a crash inside the step returned above
      const invariants = this.afterStepInvariants;
      const view = this.view;
      const skips = this.afterStepSkipsSendOnly;
      let k = 0;
      try {
        for (; k < hooks.length; k++) {
          if (sendOnly && skips[k] === true) continue;
          const problem = (hooks[k] as (typeof hooks)[number]).call(invariants[k], id, step, view, node, i);
          if (problem !== undefined) return this.failWith(invariants[k] as Invariant<N, M, O, P, Op, Res>, problem, id);
        }
      } catch (error) {
        return this.fail((invariants[k] as Invariant<N, M, O, P, Op, Res>).name, `invariant threw: ${describeError(error)}`, id);
      }
    }
  }

  /**
   * @returns the index of node `id`, undefined for an id that is not a member. Small clusters scan
   * the ids: a protocol addresses peers by the very id strings it was given (an identity compare),
   * where a map would hash each one.
   */
  private nodeIndex(id: NodeId): number | undefined {
    const ids = this.ids;
    if (ids.length <= 16) {
      for (let k = 0; k < ids.length; k++) if (ids[k] === id) return k;
      return undefined;
    }
    return this.indexOf.get(id);
  }

  private sendEnvelope(from: number, envelope: Envelope<M>, adversary: Adversary<M> | undefined): void {
    const to = this.nodeIndex(envelope.to);
    if (to === undefined || envelope.from !== this.ids[from]) {
      this.counters.badEnvelopes++;
      return;
    }
    if (adversary === undefined) return this.transmit(from, to, envelope.message, 0);
    this.advContext.nowMs = this.now;
    this.advContext.from = from;
    adversary.onSend(envelope, this.advContext);
  }

  private transmit(from: number, to: number, message: M, extraDelayMs: number): void {
    this.counters.messagesSent++;
    if (this.codecRoundTrip) {
      const bytes = encodeForWire(this.target.messageCodec, message);
      if (bytes === undefined) {
        this.counters.decodeErrors++; // a value no decoder accepts: what a faulty sender's bytes would meet
        return;
      }
      this.counters.bytesSent += bytes.length;
      const decoded = this.target.messageCodec.decode(bytes);
      if (!decoded.ok) {
        this.counters.decodeErrors++;
        return;
      }
      message = decoded.value;
    }
    const network = this.network;
    if (network.isBlocked(from, to)) {
      this.counters.droppedPartition++;
      return;
    }
    const conditions = network.now;
    if (conditions.loss > 0 && this.netRng.float() < conditions.loss) {
      this.counters.droppedLoss++;
      return;
    }
    const link = this.channels.link(from, to);
    this.queue.pushInOrder(link, network.arrivalMs(this.now, from, to, this.netRng) + extraDelayMs, DELIVER, from, to, message);
    if (conditions.duplicate > 0 && this.netRng.float() < conditions.duplicate) {
      this.counters.duplicated++;
      this.queue.pushInOrder(link, network.arrivalMs(this.now, from, to, this.netRng) + extraDelayMs, DELIVER, from, to, message);
    }
  }

  private bufferWhilePaused(i: number, kind: number, a: number, b: number, ref: unknown): void {
    const buffer = this.pauseBuffer[i] as Array<{ kind: number; a: number; b: number; ref: unknown }>;
    if (buffer.length >= MAX_PAUSE_BUFFER) {
      this.counters.droppedPauseOverflow++;
      return;
    }
    buffer.push({ kind, a, b, ref });
  }

  // ---- node lifecycle -------------------------------------------------------------------------

  private bootNode(i: number, fresh: boolean): void {
    const id = this.ids[i] as NodeId;
    const disk = this.disks[i] as SimulatedDisk;
    const { state, validLength, acceptedCorrupted, corruptedOnDisk } = disk.recover(this.target.recordCodec);
    if (state.tornTail) disk.truncate(validLength); // the storage contract: truncate a torn tail before appending
    if (acceptedCorrupted) this.fail("StorageIntegrity", `${id} recovered a corrupted record as if it were intact`, id);
    else if (corruptedOnDisk && state.corrupted === 0) this.fail("StorageIntegrity", `${id}'s log holds a corrupted record that recovery did not report`, id);
    if (state.corrupted > 0) this.counters.corruptionDetected++;
    if (state.tornTail) this.counters.tornTailsDetected++;
    let node: N;
    try {
      node = this.target.createNode({ id, members: this.ids, rng: this.root.fork(`${id}:${this.incarnation[i]}`), recovered: state });
    } catch (error) {
      return this.nodeThrew(i, fresh ? "createNode" : "createNode (restart)", error);
    }
    this.nodes[i] = node;
    this.view.nodes.set(id, node);
    this.changed = i;
  }

  private crashNode(i: number, downMs: number): void {
    if (this.nodes[i] === undefined) return;
    this.counters.crashes++;
    this.nodes[i] = undefined;
    this.view.nodes.set(this.ids[i] as NodeId, undefined);
    this.armed[i] = ARMED_NONE;
    (this.pauseBuffer[i] as unknown[]).length = 0;
    const incarnation = ++this.incarnation[i]!;
    this.changed = i;
    this.queue.push(this.now + downMs, RESTART, i, incarnation, null);
  }

  private restartNode(i: number): void {
    this.counters.restarts++;
    this.bootNode(i, false);
    this.queue.pushInOrder(this.channels.tick, this.now + this.faultRng.float() * this.target.tickMs, TICK, i, this.incarnation[i] as number, null);
  }

  private nodeThrew(i: number, where: string, error: unknown): void {
    this.changed = i;
    this.fail("NodeThrew", `${this.ids[i]}.${where} threw: ${describeError(error)}`, this.ids[i]);
  }

  // ---- faults ---------------------------------------------------------------------------------

  private flushPauseBuffer(i: number): void {
    const buffer = this.pauseBuffer[i] as Array<{ kind: number; a: number; b: number; ref: unknown }>;
    for (const e of buffer) this.queue.push(this.now, e.kind, e.a, e.b, e.ref);
    buffer.length = 0;
    this.changed = i;
  }

  private healAll(): void {
    this.faults.forgetAll();
    this.network.healAll();
    this.skewRate.fill(1);
    this.armed.fill(ARMED_NONE);
    this.adversaries.fill(undefined);
    for (let i = 0; i < this.n; i++) {
      if (this.paused[i] !== 0) {
        this.paused[i] = 0;
        this.flushPauseBuffer(i);
      }
      if (this.nodes[i] === undefined && this.violation === undefined) this.restartNode(i);
    }
    if (this.checkLiveness) {
      this.livenessPending = true;
      this.queue.push(this.now + this.target.tickMs, LIVENESS, 0, 0, null);
    }
  }

  private onLiveness(): void {
    const liveness = this.target.liveness;
    if (liveness === undefined || !this.livenessPending) return;
    let holds: boolean;
    try {
      holds = liveness.holds(this.view, this.healAtMs);
    } catch (error) {
      return this.fail("Liveness", `liveness check threw: ${describeError(error)}`);
    }
    if (holds) {
      this.livenessPending = false;
      this.counters.livenessAfterHealMs = this.now - this.healAtMs;
      if (this.endReached) this.stopped = true;
      return;
    }
    if (this.now - this.healAtMs > liveness.boundMs) {
      return this.fail("Liveness", `${liveness.description}: not reached within ${liveness.boundMs} ms after healing at ${this.healAtMs} ms`);
    }
    this.queue.push(this.now + this.target.tickMs, LIVENESS, 0, 0, null);
  }

  // ---- invariants, trace, result ----------------------------------------------------------------

  private runChecks(): void {
    const member = this.changed;
    const changed = this.ids[member];
    const node = this.nodes[member];
    const hooks = this.checkHooks;
    const invariants = this.checkInvariants;
    const view = this.view;
    let k = 0;
    try {
      for (; k < hooks.length; k++) {
        const problem = (hooks[k] as (typeof hooks)[number]).call(invariants[k], view, changed, node, member);
        if (problem !== undefined) return this.failWith(invariants[k] as Invariant<N, M, O, P, Op, Res>, problem, changed);
      }
    } catch (error) {
      return this.fail((invariants[k] as Invariant<N, M, O, P, Op, Res>).name, `invariant threw: ${describeError(error)}`, changed);
    }
  }

  /** Record what `invariant` reported: under its own name, or the covered property's it names. */
  private failWith(invariant: Invariant<N, M, O, P, Op, Res>, problem: string | NamedViolation, node?: NodeId): void {
    const named = nameViolation(invariant, problem) as NamedViolation;
    this.fail(named.invariant, named.message, node);
  }

  private fail(invariant: string, message: string, node?: NodeId): void {
    if (this.violation !== undefined) return;
    this.violation = node === undefined ? { invariant, event: this.eventIndex, message, timeMs: this.now } : { invariant, event: this.eventIndex, message, timeMs: this.now, node };
    this.stopped = true;
  }

  private traceLine(make: () => string): void {
    if (this.traceSink !== undefined) this.traceSink(make());
  }

  private traceEvent(kind: number, a: number, b: number, ref: unknown): void {
    const changed = this.changed >= 0 ? { node: this.ids[this.changed] as NodeId, persist: this.stepPersist, send: this.stepSend } : undefined;
    this.traceSink?.(traceEventLine({ index: this.eventIndex, timeMs: this.now, kind, a, b, ref }, this.ids, this.schedule, changed, this.stepOutputs));
  }

  private finish(): SimulationResult<Op, Res> {
    const history = this.view.history;
    const counts = { invoke: 0, ok: 0, fail: 0, unknown: 0 };
    // (A switch, not counts[event.type]++: a keyed increment per event is a slow generic store.)
    for (let k = 0; k < history.length; k++) {
      switch ((history[k] as (typeof history)[number]).type) {
        case "invoke":
          counts.invoke++;
          break;
        case "ok":
          counts.ok++;
          break;
        case "fail":
          counts.fail++;
          break;
        case "unknown":
          counts.unknown++;
          break;
      }
    }
    let protocolMetrics: Record<string, number> = {};
    try {
      protocolMetrics = this.target.metrics?.(this.view) ?? {};
    } catch (error) {
      if (this.violation === undefined) this.fail("NodeThrew", `metrics threw: ${describeError(error)}`);
    }
    const metrics: Record<string, number> = {
      ...this.counters.toRecord(),
      historyInvoke: counts.invoke,
      historyOk: counts.ok,
      historyFail: counts.fail,
      historyUnknown: counts.unknown,
      ignoredCompletions: this.workload?.ignoredCompletions ?? 0,
    };
    // A protocol metric never hides a simulator counter of the same name: it is reported as
    // "<protocol>.<name>" instead.
    for (const [name, value] of Object.entries(protocolMetrics)) metrics[name in metrics ? `${this.target.name}.${name}` : name] = value;
    const violations = this.violation === undefined ? [] : [this.violation];
    const traceHash = this.hash.hex();
    this.traceLine(() => traceJson({ end: true, events: this.eventIndex + 1, simulatedMs: this.now, traceHash, violations }));
    const result: SimulationResult<Op, Res> = {
      protocol: this.target.name,
      seed: this.root.seed,
      nodes: this.n,
      faults: this.enabledFaults,
      faultRates: this.faultRates,
      schedule: this.schedule,
      healAtMs: this.healAtMs,
      simulatedMs: this.now,
      events: this.eventIndex + 1,
      messagesDelivered: this.counters.messagesDelivered,
      violations,
      traceHash,
      metrics,
      invariants: this.invariantNames,
      history,
      tail: this.tail.render(this.eventIndex, (i) => this.ids[i] ?? String(i)),
    };
    return this.traceLines === undefined ? result : { ...result, trace: this.traceLines };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
