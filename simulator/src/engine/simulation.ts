import { createRng, nodeIds, SynodError, type NodeId, type ProtocolNode, type Rng, type SimulationTarget, type Step } from "@synod/core";
import { traceJson } from "../trace/trace-json.js";
import { traceEventLine } from "../trace/trace-event-line.js";
import { buildTraceHeader, type TraceHeader } from "../trace/trace-header.js";
import { SimulatedClusterView } from "./cluster-view.js";
import { SimulationCounters } from "./counters.js";
import { describeError } from "./describe-error.js";
import { Buggify } from "./buggify.js";
import { EventKind } from "./event-kind.js";
import { EventQueue } from "./event-queue.js";
import { EventTail } from "./event-tail.js";
import { FaultInjector } from "./fault-injector.js";
import { InvariantRunner } from "./invariant-runner.js";
import { DEFAULT_MAX_QUEUED_EVENTS } from "./limits.js";
import { NetworkModel } from "./network.js";
import { NodeTable } from "./node-table.js";
import { DEFAULT_NETWORK, DEFAULT_WORKLOAD, PROGRESS_EVERY_EVENTS, type SimulationOptions } from "./options.js";
import { QueueChannels } from "./queue-channels.js";
import { buildResult } from "./result-builder.js";
import type { SimulationResult } from "./result.js";
import { resolveRunConfig, validateNetworkOptions, validateWorkloadOptions, type RunConfig } from "./run-config.js";
import { RunState } from "./run-state.js";
import { StepContract } from "./step-contract.js";
import { TraceHash } from "./trace-hash.js";
import { Transmission } from "./transmission.js";
import { Workload } from "./workload.js";
import { Twins, type TwinEpisode } from "./twins.js";
import { MessageFate } from "../record/run-recording.js";
import type { RunRecorder } from "../record/run-recorder.js";
import { attachRecorder } from "./attach-recorder.js";

// Module-local copies of EventKind's members: the hot loop compares against plain consts instead of
// loading a property of the imported object on every event. What it buys is small: without the
// copies (here and in transmission.ts), 200 raft chaos seeds took 1.066× the CPU (median of 6 paired
// runs, spread 0.80–1.13: within this shared machine's noise; six runs of each, alternated, of `pnpm sim raft
// --seed 1000 --seeds 200 --faults all --workers 1`, 2026-12-06).
const { Deliver: DELIVER, Tick: TICK, Request: REQUEST, Client: CLIENT, Timeout: TIMEOUT } = EventKind;
const { FaultStart: FAULT_START, FaultEnd: FAULT_END, Restart: RESTART, Heal: HEAL, Liveness: LIVENESS, End: END } = EventKind;

/**
 * One simulated run of a {@link SimulationTarget}: the discrete-event loop. It pops events in
 * (time, sequence) order and hands each to its handler; the parts it wires do the rest — the node
 * table and its lifecycle ({@link NodeTable}), the step contract ({@link StepContract}), the network
 * ({@link Transmission}, {@link NetworkModel}), faults ({@link FaultInjector}), clients
 * ({@link Workload}), invariants ({@link InvariantRunner}), the shared run state ({@link RunState}),
 * the trace hash and the result ({@link buildResult}). Use {@link runSimulation}.
 */
export class Simulation<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res> {
  private readonly target: SimulationTarget<N, M, I, O, P, Op, Res>;
  private readonly root: Rng;
  private readonly config: RunConfig;
  private readonly state = new RunState<O>();
  private readonly counters = new SimulationCounters();
  private readonly queue: EventQueue;
  private readonly channels: QueueChannels;
  private readonly network: NetworkModel;
  private readonly view: SimulatedClusterView<N, Op, Res>;
  private readonly table: NodeTable<N, M, I, O, P, Op, Res>;
  private readonly invariants: InvariantRunner<N, M, O, P, Op, Res>;
  private readonly steps: StepContract<N, M, I, O, P, Op, Res>;
  private readonly transmission: Transmission<M>;
  private readonly faults: FaultInjector<M>;
  private readonly buggify: Buggify<N, M, I, O, P>;
  private readonly workload: Workload<I, O, Op, Res> | undefined;
  private readonly hash = new TraceHash();
  private readonly tail: EventTail;
  private readonly traceSink: ((line: string) => void) | undefined;
  private readonly traceLines: string[] | undefined;
  private readonly checkLiveness: boolean;
  private readonly header: TraceHeader;
  private readonly recorder: RunRecorder | undefined;
  private readonly onProgress: SimulationOptions["onProgress"];
  private readonly twins: Twins | undefined;

