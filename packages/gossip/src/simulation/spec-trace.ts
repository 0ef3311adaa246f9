import type { NodeContext, NodeId, Step } from "@synod/core";
import type { GossipNode } from "../gossip-node.js";
import type { MemberState } from "../member-state.js";
import type { GossipMessage, GossipOutput, GossipRecord } from "../messages.js";
import { createGossipSimulation, type GossipTarget } from "./gossip-target.js";

/**
 * Trace validation of simulated SWIM runs against specs/gossip/Swim.tla (SwimTrace.tla; `pnpm specs
 * validate gossip`). Each honoured step of a member becomes the spec actions it takes, one per view
 * change or refutation it reports, in the order it reported them:
 *
 * | implementation (output of the step) | Swim.tla |
 * |---|---|
 * | `suspected`, cause `probe` (a probe period ended without an ack) | `Suspect(i, m)` |
 * | `failed`, cause `timeout` (a suspicion expired, no buddy ping acked) | `Timeout(i, m)` |
 * | `joined` / `updated` / `suspected`, cause `gossip` or `pushPull` | `Hear(i, m, c)` for some claim c made earlier |
 * | `refuted` (an accusation of i at or above its incarnation) | `Hear(i, i, c)`: i announces c.inc + 1 |
 * | a member restarted (recorded at the new instance's first honoured step) | `Crash(i)`, `Restart(i)` |
 *
 * (A claim heard: a piggybacked update, a sender's own `inc`, a push-pull entry; a death heard is a suspicion.)
 * Each line names the entry i holds of m after it (or i's new incarnation); the last line of a step
 * carries `post`, i's whole view of the others and its own incarnation, which the spec's must equal.
 * A step whose view or incarnation changed without a line gets a `Noop` line with `post` (the spec
 * then rejects it: a change it does not explain).
 *
 * Steps Swim.tla abstracts are counted (`abstracted`), not written: messages (probes, acks, indirect
 * probes, nacks, push-pull, Scuttlebutt: the spec's claims travel in any of them), Lifeguard's local
 * health, suspicion confirmations and buddy pings (timers and counters, no view change), adaptive
 * tuning, the key-value state. Steps it does not have are refused (a GossipSpecTraceError stops the
 * run): a graceful leave (`left`), corrupted storage (an incarnation may go back). A step lost in a
 * crash before its records were synced never happened (it is not recorded); after the sync, its
 * sends are lost like any message.
 */

/** An entry of a view as Swim.tla writes it. */
export interface SwimSpecEntry {
  readonly st: "alive" | "suspect" | "dead";
  readonly inc: number;
}

/** A member's state after a line: its own incarnation and its view of every other member. */
export interface SwimSpecPost {
  readonly inc: number;
  readonly view: Readonly<Record<string, SwimSpecEntry>>;
}

/** Names of the lines a SWIM trace holds (every one an action of Swim.tla; Noop a stutter). */
export type SwimSpecEventName = "Suspect" | "Timeout" | "Hear" | "Refute" | "Crash" | "Restart" | "Noop";

/** One line of a SWIM spec trace. */
export interface SwimSpecTraceEvent {
  readonly e: SwimSpecEventName;
  /** The member taking the step. */
  readonly i: string;
  /** Suspect, Timeout, Hear: the member whose entry changed. */
  readonly m?: string;
  /** Suspect, Timeout, Hear: the entry i holds of m after the step. */
  readonly st?: SwimSpecEntry["st"];
  /** The entry's incarnation; Refute and Restart: i's new incarnation. */
  readonly inc?: number;
  post?: SwimSpecPost;
  /** The simulator event (its trace line's `i`) the step belongs to. */
  readonly at: number;
}

/** The header line of a SWIM trace. */
export interface SwimSpecTraceHeader {
  readonly specTrace: "gossip";
  readonly version: 1;
  readonly seed: number;
  readonly nodes: readonly string[];
  readonly durationMs: number;
  readonly faults: string;
  /** The highest incarnation the trace reaches (the spec's MaxInc). */
  readonly maxInc: number;
}

/** Thrown when the run did something Swim.tla does not have (a leave, corrupted storage, …). */
export class GossipSpecTraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GossipSpecTraceError";
  }
}

/** Faults a validated SWIM run may have: delivery, clocks, pauses and crashes (Swim.tla has crash and restart). */
export const GOSSIP_SPEC_TRACE_FAULTS: readonly string[] = Object.freeze([
  ...["loss", "duplicate", "reorder", "delay", "partition"],
  ...["crash", "torn", "pause", "slow", "skew"],
]);

