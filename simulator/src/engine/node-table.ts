import type { RunRecorder } from "../record/run-recorder.js";
import { SynodError, type NodeId, type ProtocolNode, type Rng, type SimulationTarget } from "@synod/core";
import type { Adversary } from "../byzantine/adversary.js";
import type { CrashMode } from "../faults/schedule.js";
import type { SimulatedClusterView } from "./cluster-view.js";
import type { SimulationCounters } from "./counters.js";
import { describeError } from "./describe-error.js";
import { SimulatedDisk } from "./disk.js";
import { EventKind } from "./event-kind.js";
import type { EventQueue } from "./event-queue.js";
import { MAX_PAUSE_BUFFER } from "./limits.js";
import type { QueueChannels } from "./queue-channels.js";
import type { RunState } from "./run-state.js";

/** Where an armed crash falls inside a node's next step that persists (see `StepContract`). */
export const CrashPoint = {
  /** No crash armed. */
  None: 0,
  /** After the step's records are synced, before its sends: the sends are lost. */
  AfterPersist: 1,
  /** Before the sync: the step's records are lost (a torn write may leave part of the first). */
  BeforeSync: 2,
} as const;

/** An event held for a paused node, queued again when it resumes. */
export type HeldEvent<M, I> =
  | { readonly kind: typeof EventKind.Deliver; readonly from: number; readonly to: number; readonly message: M }
  | { readonly kind: typeof EventKind.Request; readonly node: number; readonly invocationId: number; readonly input: I };

/** What the node table acts on (the simulation wires it). */
export interface NodeTableHost<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res> {
  readonly target: SimulationTarget<N, M, I, O, P, Op, Res>;
  /** The run's root generator: incarnation k of node `id` draws from `root.fork("id:k")`. */
  readonly root: Rng;
  /** Draws the first tick of a restarted node. */
  readonly faultRng: Rng;
  readonly queue: EventQueue;
  readonly channels: QueueChannels;
  readonly view: SimulatedClusterView<N, Op, Res>;
  readonly counters: SimulationCounters;
  readonly state: RunState<O>;
  /** Present when the run is recorded for a report. */
  readonly recorder?: RunRecorder | undefined;
}

/**
 * The simulated nodes, by index: each node's live instance (undefined while down), incarnation,
 * pause depth and held events, clock rate, armed crash, disk and adversary; and their lifecycle
 * (boot from the disk, crash, restart, pause and resume). Per-node fields are typed arrays indexed
 * like `ids`.
 *
 * With twins (`SimulationOptions.twins`), the members come first and the second copies of the
 * twinned members after them (index `memberCount + j`, the same id, its own disk and random
 * stream, labelled `id'`). A second copy is not in the cluster view (one instance per id there),
 * an id's index is always its first copy's, and at healing the second copies stop for good.
 */
export class NodeTable<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res> {
  /** Number of nodes (the members, then the twins' second copies). */
  readonly n: number;
  /** Number of members: indices below it are the cluster's nodes, one per id. */
  readonly memberCount: number;
  /** Each node's id (a second copy has its member's id). */
  readonly ids: readonly NodeId[];
  /** The member ids (`NodeContext.members`, `ClusterView.members`). */
  readonly memberIds: readonly NodeId[];
  /** Each node's name in traces and reports: its id, with a prime for a twin's second copy (`n2'`). */
  readonly labels: readonly string[];
  private readonly indexOf = new Map<NodeId, number>();
  /** Each node's live instance; undefined while it is down. */
  readonly nodes: (N | undefined)[];
  /** Bumped at each crash: events scheduled by an earlier incarnation (ticks, restarts) are stale. */
  readonly incarnation: Int32Array;
  /** Pause depth (overlapping pauses stack); a node with depth > 0 neither ticks nor receives. */
  readonly paused: Int32Array;
  private readonly held: HeldEvent<M, I>[][];
  /** Clock rate: the node's ticks come every `tickMs / rate` ms. */
  readonly skewRate: Float64Array;
  /** The {@link CrashPoint} armed for the node's next persisting step. */
  readonly crashPoint: Uint8Array;
  /** Whether the armed crash tears the first unsynced record (1) or not (0). */
  readonly crashTorn: Uint8Array;
  /** How long the node stays down after the armed crash. */
  readonly crashDownMs: Float64Array;
  readonly disks: SimulatedDisk[];
  /** A byzantine strategy in control of the node's sends, if any. */
  readonly adversaries: (Adversary<M> | undefined)[];

