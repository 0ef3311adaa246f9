import type { NodeContext, Step } from "@synod/core";
import type { KvResult } from "@synod/raft";
import type { PbftConfig } from "../config.js";
import type { PbftInput, PbftOutput } from "../io.js";
import type { Checkpoint, Commit, NewView, PbftMessage, PrePrepare, Prepare, ViewChange } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";
import { createPbftSimulation, PBFT_SIM_CONFIG, type PbftSimulationTarget } from "./pbft-target.js";

/**
 * Trace validation of simulated PBFT runs against specs/pbft/PBFT.tla (PBFTTrace.tla; `pnpm specs
 * validate pbft`). Each implementation step of a correct replica becomes the spec actions it takes,
 * in the order it took them:
 *
 * | implementation | PBFT.tla |
 * |---|---|
 * | the primary sends a new pre-prepare (`propose`) | `SendPrePrepare(i, s, val)` |
 * | a backup accepts a pre-prepare (its own or one of a new-view's O set) and sends its prepare | `SendPrepare(i, s, val)` |
 * | prepared: the commit is sent | `SendCommit(i, s, val)` |
 * | a sequence number executes (the `committed` output; committed-local, in order) | `Commit(i, s, val)` |
 * | the timer, the slow-primary check, f+1 later view-changes or a replica ahead: view v | `StartViewChange(i, v)`, its certificates compared |
 * | the new primary sends the new-view | `SendNewView(i, Q)`, Q, min-s and the O set compared |
 * | a backup accepts a valid new-view | `EnterNewView(i, v)` |
 * | a checkpoint taken in the step that executes a multiple of K | part of `Commit` (the spec sends it there) |
 * | a checkpoint becomes stable on a quorum of matching checkpoints (garbage collection below it) | `Stabilize(i, s, d)`, d a checkpoint state sent |
 *
 * A restart of a correct replica (faults `crash`, `leader-crash`, `torn`, named: not in `all`) is a
 * `Restart` line, a stutter of PBFT.tla — everything the spec says of a replica is durable — whose
 * `post` is the recovered replica's state; a step a crash lost before its sync never happened (its
 * lines are dropped when the simulator's line of the event shows fewer records persisted).
 *
 * Steps PBFT.tla abstracts, counted (`abstracted …`) and not written as lines: a message sent again
 * (retransmission, a duplicate in one broadcast, the new-view shown to a replica still changing views,
 * a pre-prepare of the new-view's O set sent alone by the new primary:
 * `msgs` is a set, a second copy adds nothing), and the client protocol (requests, replies, read-only
 * requests: the spec's values are batches no client can forge), and misbehaviour evidence (evidence,
 * disputes and their acks: the spec has none). Steps it does not have are refused (a SpecTraceError
 * stops the run): a replica restarted halted, the `macs` mode. A state transfer (`stateTransferred`)
 * is `FetchState(i)`, and the sequence numbers up to it at which a correct replica executed a request
 * count in the replica's `ran` (the spec's state carries them). A stable checkpoint
 * reached by entering a new view is the new view's min-s (`EnterNewView`, `SendNewView` adopt it).
 *
 * Byzantine replicas (`byzantine`, the spec's Byz): their steps are not recorded — PBFT.tla takes every
 * message a Byzantine replica can sign as sent (`Sent`). What the correct replicas accepted from them
 * is: a new-view that names a Byzantine replica's view-change carries that view-change's certificates
 * (`byz`), and a replica that enters the view of a Byzantine primary records the new-view it accepted
 * (`nv`: every view-change it names with its certificates, and its O set), which PBFTTrace.tla checks
 * is one PBFT.tla's Byzantine primary can send (valid, from view-changes that were sent).
 *
 * Values: a batch is its digest (`d` and its first 8 bytes in hex), the empty batch the spec's Null
 * (`"null"`). Every line after which the replica's state is known carries `post`: its view, whether
 * it started it, how many sequence numbers it executed (the spec's committed[i] must be 1..that, and
 * executed[i] that), and at how many of them it executed a request, not skipping it as executed
 * already (the spec's Cardinality(ran[i])).
 */

