import type { Envelope, NodeContext, Step } from "@synod/core";
import type { RaftInput, RaftOutput } from "../../io.js";
import type { RaftMessage } from "../../messages.js";
import type { RaftNode } from "../../raft-node.js";
import type { RaftRecord } from "../../records.js";
import type { RaftSimulationTarget } from "../raft-target.js";
import { type SpecEntry, type SpecEventName, type SpecMessage, type SpecTraceEvent } from "./spec-trace-event.js";
import { appendResponse, postOf, sameSnapshot, snapshotOf, specRequest, voteResponse, type NodeSnapshot } from "./spec-view.js";

type AnyNode = RaftNode<unknown>;
type RaftStep = Step<RaftMessage, RaftOutput<unknown>, RaftRecord>;

/** What a node was asked to do in a step. */
type StepInput =
  | { readonly kind: "tick" }
  | { readonly kind: "receive"; readonly from: string; readonly message: RaftMessage }
  | { readonly kind: "request"; readonly input: RaftInput };

/** The spec action that sends each kind of request. */
const SEND_EVENTS: Readonly<Partial<Record<RaftMessage["type"], SpecEventName>>> = {
  vote: "RequestVote",
  preVote: "RequestPreVote",
  heartbeat: "Heartbeat",
  append: "AppendEntries",
};

/** A step a node produced, waiting for the simulator to say how much of it was honoured. */
interface PendingStep {
  readonly node: AnyNode;
  readonly input: StepInput;
  readonly pre: NodeSnapshot;
  readonly step: RaftStep;
}

/** A message the implementation sent, with its spec form (null: a message the spec does not have). */
interface Sent {
  readonly spec: SpecMessage | null;
  /** Copies sent and not yet delivered (by our count). */
  inFlight: number;
  /** Position in `events` of the last delivery's first event (a duplicate is inserted before it). */
  lastDelivery: number;
}

/** Thrown when the run did something trace validation cannot map (a message kind the spec lacks, …). */
export class SpecTraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecTraceError";
  }
}

/** Stable text of a message (payload bytes as hex), the key under which copies of it are counted. */
function messageKey(from: string, to: string, m: RaftMessage): string {
  const text = JSON.stringify(m, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, "0")).join("") : v));
  return `${from}>${to} ${text}`;
}

/** The Raft.tla grant rule for a (pre-)vote request at a voter in state `pre` (used to name refusals the spec lacks). */
function specWouldGrant(pre: NodeSnapshot, from: string, m: Extract<RaftMessage, { type: "vote" | "preVote" }>): boolean {
  const last = pre.log[pre.log.length - 1];
  const lastTerm = last?.term ?? 0;
  const upToDate = m.lastTerm > lastTerm || (m.lastTerm === lastTerm && m.lastIndex >= pre.log.length);
  const free = pre.vote === "" || pre.vote === from;
  if (m.type === "vote") return m.term >= pre.term && upToDate && (m.term > pre.term || free);
  return upToDate && (m.term > pre.term || (m.term === pre.term && free));
}

/**
 * Records a simulated Raft run as a trace of spec-level events (spec-trace-event.ts) for trace
 * validation against specs/raft/Raft.tla (RaftTrace.tla). It observes each node's steps (it wraps
 * `tick`, `receive` and `request` of the nodes the target creates), and the simulator's trace lines
 * (how much of each step was honoured: a crash inside a step loses its records or its sends);
 * it draws no random number and changes nothing the nodes do, so the run is the one without it.
 *
 * Each implementation step becomes a sequence of spec steps: the handler of the message received (or
 * the timeout, the step-down), the entries the leader appended (one ClientRequest each), then one
 * event per message sent. The last event carries the node's state after the step.
 *
 * Use: `const rec = new SpecTraceRecorder(); runSimulation(rec.wrap(target), { trace: (l) => rec.onSimulatorLine(l), … }); rec.events`.
 */
export class SpecTraceRecorder {
  /** The spec events so far, in order. */
  private readonly list: SpecTraceEvent[] = [];
  /** Duplicates to insert before the event at a position (found when a second copy arrives). */
  private readonly insertions = new Map<number, SpecTraceEvent[]>();
  private readonly snapshots = new Map<string, NodeSnapshot>();
  private readonly pending = new Map<string, PendingStep>();
  private readonly sent = new Map<string, Sent>();
  private eventIndex = 0;
  private firstFailure: SpecTraceError | undefined;

  /**
   * The first failure thrown inside a node's method (two steps in one event, a step before creation),
   * which the simulator only reports as a `NodeThrew` violation before it stops: the caller must check
   * it (a truncated trace would otherwise validate).
   */
  get failure(): SpecTraceError | undefined {
    return this.firstFailure;
  }

  /**
   * @param target - the Raft simulation target to observe
   * @returns the same target whose nodes report their steps to this recorder
   */
  wrap(target: RaftSimulationTarget): RaftSimulationTarget {
    return {
      ...target,
      createNode: (ctx: NodeContext<RaftRecord>) => {
        const node = target.createNode(ctx);
        this.observe(node as AnyNode);
        return node;
      },
    };
  }