  /**
   * @param ids - each node's id: the members, then the second copy of each twinned member
   * @param memberCount - number of members (default: every id is a member)
   */
  constructor(
    ids: readonly NodeId[],
    private readonly host: NodeTableHost<N, M, I, O, P, Op, Res>,
    memberCount: number = ids.length,
  ) {
    const n = ids.length;
    this.n = n;
    this.memberCount = memberCount;
    this.ids = ids;
    this.memberIds = memberCount === n ? ids : ids.slice(0, memberCount);
    this.labels = ids.map((id, i) => (i < memberCount ? id : `${id}'`));
    for (let i = 0; i < memberCount; i++) this.indexOf.set(ids[i] as NodeId, i);
    this.nodes = new Array<N | undefined>(n).fill(undefined);
    this.incarnation = new Int32Array(n);
    this.paused = new Int32Array(n);
    this.held = Array.from({ length: n }, () => []);
    this.skewRate = new Float64Array(n).fill(1);
    this.crashPoint = new Uint8Array(n);
    this.crashTorn = new Uint8Array(n);
    this.crashDownMs = new Float64Array(n);
    this.disks = Array.from({ length: n }, () => new SimulatedDisk());
    this.adversaries = new Array<Adversary<M> | undefined>(n).fill(undefined);
  }

  /**
   * @returns the index of node `id`, undefined for an id that is not a member. Small clusters scan
   * the ids: a protocol addresses peers by the very id strings it was given (an identity compare),
   * where a map would hash each one.
   */
  indexOfId(id: NodeId): number | undefined {
    const ids = this.ids;
    const members = this.memberCount;
    if (members <= 16) {
      for (let k = 0; k < members; k++) if (ids[k] === id) return k;
      return undefined;
    }
    return this.indexOf.get(id);
  }

  /**
   * Put custom adversaries in control of their nodes.
   * @throws {SynodError} code `usage` naming an id that is not a member
   */
  /** The index of a running member that believes it leads, or `undefined` (none, or the protocol has no leader). */
  leaderIndex(): number | undefined {
    const leads = this.host.target.leads;
    if (leads === undefined) return undefined;
    const index = this.nodes.findIndex((node, i) => i < this.memberCount && node !== undefined && leads.call(this.host.target, node));
    return index < 0 ? undefined : index;
  }

  setAdversaries(byId: Readonly<Record<NodeId, Adversary<unknown>>>): void {
    for (const [id, adversary] of Object.entries(byId)) {
      const i = this.indexOf.get(id);
      if (i === undefined) throw new SynodError("usage", `byzantine node ${id} is not a member (${this.ids.join(", ")})`);
      this.adversaries[i] = adversary as Adversary<M>;
      this.host.view.faulty.add(id);
    }
  }

  /**
   * Start node `i` from what its disk recovers. A recovery that accepts a corrupted record, or does
   * not report one, is a `StorageIntegrity` violation.
   */
  boot(i: number, fresh: boolean): void {
    const { target, counters, state, view } = this.host;
    const id = this.ids[i] as NodeId;
    const disk = this.disks[i] as SimulatedDisk;
    const { state: recovered, validLength, acceptedCorrupted, corruptedOnDisk } = disk.recover(target.recordCodec);
    if (recovered.tornTail) disk.truncate(validLength); // the storage contract: truncate a torn tail before appending
    if (acceptedCorrupted) state.fail("StorageIntegrity", `${id} recovered a corrupted record as if it were intact`, id);
    else if (corruptedOnDisk && recovered.corrupted === 0) {
      state.fail("StorageIntegrity", `${id}'s log holds a corrupted record that recovery did not report`, id);
    }
    if (recovered.corrupted > 0) counters.corruptionDetected++;
    if (recovered.tornTail) counters.tornTailsDetected++;
    let node: N;
    try {
      node = target.createNode({ id, members: this.memberIds, rng: this.host.root.fork(`${this.labels[i]}:${this.incarnation[i]}`), recovered });
    } catch (error) {
      return this.threw(i, fresh ? "createNode" : "createNode (restart)", error);
    }
    this.nodes[i] = node;
    if (i < this.memberCount) view.nodes.set(id, node);
    state.changed = i;
  }