  constructor(target: SimulationTarget<N, M, I, O, P, Op, Res>, options: SimulationOptions) {
    this.target = target;
    this.onProgress = options.onProgress;
    const root = (this.root = createRng(options.seed));
    const netRng = root.fork("network");
    const faultRng = root.fork("faults");
    const config = (this.config = resolveRunConfig(target, options, root));
    const networkOptions = validateNetworkOptions({ ...DEFAULT_NETWORK, ...options.network });
    const ids = nodeIds(config.nodes);
    // Twins: each twinned member's second copy takes an index after the members, with the same id.
    const tableIds = config.twins.length === 0 ? ids : [...ids, ...config.twins.map((i) => ids[i] as NodeId)];
    const recorder = options.record;
    const state = this.state;
    const counters = this.counters;
    const channels = (this.channels = new QueueChannels(tableIds.length));
    const queue = (this.queue = new EventQueue(DEFAULT_MAX_QUEUED_EVENTS, 1024, channels.count));
    const network = (this.network = new NetworkModel(tableIds.length, networkOptions, netRng, config.twins));
    const view = (this.view = new SimulatedClusterView<N, Op, Res>(ids));
    const table = (this.table = new NodeTable(tableIds, { target, root, faultRng, queue, channels, view, counters, state, recorder }, config.nodes));
    table.setAdversaries(options.byzantine ?? {});
    this.twins = this.createTwins(recorder);
    const buggify = (this.buggify = new Buggify<N, M, I, O, P>(target as SimulationTarget<N, M, I, O, P, unknown, unknown>, root.fork("buggify"), counters));
    this.faults = this.createFaultInjector(faultRng);
    this.tail = new EventTail(options.tailEvents ?? 20);
    this.checkLiveness = (options.checkLiveness ?? true) && target.liveness !== undefined;
    [this.traceSink, this.traceLines] = traceSinkOf(options.trace);
    this.invariants = new InvariantRunner<N, M, O, P, Op, Res>((options.checkInvariants ?? true) ? target.createInvariants() : [], view, state);
    const workloadOptions = validateWorkloadOptions({ ...DEFAULT_WORKLOAD, ...options.workload });
    this.header = buildTraceHeader(target.name, options, config, networkOptions, workloadOptions);
    this.workload =
      target.client !== undefined && (workloadOptions.mode === "open" || workloadOptions.clients > 0)
        ? new Workload(target.client, workloadOptions, root.fork("clients"), queue, channels, view.history, ids, (i) => table.nodes[i] !== undefined, (i) => {
              const node = table.nodes[i];
              return node !== undefined && target.leads?.(node) === true;
            })
        : undefined;
    const forge = target.forge;
    const forgeRng = root.fork("forge");
    const transmission = new Transmission<M>({
      network,
      netRng,
      queue,
      channels,
      counters,
      state,
      ids: tableIds,
      members: ids,
      indexOfId: (id: NodeId) => table.indexOfId(id),
      roundTripCodec: options.codecRoundTrip === true ? target.messageCodec : undefined,
      adversaryRng: root.fork("adversary"),
      forge: forge === undefined ? undefined : (message: M) => forge.call(target, message, forgeRng),
      recorder,
      twins: this.twins,
    });
    this.transmission = transmission;
    this.recorder = recorder;
    if (recorder !== undefined) attachRecorder(recorder, target, table, network, this.twins);
    const tracing = this.traceSink !== undefined;
    const invariants = this.invariants;
    this.steps = new StepContract({ target, table, transmission, invariants, workload: this.workload, counters, state, faultRng, tracing, buggify });
  }