/** Faults a validated SWIM run refuses, and why. */
export const GOSSIP_SPEC_TRACE_EXCLUDED_FAULTS: Readonly<Record<string, string>> = Object.freeze({
  corrupt: "a member that recovers corrupted storage may restart below an incarnation it announced (Swim.tla's Restart goes one above)",
  byzantine: "a Byzantine member's forged claims are no claims any member made (the spec's members are honest)",
  buggify: "buggify injects faults into the Raft-style crash points gossip has not, and is not part of the validated configuration",
  "leader-crash": "gossip has no leader",
  "leader-stall": "gossip has no leader",
  "leader-island": "gossip has no leader",
});

/** @returns the simulation target a validated run uses: the default simulation configuration (`pnpm sim gossip`) */
export function gossipSpecTraceTarget(): GossipTarget {
  return createGossipSimulation();
}

type GossipStep = Step<GossipMessage, GossipOutput, GossipRecord>;

/** A step computed, waiting for the simulator to say whether its records were synced. */
interface PendingStep {
  readonly node: GossipNode;
  readonly id: string;
  readonly persisted: number;
  readonly lines: SwimSpecTraceEvent[];
  readonly sent: readonly string[];
  readonly outside: readonly string[];
}

const SPEC_STATE: Readonly<Record<MemberState, SwimSpecEntry["st"] | undefined>> = { alive: "alive", suspect: "suspect", dead: "dead", left: undefined };

/**
 * Records a simulated SWIM run as a trace of Swim.tla's actions (see the table above). It wraps
 * `tick` and `receive` of the members the target creates and reads the simulator's trace lines (a
 * crash before the sync loses a step); it draws no random number and changes nothing they do.
 *
 * Use: `const rec = new GossipSpecTraceRecorder(); runSimulation(rec.wrap(target), { trace: (l) => rec.onSimulatorLine(l), … }); rec.events`.
 */
export class GossipSpecTraceRecorder {
  private readonly list: SwimSpecTraceEvent[] = [];
  /** The spec's state of each member (its last recorded post), the instance it belongs to, and whether that instance took a recorded step. */
  private readonly side = new Map<string, { node: GossipNode; post: SwimSpecPost; stepped: boolean }>();
  /** Instances created but not yet stepped: their state at construction. */
  private readonly fresh = new Map<GossipNode, SwimSpecPost>();
  private readonly abstracted: Record<string, number> = {};
  private pending: PendingStep | undefined;
  private eventIndex = 0;
  private firstFailure: GossipSpecTraceError | undefined;

  /** The first step the recorder could not map (the simulator only reports a throw as NodeThrew): the caller must check it. */
  get failure(): GossipSpecTraceError | undefined {
    return this.firstFailure;
  }

  /** The trace's lines, in order (a step still waiting for its simulator line is settled first). */
  get events(): SwimSpecTraceEvent[] {
    this.settle(undefined);
    return this.list;
  }

  /** Implementation steps the spec abstracts, by kind (not lines of the trace). */
  get abstractedSteps(): Readonly<Record<string, number>> {
    return this.abstracted;
  }

  /** @returns the target whose members report their steps to this recorder */
  wrap(target: GossipTarget): GossipTarget {
    return {
      ...target,
      createNode: (ctx: NodeContext<GossipRecord>) => {
        const node = target.createNode(ctx);
        this.observe(node);
        return node;
      },
    };
  }

  /** The simulator's trace line of the event that just ran (JSON text): settles the step it caused. */
  onSimulatorLine(line: string): void {
    const event = JSON.parse(line) as { i?: number; changed?: string; persist?: number };
    if (event.i === undefined) return;
    this.settle(event);
    this.eventIndex = event.i + 1;
  }