/** A prepared certificate a view-change carries: sequence number, view, value. */
export interface PbftSpecCert {
  readonly s: number;
  readonly v: number;
  readonly val: string;
}

/** A replica's state after a line: view, started, executed (committed-local, in order), and at how many sequence numbers it executed a request. */
export interface PbftSpecPost {
  readonly view: number;
  readonly active: boolean;
  readonly executed: number;
  /** How many sequence numbers r executed at least one request at (an `execute` output): the spec's Cardinality(ran[i]). */
  readonly ran: number;
  /** Its stable checkpoint, the low water mark (the spec's stable[i].seq). */
  readonly stable: number;
}

/** A view-change as a line carries it: its sender, its stable checkpoint and its certificates. */
export interface PbftSpecViewChange {
  readonly i: string;
  readonly stable: number;
  readonly prep: readonly PbftSpecCert[];
}

/** A Byzantine primary's new-view as a correct replica accepted it: its sender, view-changes and O set. */
export interface PbftSpecNewView {
  readonly from: string;
  readonly vcs: readonly PbftSpecViewChange[];
  /** min-s: the stable checkpoint it starts from (its O set is for min + 1 .. min + Len(o)). */
  readonly min: number;
  readonly o: readonly string[];
}

/** Names of the lines a PBFT trace holds (every one an action of PBFT.tla, Noop a stutter). */
export type PbftSpecEventName =
  | "SendPrePrepare"
  | "SendPrepare"
  | "SendCommit"
  | "Commit"
  | "StartViewChange"
  | "SendNewView"
  | "EnterNewView"
  | "Stabilize"
  | "FetchState"
  | "Restart"
  | "Noop";

/** One line of a PBFT spec trace. */
export interface PbftSpecTraceEvent {
  readonly e: PbftSpecEventName;
  /** The replica taking the step. */
  readonly i: string;
  /** The view of the message sent (the view entered for StartViewChange, SendNewView and EnterNewView). */
  readonly v?: number;
  readonly s?: number;
  readonly val?: string;
  /** StartViewChange: the certificates of the view-change, by sequence number. */
  readonly prep?: readonly PbftSpecCert[];
  /** StartViewChange: the stable checkpoint the view-change names. */
  readonly stable?: number;
  /** SendNewView: min-s, the stable checkpoint the new view starts from. */
  readonly min?: number;
  /** SendNewView: the senders of the view-changes it is built from. */
  readonly vcs?: readonly string[];
  /** SendNewView: the values it assigns to sequence numbers min + 1 .. min + Len(o) (its O set). */
  readonly o?: readonly string[];
  /** SendNewView: the view-changes of Byzantine senders among `vcs`, with their certificates (not in the spec's msgs). */
  readonly byz?: readonly PbftSpecViewChange[];
  /** EnterNewView: the new-view of a Byzantine primary the replica accepted. */
  readonly nv?: PbftSpecNewView;
  post?: PbftSpecPost;
  /** The simulator event (its trace line's `i`) the step belongs to. */
  readonly at: number;
}

/** The header line of a PBFT trace. */
export interface PbftSpecTraceHeader {
  readonly specTrace: "pbft";
  readonly version: 1;
  readonly seed: number;
  /** The replicas in primary order. */
  readonly nodes: readonly string[];
  readonly f: number;
  readonly durationMs: number;
  readonly faults: string;
  /** The Byzantine replicas (the spec's Byz), with the strategy each ran; none in an honest run. */
  readonly byzantine: Readonly<Record<string, string>>;
  /** Every client batch's value in the trace (the spec's Requests). */
  readonly requests: readonly string[];
  readonly maxSeq: number;
  readonly maxView: number;
  /** The run's checkpoint interval (the spec's K) and log window (L). */
  readonly checkpointInterval: number;
  readonly windowSize: number;
}

/** Thrown when the run did something PBFT.tla does not have (a checkpoint, a crash, …). */
export class PbftSpecTraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PbftSpecTraceError";
  }
}