  /** The fault injector, acting on the node table, the network and the buggify points. */
  private createFaultInjector(faultRng: Rng): FaultInjector<M> {
    const { table, view, buggify } = this;
    return new FaultInjector<M>(this.config.schedule, {
      nodeCount: this.config.nodes,
      network: this.network,
      counters: this.counters,
      faultRng,
      nowMs: () => this.state.nowMs,
      isUp: (i) => table.nodes[i] !== undefined,
      leaderIndex: () => table.leaderIndex(),
      crash: (i, downMs) => table.crash(i, downMs),
      armCrash: (i, mode, torn, downMs) => table.armCrash(i, mode, torn, downMs),
      corruptDisk: (i) => table.disks[i]!.corruptRandomByte(faultRng),
      pause: (i) => table.pause(i),
      resume: (i) => table.resume(i),
      setClockRate: (i, rate) => {
        table.skewRate[i] = rate;
      },
      setAdversary: (i, adversary) => {
        table.adversaries[i] = adversary;
        if (adversary !== undefined) view.faulty.add(table.ids[i] as NodeId);
      },
      setBuggify: (probability, pointMask, downMs, dropProbability) => buggify.set(probability, pointMask, downMs, dropProbability),
    });
  }

  /** With twins: the twinned ids join `view.faulty`, and a recording gets their episodes of sides (up to healing). */
  private createTwins(recorder: RunRecorder | undefined): Twins | undefined {
    const { config, table, view } = this;
    if (config.twins.length === 0) return undefined;
    for (const i of config.twins) view.faulty.add(table.ids[i] as NodeId);
    const healAtMs = config.healAtMs;
    const onEpisode = (episode: TwinEpisode): void => {
      if (episode.fromMs < healAtMs) recorder?.twinEpisode({ ...episode, toMs: Math.min(episode.toMs, healAtMs) }, table.labels);
    };
    return new Twins(config.nodes, config.twins, this.root.fork("twin-sides"), recorder === undefined ? undefined : onEpisode);
  }

  /**
   * Run to the end (or the first violation). A simulation runs once.
   * @returns the result
   * @throws {SynodError} code `usage` when called twice, `limit` when the run exceeds `maxEvents`
   */
  run(): SimulationResult<Op, Res> {
    const state = this.state;
    if (state.eventIndex !== -1 || state.stopped) {
      throw new SynodError("usage", "a Simulation runs once; create a new one (or call runSimulation) for another run");
    }
    this.traceLine(() => traceJson(this.header));
    this.start();
    this.recorder?.afterEvent(-1, true);
    const queue = this.queue;
    const maxEvents = this.config.maxEvents;
    const invariants = this.invariants;
    const onProgress = this.onProgress;
    while (!state.stopped && queue.pop()) {
      state.beginEvent(queue.timeMs);
      if (state.eventIndex >= maxEvents) throw new SynodError("limit", `run exceeded ${maxEvents} events (seed ${this.root.seed})`, { seed: this.root.seed });
      if (onProgress !== undefined && (state.eventIndex & (PROGRESS_EVERY_EVENTS - 1)) === 0) {
        onProgress({ simulatedMs: queue.timeMs, durationMs: this.config.durationMs, events: state.eventIndex });
      }
      const now = state.nowMs;
      this.view.nowMs = now;
      const kind = queue.kind;
      const subject = queue.subject;
      const detail = queue.detail;
      const payload = queue.payload;
      this.tail.record(now, kind, subject, detail, payload);
      this.recorder?.beginEvent(state.eventIndex, now);
      this.dispatch(kind, subject, detail, payload);
      this.recorder?.afterEvent(state.changed, kind >= FAULT_START && kind <= HEAL);
      this.hash.event(kind, now, subject, detail, state.stepSummary());
      if (this.traceSink !== undefined) this.traceEvent(kind, subject, detail, payload);
      const changed = state.changed;
      // A twin's second copy (an index past the members) is not checked: it is not in the view, and
      // per-id checks would take the two copies' words as one replica's.
      const table = this.table;
      if (changed >= 0 && changed < table.memberCount && state.violation === undefined && invariants.hasChecks) {
        invariants.check(changed, table.ids[changed], table.nodes[changed]);
      }
      if (state.violation !== undefined) state.stopped = true;
    }
    if (state.violation === undefined) invariants.atEnd();
    return this.finish();
  }