  /** @returns how many lines of each name the trace holds */
  static counts(events: readonly SwimSpecTraceEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of events) counts[e.e] = (counts[e.e] ?? 0) + 1;
    return counts;
  }

  /** @returns the highest incarnation the events reach (the trace spec's MaxInc) */
  static maxInc(events: readonly SwimSpecTraceEvent[]): number {
    let max = 0;
    for (const e of events) {
      max = Math.max(max, e.inc ?? 0, e.post?.inc ?? 0);
      for (const entry of Object.values(e.post?.view ?? {})) max = Math.max(max, entry.inc);
    }
    return max;
  }

  private fail(message: string): GossipSpecTraceError {
    const error = new GossipSpecTraceError(message);
    this.firstFailure ??= error;
    return error;
  }

  private count(kind: string): void {
    this.abstracted[kind] = (this.abstracted[kind] ?? 0) + 1;
  }

  private observe(node: GossipNode): void {
    this.fresh.set(node, this.postOf(node));
    if (!this.side.has(node.id)) this.side.set(node.id, { node, post: this.postOf(node), stepped: false });
    const tick = node.tick.bind(node);
    const receive = node.receive.bind(node);
    node.tick = () => this.stepped(node, tick());
    // Requests (the simulation's key-value writes, made inside a tick) are not wrapped: their outputs are the tick's.
    node.receive = (from, message) => this.stepped(node, receive(from, message));
  }

  /** @returns `node`'s state as Swim.tla's variables hold it */
  private postOf(node: GossipNode): SwimSpecPost {
    const view: Record<string, SwimSpecEntry> = {};
    for (const member of node.members) {
      if (member === node.id) continue;
      const entry = node.viewOf(member);
      const st = entry === undefined ? undefined : SPEC_STATE[entry.state];
      if (entry === undefined || st === undefined) throw this.fail(`${node.id} holds ${member} ${entry?.state ?? "unknown"}: Swim.tla has no left state`);
      view[member] = { st, inc: entry.incarnation };
    }
    return { inc: node.incarnation, view };
  }

  private stepped(node: GossipNode, step: GossipStep): GossipStep {
    try {
      this.settle(undefined);
      this.pending = this.linesOf(node, step);
    } catch (error) {
      if (error instanceof GossipSpecTraceError) throw error;
      throw this.fail(`${node.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return step;
  }

  /** The lines of a step (not yet written: a crash before the sync may still undo it). */
  private linesOf(node: GossipNode, step: GossipStep): PendingStep {
    const id = node.id;
    const at = this.eventIndex;
    const lines: SwimSpecTraceEvent[] = [];
    const outside: string[] = [];
    for (const o of step.output) {
      switch (o.type) {
        case "refuted":
          lines.push({ e: "Refute", i: id, inc: o.incarnation, at });
          break;
        case "joined":
        case "updated":
        case "suspected":
        case "failed": {
          const st = o.type === "suspected" ? "suspect" : o.type === "failed" ? "dead" : "alive";
          const e: SwimSpecEventName = o.cause === "probe" ? "Suspect" : o.cause === "timeout" ? "Timeout" : "Hear";
          lines.push({ e, i: id, m: o.member, st, inc: o.incarnation, at });
          break;
        }
        case "left":
          throw this.fail(`${id} holds ${o.member} left (${o.cause}): Swim.tla has no graceful leave`);
        case "alarm":
          throw this.fail(`${id} raised an alarm (${o.reason}): corrupted storage is not validated`);
        default:
          outside.push(`output (${o.type})`);
      }
    }
    const post = this.postOf(node);
    const side = this.side.get(id);
    // An instance that never had a step honoured did nothing (not even persist its incarnation): the
    // next one takes its place, and only a restart after a recorded step is a Crash and a Restart.
    const restarted = side !== undefined && side.node !== node && side.stepped;
    const before = side?.node === node ? side.post : this.fresh.get(node);
    if (lines.length === 0 && before !== undefined && JSON.stringify(before) !== JSON.stringify(post)) lines.push({ e: "Noop", i: id, at });
    const last = lines[lines.length - 1];
    if (last !== undefined) last.post = post;
    if (restarted) {
      const start = this.fresh.get(node) as SwimSpecPost;
      lines.unshift({ e: "Crash", i: id, at }, { e: "Restart", i: id, inc: start.inc, post: start, at });
    }
    return { node, id, persisted: step.persist.length, lines, sent: step.send.map((s) => s.message.type), outside };
  }

  /** Write the pending step, unless the simulator line of its event says its records were lost. */
  private settle(event: { changed?: string; persist?: number } | undefined): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    // A crash before the sync lost the step's records (and its sends): as far as anyone can tell, it never happened.
    const node = p.node;
    if (event?.changed === p.id && (event.persist ?? 0) < p.persisted) {
      this.count("step lost in a crash before its sync");
      this.fresh.delete(node);
      return;
    }
    let post = this.side.get(p.id)?.post;
    for (const line of p.lines) post = line.post ?? post;
    this.side.set(p.id, { node, post: post ?? this.postOf(node), stepped: true });
    this.fresh.delete(node);
    for (const kind of p.sent) this.count(`message sent (${kind})`);
    for (const kind of p.outside) this.count(kind);
    if (p.lines.length === 0) this.count("step with no view change");
    this.list.push(...p.lines);
  }
}

/** @returns the ids of the members of a run of `n` (the simulator's naming) */
export function gossipSpecTraceNodes(n: number): NodeId[] {
  return Array.from({ length: n }, (_, k) => `n${k + 1}`);
}