  /** Crash node `i` (when up): its memory and held events are lost; it restarts after `downMs`. */
  crash(i: number, downMs: number): void {
    if (this.nodes[i] === undefined) return;
    const { counters, state, view, queue } = this.host;
    counters.crashes++;
    this.nodes[i] = undefined;
    if (i < this.memberCount) view.nodes.set(this.ids[i] as NodeId, undefined);
    this.crashPoint[i] = CrashPoint.None;
    (this.held[i] as unknown[]).length = 0;
    this.host.recorder?.crashed(i);
    const incarnation = ++this.incarnation[i]!;
    state.changed = i;
    queue.push(state.nowMs + downMs, EventKind.Restart, i, incarnation, null);
  }

  /** Boot node `i` again and schedule its first tick (at a random phase of the tick interval). */
  restart(i: number): void {
    const { counters, queue, channels, state, target, faultRng } = this.host;
    counters.restarts++;
    this.boot(i, false);
    queue.pushInOrder(channels.tick, state.nowMs + faultRng.float() * target.tickMs, EventKind.Tick, i, this.incarnation[i] as number, null);
  }

  /** Arm a crash inside node `i`'s next step that persists. */
  armCrash(i: number, mode: Exclude<CrashMode, "clean">, torn: boolean, downMs: number): void {
    this.crashPoint[i] = mode === "after-persist" ? CrashPoint.AfterPersist : CrashPoint.BeforeSync;
    this.crashTorn[i] = torn ? 1 : 0;
    this.crashDownMs[i] = downMs;
  }

  /** A node's method threw: a `NodeThrew` violation. */
  threw(i: number, where: string, error: unknown): void {
    const state = this.host.state;
    state.changed = i;
    state.fail("NodeThrew", `${this.ids[i]}.${where} threw: ${describeError(error)}`, this.ids[i]);
  }

  /** Pause node `i` (pauses stack). */
  pause(i: number): void {
    this.paused[i]!++;
  }

  /** End one pause of node `i`; at depth 0 its held events are queued again. */
  resume(i: number): void {
    if (--this.paused[i]! === 0) this.release(i);
  }

  /** Hold an event for a paused node (beyond {@link MAX_PAUSE_BUFFER} it is dropped, counted). @returns whether it is held */
  hold(i: number, event: HeldEvent<M, I>): boolean {
    const held = this.held[i] as HeldEvent<M, I>[];
    if (held.length >= MAX_PAUSE_BUFFER) {
      this.host.counters.droppedPauseOverflow++;
      return false;
    }
    held.push(event);
    return true;
  }

  /**
   * Healing: clocks at rate 1, no armed crash, no adversary (but the permanent ones), every pause ended (held events queued
   * again), every down member restarted (unless a violation was found: the run is stopping) and the
   * twins' second copies stopped for good.
   */
  healAll(): void {
    this.skewRate.fill(1);
    this.crashPoint.fill(CrashPoint.None);
    for (let i = 0; i < this.n; i++) if (this.adversaries[i]?.permanent !== true) this.adversaries[i] = undefined;
    for (let i = this.memberCount; i < this.n; i++) this.retire(i);
    for (let i = 0; i < this.memberCount; i++) {
      if (this.paused[i] !== 0) {
        this.paused[i] = 0;
        this.release(i);
      }
      if (this.nodes[i] === undefined && this.host.state.violation === undefined) this.restart(i);
    }
  }

  /** Stop a twin's second copy for good: its memory is dropped, and its pending ticks and restart are stale. */
  private retire(i: number): void {
    if (this.nodes[i] !== undefined) this.host.recorder?.crashed(i);
    this.nodes[i] = undefined;
    this.paused[i] = 0;
    (this.held[i] as unknown[]).length = 0;
    this.incarnation[i]!++;
  }

  /** Queue node `i`'s held events again, now, in the order they came. */
  private release(i: number): void {
    const { queue, state } = this.host;
    const held = this.held[i] as HeldEvent<M, I>[];
    this.host.recorder?.released(i, queue.pushed);
    for (const e of held) {
      if (e.kind === EventKind.Deliver) queue.push(state.nowMs, e.kind, e.from, e.to, e.message);
      else queue.push(state.nowMs, e.kind, e.node, e.invocationId, e.input);
    }
    held.length = 0;
    state.changed = i;
  }
}