  /** Boot the nodes and queue the first ticks, the timeline (faults, heal, end) and the clients. */
  private start(): void {
    const { queue, channels, config, table } = this;
    for (let i = 0; i < table.n; i++) table.boot(i, true);
    const tickRng = this.root.fork("ticks");
    for (let i = 0; i < table.n; i++) queue.pushInOrder(channels.tick, tickRng.float() * this.target.tickMs, TICK, i, 0, null);
    // The timeline in time order (a stable sort: equal times keep schedule order, which is also
    // their sequence order), so it queues as one channel; the events pop exactly as from the heap.
    const timeline = channels.timeline;
    const starts = config.schedule.flatMap((event, index) => (event.atMs < config.healAtMs ? [{ atMs: Math.max(0, event.atMs), index }] : []));
    starts.sort((x, y) => x.atMs - y.atMs);
    for (const start of starts) queue.pushInOrder(timeline, start.atMs, FAULT_START, start.index, 0, null);
    queue.pushInOrder(timeline, config.healAtMs, HEAL, 0, 0, null);
    queue.pushInOrder(timeline, config.durationMs, END, 0, 0, null);
    this.workload?.start();
  }

  /** Hand the current event to its handler; `subject`, `detail` and `payload` are as {@link EventKind} documents for `kind`. */
  private dispatch(kind: number, subject: number, detail: number, payload: unknown): void {
    switch (kind) {
      case DELIVER:
        return this.onDeliver(subject, detail, payload as M);
      case TICK:
        return this.onTick(subject, detail);
      case REQUEST:
        return this.onRequest(subject, detail, payload as I);
      case CLIENT:
        return this.workload?.onClientEvent(this.state.nowMs, subject);
      case TIMEOUT:
        return this.workload?.onTimeout(this.state.nowMs, subject);
      case FAULT_START: {
        const durMs = this.faults.start(subject);
        if (durMs !== undefined) this.queue.push(Math.min(this.state.nowMs + durMs, this.config.healAtMs), FAULT_END, subject, 0, null);
        return;
      }
      case FAULT_END:
        return this.faults.end(subject);
      case RESTART:
        if (this.table.nodes[subject] === undefined && this.table.incarnation[subject] === detail) this.table.restart(subject);
        return;
      case HEAL:
        return this.onHeal();
      case LIVENESS:
        return this.onLiveness();
      case END:
        this.state.endReached = true;
        if (!this.state.livenessPending) this.state.stopped = true;
        return;
    }
  }

  private onDeliver(from: number, to: number, message: M): void {
    const recorder = this.recorder;
    const id = recorder === undefined ? -1 : recorder.arriving(this.queue.seq);
    if (this.network.isBlocked(from, to)) {
      this.counters.droppedPartition++;
      recorder?.ended(id, MessageFate.Cut);
      return;
    }
    const table = this.table;
    const node = table.nodes[to];
    if (node === undefined) {
      this.counters.droppedCrashed++;
      recorder?.ended(id, MessageFate.Crashed);
      return;
    }
    if (table.paused[to] !== 0) {
      if (table.hold(to, { kind: DELIVER, from, to, message })) recorder?.hold(to, id);
      else recorder?.ended(id, MessageFate.Overflow);
      return;
    }
    this.counters.messagesDelivered++;
    recorder?.ended(id, MessageFate.Delivered);
    const adversary = table.adversaries[to];
    if (adversary?.onReceive !== undefined) this.transmission.received(to, table.ids[from] as NodeId, message, adversary);
    let step: Step<M, O, P>;
    this.state.delivered = message;
    this.state.deliveredFrom = from;
    try {
      step = node.receive(table.ids[from] as NodeId, message);
    } catch (error) {
      return table.threw(to, "receive", error);
    }
    this.steps.apply(to, step);
  }

  private onTick(i: number, incarnation: number): void {
    const table = this.table;
    if (table.incarnation[i] !== incarnation) return;
    this.queue.pushInOrder(this.channels.tick, this.state.nowMs + this.target.tickMs / (table.skewRate[i] as number), TICK, i, incarnation, null);
    const node = table.nodes[i];
    if (node === undefined || table.paused[i] !== 0) return;
    this.counters.ticks++;
    let step: Step<M, O, P>;
    try {
      step = node.tick();
    } catch (error) {
      return table.threw(i, "tick", error);
    }
    this.steps.apply(i, step);
  }