  /** The simulator's trace line of the event that just ran (JSON text): settles the step it caused. */
  onSimulatorLine(line: string): void {
    const event = JSON.parse(line) as { i?: number; changed?: string; persist?: number; send?: number };
    if (event.i === undefined) return;
    this.eventIndex = event.i + 1;
    if (event.changed === undefined) return;
    const pending = this.pending.get(event.changed);
    if (pending === undefined) return;
    this.pending.delete(event.changed);
    // A crash before the sync lost the step's records: as far as anyone can tell, it never happened.
    if ((event.persist ?? 0) < pending.step.persist.length) return;
    this.settle(pending, event.i);
  }

  /** The trace: every spec event, in order (duplications placed before the delivery they precede). */
  get events(): SpecTraceEvent[] {
    const out: SpecTraceEvent[] = [];
    this.list.forEach((e, k) => {
      out.push(...(this.insertions.get(k) ?? []), e);
    });
    return out;
  }

  /** @returns how many events of each name the trace holds */
  static counts(events: readonly SpecTraceEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of events) {
      counts[e.e] = (counts[e.e] ?? 0) + 1;
    }
    return counts;
  }

  /** @returns every value a log entry holds anywhere in the trace, sorted */
  static values(events: readonly SpecTraceEvent[]): string[] {
    const values = new Set<string>();
    const add = (entries: readonly SpecEntry[] | undefined): void => entries?.forEach((x) => values.add(x.value));
    for (const e of events) {
      if (e.value !== undefined) values.add(e.value);
      if (e.m?.mtype === "AppendEntriesRequest") add(e.m.mentries);
      add(e.post?.log);
    }
    return [...values].sort();
  }

  private observe(node: AnyNode): void {
    const id = node.id;
    const previous = this.snapshots.get(id);
    const now = snapshotOf(node);
    if (previous !== undefined) this.push({ e: "Restart", i: id, post: postOf(now, previous), at: this.eventIndex });
    this.snapshots.set(id, now);
    const tick = node.tick.bind(node);
    const receive = node.receive.bind(node);
    const request = node.request.bind(node);
    node.tick = () => this.stepped(node, { kind: "tick" }, tick);
    node.receive = (from, message) => this.stepped(node, { kind: "receive", from, message }, () => receive(from, message));
    node.request = (input) => this.stepped(node, { kind: "request", input }, () => request(input));
  }

  /** @returns a SpecTraceError for `message`, remembered as the first failure if it is one */
  private fail(message: string): SpecTraceError {
    const error = new SpecTraceError(message);
    this.firstFailure ??= error;
    return error;
  }

  private stepped(node: AnyNode, input: StepInput, run: () => RaftStep): RaftStep {
    const pre = this.snapshots.get(node.id);
    if (pre === undefined) throw this.fail(`${node.id} stepped before it was created`);
    if (this.pending.has(node.id)) throw this.fail(`${node.id} took two steps in one simulator event`);
    const step = run();
    this.pending.set(node.id, { node, input, pre, step });
    return step;
  }

  private push(event: SpecTraceEvent): number {
    this.list.push(event);
    return this.list.length - 1;
  }

  /** Remember a message sent (with its spec form) so that its delivery can be matched. */
  private remember(from: string, to: string, m: RaftMessage, spec: SpecMessage | null): void {
    const key = messageKey(from, to, m);
    const known = this.sent.get(key);
    if (known === undefined) this.sent.set(key, { spec, inFlight: 1, lastDelivery: -1 });
    else known.inFlight++;
  }

  /** Turn an honoured step into spec events. */
  private settle(p: PendingStep, at: number): void {
    const { node, input, pre, step } = p;
    const id = node.id;
    const post = snapshotOf(node);
    const events: SpecTraceEvent[] = [];
    const start = this.list.length;
    let reply: Envelope<RaftMessage> | undefined;
    if (input.kind === "receive") reply = this.received(id, input.from, input.message, pre, post, step, events, at);
    else if (input.kind === "tick") {
      const campaigns = step.send.some((s) => s.message.type === "vote" || s.message.type === "preVote");
      if (pre.role !== "Leader" && campaigns) events.push({ e: "Timeout", i: id, at });
      else if (pre.role === "Leader" && post.role === "Follower" && post.term === pre.term) events.push({ e: "StepDown", i: id, at });
    }
    // Entries a leader appended in this step (its own proposals, or the empty entry of a new term).
    if (post.role === "Leader" && post.log.length > pre.log.length) {
      for (const entry of post.log.slice(pre.log.length)) events.push({ e: "ClientRequest", i: id, value: entry.value, at });
    }
    for (const envelope of step.send) {
      if (envelope === reply) continue;
      const spec = specRequest(id, envelope.to, envelope.message, post.log);
      const e = SEND_EVENTS[envelope.message.type];
      if (spec === undefined || e === undefined) {
        const why = "not a request of Raft.tla (validated runs have no snapshots, transfers or membership changes)";
        throw new SpecTraceError(`${id} sent a ${envelope.message.type} message at event ${at}: ${why}`);
      }
      events.push({ e, i: id, j: envelope.to, m: spec, at });
      this.remember(id, envelope.to, envelope.message, spec);
    }
    if (events.length === 0 && !sameSnapshot(pre, post)) events.push({ e: "Noop", i: id, at });
    const last = events[events.length - 1];
    if (last !== undefined) last.post = postOf(post, pre);
    // The events after the last handler (entries appended, messages sent) change neither term, vote,
    // role nor commit index: the handler's line can already be held to them, so that a wrong step
    // is reported at the line that took it rather than at the step's last send.
    const handler = events.findLastIndex((e) => e.e !== "ClientRequest" && e.m?.msource !== id);
    const handled = events[handler];
    if (handled !== undefined && handled !== last) handled.post = { term: post.term, vote: post.vote, role: post.role, commit: post.commit };
    for (const e of events) this.push(e);
    if (input.kind === "receive") {
      const entry = this.sent.get(messageKey(input.from, id, input.message));
      if (entry !== undefined) entry.lastDelivery = start;
    }
    this.snapshots.set(id, post);
  }

  /**
   * The events of a delivery: the handler (or a drop, a refusal the spec lacks, a no-op for a message
   * the spec does not have), then a step-down of a (pre-)candidate that lost.
   * @returns the envelope that answered the message (already accounted for), if any
   */
  private received(
    id: string,
    from: string,
    m: RaftMessage,
    pre: NodeSnapshot,
    post: NodeSnapshot,
    step: RaftStep,
    events: SpecTraceEvent[],
    at: number,
  ): Envelope<RaftMessage> | undefined {
    const key = messageKey(from, id, m);
    const sent = this.sent.get(key);
    if (sent === undefined) throw new SpecTraceError(`${id} received a ${m.type} from ${from} at event ${at} that no recorded step sent`);
    if (sent.inFlight > 0) sent.inFlight--;
    else if (sent.spec !== null) {
      // A second copy: the network duplicated the message before the first copy arrived.
      const before = sent.lastDelivery >= 0 ? sent.lastDelivery : this.list.length;
      const list = this.insertions.get(before) ?? [];
      list.push({ e: "Duplicate", i: id, j: from, m: sent.spec, at });
      this.insertions.set(before, list);
    }
    const spec = sent.spec;
    if (spec === null) {
      events.push({ e: "Noop", i: id, j: from, at });
      return undefined;
    }
    const answers = (types: readonly string[]): Envelope<RaftMessage> | undefined => step.send.find((s) => s.to === from && types.includes(s.message.type));
    switch (m.type) {
      case "vote":
      case "preVote": {
        const answer = answers([m.type === "vote" ? "voteResponse" : "preVoteResponse"]);
        if (answer === undefined) {
          // Ignored under the leader lease (a higher term, not adopted): the spec's loss of the request.
          if (m.term > pre.term && post.term === pre.term) events.push({ e: "Drop", i: id, j: from, m: spec, at });
          else events.push({ e: "Receive", i: id, j: from, m: spec, at });
          return undefined;
        }
        const a = answer.message as Extract<RaftMessage, { type: "voteResponse" | "preVoteResponse" }>;
        const replySpec = voteResponse(m.type, id, from, a.term, a.granted);
        const refusedByRule = !a.granted && m.term <= pre.term && specWouldGrant(pre, from, m);
        events.push({ e: refusedByRule ? "RefuseVote" : "Receive", i: id, j: from, m: spec, reply: replySpec, at });
        this.remember(id, from, a, replySpec);
        return answer;
      }
      case "append":
      case "heartbeat": {
        const answer = answers(["appendResponse", "heartbeatResponse"]);
        const a = answer?.message;
        let replySpec: SpecMessage | null = null;
        let name: SpecEventName = "Receive";
        if (m.term < pre.term) {
          if (a !== undefined) replySpec = appendResponse(id, from, a.term, false, 0);
        } else if (a?.type === "heartbeatResponse") replySpec = appendResponse(id, from, a.term, true, m.type === "heartbeat" ? m.commit : 0);
        else if (a?.type === "appendResponse" && !a.reject) {
          if (m.type === "append" && m.prevIndex < pre.commit) name = "ReceiveBelowCommit";
          replySpec = appendResponse(id, from, a.term, true, a.index);
        }
        events.push(replySpec === null ? { e: name, i: id, j: from, m: spec, at } : { e: name, i: id, j: from, m: spec, reply: replySpec, at });
        if (answer !== undefined) this.remember(id, from, answer.message, replySpec);
        return answer;
      }
      default: {
        events.push({ e: "Receive", i: id, j: from, m: spec, at });
        const lost = (pre.role === "Candidate" || pre.role === "PreCandidate") && post.role === "Follower" && post.term === pre.term;
        if (lost && (m.type === "voteResponse" || m.type === "preVoteResponse")) events.push({ e: "StepDown", i: id, at });
        return undefined;
      }
    }
  }
}