/** Faults a validated PBFT run may have: they act on delivery and clocks, which the spec leaves free. */
export const PBFT_SPEC_TRACE_FAULTS: readonly string[] = Object.freeze(["loss", "duplicate", "reorder", "delay", "partition", "slow", "skew", "leader-stall"]);

/**
 * Crashes a validated PBFT run may have when named (not in `all`, whose runs and figures predate them):
 * a restart is a Restart line, a stutter of PBFT.tla (everything the spec says of a replica is durable),
 * the recovered replica compared with the spec's state; a step a crash lost before its sync never happened.
 */
export const PBFT_SPEC_TRACE_CRASH_FAULTS: readonly string[] = Object.freeze(["crash", "leader-crash", "torn"]);

/** Faults a validated PBFT run refuses, and why. */
export const PBFT_SPEC_TRACE_EXCLUDED_FAULTS: Readonly<Record<string, string>> = Object.freeze({
  buggify: "not tried against PBFT.tla (name crash, leader-crash or torn for restarts)",
  corrupt: "a replica that finds corrupted storage halts, a state PBFT.tla does not have",
  pause: "a resumed replica handles the events it held in one simulator event",
  byzantine:
    "the swarm's byzantine episodes run generic strategies on a random replica for a while; " +
    "use --byzantine K (PBFT's strategies, the faulty replicas fixed for the run: the spec's Byz)",
});

/** @returns the replica configuration of a validated run: the simulator's (its checkpoint interval and window too), signatures */
export function pbftSpecTraceConfig(): Partial<PbftConfig> {
  return { ...PBFT_SIM_CONFIG, authentication: "signatures", readOnly: false };
}

/** @returns the simulation target a validated run uses (the recorder wraps it) */
export function pbftSpecTraceTarget(): PbftSimulationTarget {
  return createPbftSimulation(pbftSpecTraceConfig());
}

type AnyNode = PbftNode<KvResult>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

/** What the spec's variables say of a replica (view[i], active[i]), as the recorder has told it. */
interface SpecSide {
  view: number;
  active: boolean;
  executed: number;
  /** The sequence numbers at which the replica executed a request (not skipped, not the empty batch). */
  readonly ran: Set<number>;
  /** Its stable checkpoint (stable[i].seq). */
  stable: number;
}

/** The messages PBFT.tla has (the others are state transfer, evidence and the client protocol). */
type SpecMessage = PrePrepare | Prepare | Commit | ViewChange | NewView | Checkpoint;
const isSpecMessage = (m: PbftMessage): m is SpecMessage =>
  m.type === "prePrepare" || m.type === "prepare" || m.type === "commit" || m.type === "viewChange" || m.type === "newView" || m.type === "checkpoint";

const hex = (bytes: Uint8Array): string => Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Records a simulated PBFT run as a trace of PBFT.tla's actions (see the table above). It wraps
 * `tick`, `receive` and `request` of the replicas the target creates, draws no random number and
 * changes nothing they do.
 *
 * Use: `const rec = new PbftSpecTraceRecorder(); runSimulation(rec.wrap(target), { trace: (l) => rec.onSimulatorLine(l), … }); rec.events`.
 */
export class PbftSpecTraceRecorder {
  /** @param byzantine - the Byzantine replicas (the spec's Byz): their own steps are not recorded */
  constructor(private readonly byzantine: ReadonlySet<string> = new Set()) {}

  private readonly list: PbftSpecTraceEvent[] = [];
  private readonly side = new Map<string, SpecSide>();
  /** Every message sent so far (its spec form's key): a second copy is a retransmission. */
  private readonly sent = new Set<string>();
  /** Digests of the empty batch (the spec's Null), learnt from the pre-prepares that carry it. */
  private readonly nullDigests = new Set<string>();
  private readonly abstracted: Record<string, number> = {};
  /** The sequence numbers at which some correct replica executed a request (a transferred state ran them). */
  private readonly ranAnywhere = new Set<number>();
  private eventIndex = 0;
  /** The last step recorded, written when its simulator line shows it was not lost in a crash. */
  private pending: { id: string; lines: PbftSpecTraceEvent[]; keys: string[]; before: SpecSide; persisted: number } | undefined;
  /** The messages the step being recorded sent first (their keys). */
  private stepKeys: string[] = [];
  private firstFailure: PbftSpecTraceError | undefined;