  private onRequest(i: number, invocationId: number, input: I): void {
    const table = this.table;
    const node = table.nodes[i];
    if (node === undefined) {
      this.counters.requestsLost++;
      return;
    }
    if (table.paused[i] !== 0) {
      if (table.hold(i, { kind: REQUEST, node: i, invocationId, input })) this.recorder?.hold(i, -1);
      return;
    }
    this.counters.requests++;
    let step: Step<M, O, P>;
    try {
      step = node.request(input);
    } catch (error) {
      return table.threw(i, "request", error);
    }
    this.steps.apply(i, step);
  }

  /** Every fault ends (messages the faults delayed arrive now, within a fault-free latency); liveness is checked from the next tick on. */
  private onHeal(): void {
    this.faults.forgetAll();
    this.buggify.set(0, 0, 0);
    this.twins?.retire();
    const drainedByMs = this.network.healAll(this.state.nowMs);
    this.counters.drainedAtHeal = this.queue.clampTimes(DELIVER, drainedByMs);
    this.table.healAll();
    if (this.checkLiveness) {
      this.state.livenessPending = true;
      this.queue.push(this.state.nowMs + this.target.tickMs, LIVENESS, 0, 0, null);
    }
  }

  /** Liveness: the target's condition must hold within its bound after healing; checked every tick until it does. */
  private onLiveness(): void {
    const liveness = this.target.liveness;
    const state = this.state;
    if (liveness === undefined || !state.livenessPending) return;
    const healAtMs = this.config.healAtMs;
    let holds: boolean;
    try {
      holds = liveness.holds(this.view, healAtMs);
    } catch (error) {
      return state.fail("Liveness", `liveness check threw: ${describeError(error)}`);
    }
    if (holds) {
      state.livenessPending = false;
      this.counters.livenessAfterHealMs = state.nowMs - healAtMs;
      if (state.endReached) state.stopped = true;
      return;
    }
    if (state.nowMs - healAtMs > liveness.boundMs) {
      return state.fail("Liveness", `${liveness.description}: not reached within ${liveness.boundMs} ms after healing at ${healAtMs} ms`);
    }
    this.queue.push(state.nowMs + this.target.tickMs, LIVENESS, 0, 0, null);
  }

  private traceLine(make: () => string): void {
    if (this.traceSink !== undefined) this.traceSink(make());
  }

  private traceEvent(kind: number, subject: number, detail: number, payload: unknown): void {
    const state = this.state;
    const table = this.table;
    const changed = state.changed >= 0 ? { node: table.labels[state.changed] as NodeId, persist: state.stepPersist, send: state.stepSend } : undefined;
    const event = { index: state.eventIndex, timeMs: state.nowMs, kind, subject, detail, payload };
    this.traceSink?.(traceEventLine(event, table.labels, this.config.schedule, changed, state.stepOutputs));
  }

  /** The protocol's metrics, the trace's last line and the result. */
  private finish(): SimulationResult<Op, Res> {
    const state = this.state;
    let protocolMetrics: Record<string, number> = {};
    try {
      protocolMetrics = { ...this.target.metrics?.(this.view), ...this.buggify.metrics(), ...this.twins?.metrics() };
    } catch (error) {
      if (state.violation === undefined) state.fail("NodeThrew", `metrics threw: ${describeError(error)}`);
    }
    const traceHash = this.hash.hex();
    const violations = state.violation === undefined ? [] : [state.violation];
    this.recorder?.finish(state.violation !== undefined);
    this.traceLine(() => traceJson({ end: true, events: state.eventIndex + 1, simulatedMs: state.nowMs, traceHash, violations }));
    const labels = this.table.labels;
    return buildResult({
      protocol: this.target.name,
      seed: this.root.seed,
      config: this.config,
      simulatedMs: state.nowMs,
      events: state.eventIndex + 1,
      violation: state.violation,
      traceHash,
      counters: this.counters,
      protocolMetrics,
      ignoredCompletions: this.workload?.ignoredCompletions ?? 0,
      invariants: this.invariants.names,
      history: this.view.history,
      tail: this.tail.render(state.eventIndex, (i) => labels[i] ?? String(i)),
      trace: this.traceLines,
    });
  }
}

/** Where trace lines go: kept in memory (`trace: true`), handed to a function, or nowhere. */
function traceSinkOf(trace: SimulationOptions["trace"]): [((line: string) => void) | undefined, string[] | undefined] {
  if (trace === true) {
    const lines: string[] = [];
    return [(line) => lines.push(line), lines];
  }
  return [typeof trace === "function" ? trace : undefined, undefined];
}