  /** The first step the recorder could not map (the simulator only reports a throw as NodeThrew): the caller must check it. */
  get failure(): PbftSpecTraceError | undefined {
    return this.firstFailure;
  }

  /** The trace's lines, in order. */
  get events(): PbftSpecTraceEvent[] {
    this.flush(undefined);
    return this.list;
  }

  /** Implementation steps the spec abstracts, by kind (not lines of the trace). */
  get abstractedSteps(): Readonly<Record<string, number>> {
    return this.abstracted;
  }

  /** @returns the target whose replicas report their steps to this recorder */
  wrap(target: PbftSimulationTarget): PbftSimulationTarget {
    return {
      ...target,
      createNode: (ctx: NodeContext<PbftRecord>) => {
        const node = target.createNode(ctx);
        if (!this.byzantine.has(ctx.id)) this.observe(node);
        return node;
      },
    };
  }

  /** The simulator's trace line of the event that just ran (JSON text): its index goes on the lines of the next step. */
  onSimulatorLine(line: string): void {
    const event = JSON.parse(line) as { i?: number; changed?: string; persist?: number };
    if (event.i === undefined) return;
    this.flush(event);
    this.eventIndex = event.i + 1;
  }

  /** @returns how many lines of each name the trace holds */
  static counts(events: readonly PbftSpecTraceEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of events) counts[e.e] = (counts[e.e] ?? 0) + 1;
    return counts;
  }

  /** @returns the constants of the trace spec the events determine: client batches, highest sequence number and view */
  static bounds(events: readonly PbftSpecTraceEvent[]): { requests: string[]; maxSeq: number; maxView: number } {
    const requests = new Set<string>();
    let maxSeq = 1;
    let maxView = 0;
    const value = (val: string | undefined): void => {
      if (val !== undefined && val !== "null") requests.add(val);
    };
    for (const e of events) {
      const vcs = [...(e.byz ?? []), ...(e.nv?.vcs ?? [])];
      const certs = [...(e.prep ?? []), ...vcs.flatMap((vc) => vc.prep)];
      value(e.val);
      e.o?.forEach(value);
      e.nv?.o.forEach(value);
      certs.forEach((c) => value(c.val));
      const stables = [e.stable ?? 0, e.post?.stable ?? 0, ...vcs.map((vc) => vc.stable)];
      const ends = [(e.min ?? 0) + (e.o?.length ?? 0), e.nv === undefined ? 0 : e.nv.min + e.nv.o.length];
      maxSeq = Math.max(maxSeq, e.s ?? 0, ...ends, ...stables, e.post?.executed ?? 0, ...certs.map((c) => c.s));
      maxView = Math.max(maxView, e.v ?? 0, e.post?.view ?? 0, ...certs.map((c) => c.v));
    }
    return { requests: [...requests].sort(), maxSeq, maxView };
  }

  private fail(message: string): PbftSpecTraceError {
    const error = new PbftSpecTraceError(message);
    this.firstFailure ??= error;
    return error;
  }

  private observe(node: AnyNode): void {
    const before = this.side.get(node.id);
    if (before !== undefined) this.restarted(node, before);
    else this.side.set(node.id, { view: node.view, active: node.viewActive, executed: node.lastExecuted, ran: new Set(), stable: node.stableCheckpoint });
    const tick = node.tick.bind(node);
    const receive = node.receive.bind(node);
    const request = node.request.bind(node);
    node.tick = () => this.stepped(node, undefined, tick());
    node.receive = (from, message) => this.stepped(node, message, receive(from, message));
    node.request = (input: PbftInput) => this.stepped(node, undefined, request(input));
  }

  /**
   * A correct replica restarted from its durable records: a Restart line (a stutter of PBFT.tla, whose
   * variables a restart must not change: everything the spec says of a replica is durable) with the
   * recovered replica's view, started flag and executed prefix as its `post`.
   */
  private restarted(node: AnyNode, side: SpecSide): void {
    if (node.halted) throw this.fail(`${node.id} restarted halted: PBFT.tla has no such state`);
    this.flush(undefined);
    const post: PbftSpecPost = { view: node.view, active: node.viewActive, executed: node.lastExecuted, ran: side.ran.size, stable: node.stableCheckpoint };
    this.list.push({ e: "Restart", i: node.id, at: this.eventIndex, post });
    side.view = post.view;
    side.active = post.active;
    side.executed = post.executed;
    side.stable = post.stable;
  }

  private count(kind: string): void {
    this.abstracted[kind] = (this.abstracted[kind] ?? 0) + 1;
  }

  /** The spec's value of a batch digest. */
  private valOf(digest: Uint8Array): string {
    const key = hex(digest);
    return this.nullDigests.has(key) ? "null" : `d${key}`;
  }

  private learn(pp: PrePrepare): void {
    if (pp.requests.length === 0) this.nullDigests.add(hex(pp.digest));
  }

  private stepped(node: AnyNode, received: PbftMessage | undefined, step: PbftStep): PbftStep {
    try {
      this.flush(undefined); // a step of the same simulator event (its line comes after both)
      this.record(node, received, step);
    } catch (error) {
      if (error instanceof PbftSpecTraceError) throw error;
      throw this.fail(`${node.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return step;
  }

  private record(node: AnyNode, received: PbftMessage | undefined, step: PbftStep): void {
    const id = node.id;
    const side = this.side.get(id);
    if (side === undefined) throw this.fail(`${id} stepped before it was created`);
    const before = { ...side };
    const ranBefore = new Set(side.ran);
    this.stepKeys = [];
    const at = this.eventIndex;
    const out: PbftSpecTraceEvent[] = [];
    if (received?.type === "prePrepare") this.learn(received);
    if (received?.type === "newView") received.prePrepares.forEach((pp) => this.learn(pp));
    const enter = (view: number): void => {
      if (side.view === view && side.active) return;
      if (received?.type !== "newView" || received.view !== view) return; // no new-view: TLC will say what is wrong
      const nv = this.byzantine.has(received.replica) ? { nv: this.newViewOf(received) } : {};
      out.push({ e: "EnterNewView", i: id, v: view, ...nv, at });
      side.view = view;
      side.active = true;
    };
    const checkpoints: number[] = [];
    for (const envelope of step.send) {
      const m = this.newSpecMessage(id, envelope.message);
      switch (m?.type) {
        case "checkpoint":
          checkpoints.push(m.seq); // sent by the Commit line that executes m.seq (checked below)
          break;
        case "viewChange":
          out.push({ e: "StartViewChange", i: id, v: m.view, stable: m.stableSeq, prep: this.certsOf(m), at });
          side.view = m.view;
          side.active = false;
          break;
        case "newView":
          out.push(this.sendNewView(id, m, at));
          side.active = true;
          break;
        case "prePrepare":
          this.learn(m);
          out.push({ e: "SendPrePrepare", i: id, v: m.view, s: m.seq, val: this.valOf(m.digest), at });
          break;
        case "prepare":
          enter(m.view);
          out.push({ e: "SendPrepare", i: id, v: m.view, s: m.seq, val: this.valOf(m.digest), at });
          break;
        case "commit":
          enter(m.view);
          out.push({ e: "SendCommit", i: id, v: m.view, s: m.seq, val: this.valOf(m.digest), at });
          break;
      }
    }
    if (node.viewActive && node.view > 0) enter(node.view);
    this.commits(id, step, out, at, side.ran);
    for (const seq of checkpoints) {
      if (out.some((e) => e.e === "Commit" && e.s === seq)) continue;
      throw this.fail(`${id} sent its checkpoint at ${seq} in a step that did not execute ${seq}: PBFT.tla sends it in Commit`);
    }
    this.stabilized(id, node.stableCheckpoint, side, out, at);
    side.executed = node.lastExecuted;
    const post: PbftSpecPost = { view: node.view, active: node.viewActive, executed: node.lastExecuted, ran: side.ran.size, stable: node.stableCheckpoint };
    const changed = before.view !== post.view || before.active !== post.active || before.executed !== post.executed || before.stable !== post.stable;
    if (out.length === 0 && changed) out.push({ e: "Noop", i: id, at });
    const last = out[out.length - 1];
    if (last !== undefined) last.post = post;
    this.pending = { id, lines: out, keys: this.stepKeys, before: { ...before, ran: ranBefore }, persisted: step.persist.length };
  }

  /**
   * The step made checkpoint `stable` stable (above the one the spec has for `id`). Entering a new view
   * adopts the new view's min-s (`EnterNewView`, `SendNewView`: no line of its own); otherwise it is a
   * `Stabilize` line, after the `Commit` whose checkpoint completed the quorum (before the pre-prepares
   * the moved window lets the primary send), or first when a peer's checkpoint did.
   */
  private stabilized(id: string, stable: number, side: SpecSide, out: PbftSpecTraceEvent[], at: number): void {
    if (stable === side.stable) return;
    if (stable < side.stable) throw this.fail(`${id}'s stable checkpoint went back from ${side.stable} to ${stable}`);
    side.stable = stable;
    if (out.some((e) => e.e === "SendNewView" || e.e === "EnterNewView")) return;
    const own = out.findIndex((e) => e.e === "Commit" && e.s === stable);
    out.splice(own + 1, 0, { e: "Stabilize", i: id, s: stable, at });
  }

  /** Note a message as sent by the step being recorded (taken back if a crash loses the step). */
  private markSent(key: string): void {
    this.sent.add(key);
    this.stepKeys.push(key);
  }

  /**
   * Write the pending step's lines, unless the simulator line of its event says a crash before the
   * sync lost its records (and with them its sends and outputs): as far as anyone can tell it never
   * happened, so its lines are dropped and the replica's spec state is what it was before it.
   */
  private flush(event: { readonly changed?: string; readonly persist?: number } | undefined): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    if (event?.changed === p.id && (event.persist ?? 0) < p.persisted) {
      for (const key of p.keys) this.sent.delete(key);
      this.side.set(p.id, p.before);
      this.count("step lost in a crash before its sync");
      return;
    }
    this.list.push(...p.lines);
  }

  /**
   * @returns `m` when it is a message PBFT.tla has that `id` sends for the first time (noted as sent);
   *   undefined for what the spec abstracts (counted): a copy sent again, a Byzantine replica's message
   *   passed on, the client protocol, misbehaviour evidence
   * @throws {PbftSpecTraceError} for state transfer, or a correct replica's message no one sent
   */
  private newSpecMessage(id: string, m: PbftMessage): SpecMessage | undefined {
    const key = this.keyOf(m);
    if (key === undefined || !isSpecMessage(m)) {
      if (m.type === "fetchState" || m.type === "state") {
        this.count(`state transfer (${m.type})`); // the installing replica's step is FetchState
        return undefined;
      }
      const evidence = m.type === "evidence" || m.type === "dispute" || m.type === "disputeAck";
      this.count(evidence ? `misbehaviour evidence (${m.type})` : `client protocol (${m.type})`);
      return undefined;
    }
    if (this.sent.has(key)) {
      this.count(`sent again (${m.type})`);
      return undefined;
    }
    if (m.replica !== id) {
      // Another replica's message passed on (an active replica shows the new-view it started to one still changing views).
      if (!this.byzantine.has(m.replica)) throw this.fail(`${id} passed on ${key}, which ${m.replica} never sent`);
      this.count(`passed on from a Byzantine replica (${m.type})`);
      return undefined;
    }
    this.markSent(key);
    return m;
  }

  /** The SendNewView line of `id`'s new-view: the senders it names, its O set, and the Byzantine senders' certificates. */
  private sendNewView(id: string, m: NewView, at: number): PbftSpecTraceEvent {
    const min = this.minSOf(m);
    m.prePrepares.forEach((pp) => {
      this.learn(pp);
      // The O set's pre-prepares are sent in the new-view: the primary re-sending one alone sends it again.
      this.markSent(this.keyOf(pp) as string);
    });
    const faulty = m.viewChanges.filter((vc) => this.byzantine.has(vc.replica));
    const byz = faulty.length === 0 ? {} : { byz: faulty.map((vc) => ({ i: vc.replica, stable: vc.stableSeq, prep: this.certsOf(vc) })) };
    const o = m.prePrepares.map((pp) => this.valOf(pp.digest));
    return { e: "SendNewView", i: id, v: m.view, vcs: m.viewChanges.map((vc) => vc.replica), min, o, ...byz, at };
  }

  /** min-s of a new-view (the highest stable checkpoint its view-changes name), its O set checked to run on from there. */
  private minSOf(nv: NewView): number {
    const min = Math.max(0, ...nv.viewChanges.map((vc) => vc.stableSeq));
    nv.prePrepares.forEach((pp, k) => {
      if (pp.seq === min + k + 1) return;
      throw this.fail(`${nv.replica}'s new-view for view ${nv.view} has ${pp.seq} at place ${k + 1} of its O set, which starts after min-s ${min}`);
    });
    return min;
  }

  /** Commit lines for the sequence numbers executed in the step: after the step's own commit for it, else first; `ran` gains those a request executed at. */
  private commits(id: string, step: PbftStep, out: PbftSpecTraceEvent[], at: number, ran: Set<number>): void {
    let front = 0;
    for (const o of step.output) {
      if (o.type === "stateTransferred") {
        out.splice(front++, 0, { e: "FetchState", i: id, at });
        for (const seq of this.ranAnywhere) if (seq <= o.seq) ran.add(seq);
      }
      if (o.type === "execute") {
        ran.add(o.seq);
        this.ranAnywhere.add(o.seq);
      }
      if (o.type !== "committed") continue;
      const line: PbftSpecTraceEvent = { e: "Commit", i: id, v: o.view, s: o.seq, val: this.valOf(o.digest), at };
      const own = out.findIndex((e) => e.e === "SendCommit" && e.s === o.seq && e.v === o.view);
      if (own >= 0) out.splice(own + 1, 0, line);
      else out.splice(front++, 0, line);
    }
  }

  /** A Byzantine primary's new-view, as the spec's record: its view-changes with their certificates, its O set. */
  private newViewOf(nv: NewView): PbftSpecNewView {
    const min = this.minSOf(nv);
    const vcs = nv.viewChanges.map((vc) => ({ i: vc.replica, stable: vc.stableSeq, prep: this.certsOf(vc) }));
    return { from: nv.replica, vcs, min, o: nv.prePrepares.map((pp) => this.valOf(pp.digest)) };
  }

  /** The certificates of a view-change, as the spec's prep (sequence number, view, value). */
  private certsOf(vc: ViewChange): PbftSpecCert[] {
    if (vc.preparedClaims.length > 0 || vc.prePrepared.length > 0) throw this.fail("a view-change with claims (macs mode): PBFT.tla models signatures");
    return vc.prepared.map((c) => {
      this.learn(c.prePrepare);
      return { s: c.prePrepare.seq, v: c.prePrepare.view, val: this.valOf(c.prePrepare.digest) };
    });
  }

  /** The key of a protocol message PBFT.tla has (undefined: state transfer, evidence and the client protocol). */
  private keyOf(m: PbftMessage): string | undefined {
    switch (m.type) {
      case "prePrepare":
      case "prepare":
      case "commit":
        return `${m.type} ${m.replica} ${m.view} ${m.seq} ${hex(m.digest)}`;
      case "viewChange":
        return `viewChange ${m.replica} ${m.view}`;
      case "newView":
        return `newView ${m.replica} ${m.view}`;
      case "checkpoint":
        return `checkpoint ${m.replica} ${m.seq} ${hex(m.stateDigest)}`;
      default:
        return undefined;
    }
  }
}
