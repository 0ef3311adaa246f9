import { SynodError, type ClientCompletion, type ClientModel, type HistoryEvent, type NodeId, type Rng } from "@synod/core";
import type { EventQueue } from "./event-queue.js";
import { EventKind } from "./event-kind.js";
import type { WorkloadOptions } from "./options.js";
import type { QueueChannels } from "./queue-channels.js";

interface PendingInvocation {
  readonly client: number;
  readonly node: number;
}

/**
 * Simulated clients: invoke operations on nodes, record the history (invoke / ok / fail / unknown,
 * virtual times), accept a completion only from the node the invocation went to and only while it
 * is pending, and turn timeouts into `unknown`. A client sends to the last node that redirected it,
 * else to a random live node; while two nodes believe they lead, a share of operations
 * (`staleRouting`) go to the one it was not redirected to (a deposed leader that does not know it yet).
 */
export class Workload<I, O, Op, Res> {
  private readonly pending = new Map<number, PendingInvocation>();
  private readonly redirect: Int32Array;
  private nextInvocationId = 0;
  /** Completions ignored: from another node, after a timeout, or unknown ids. */
  ignoredCompletions = 0;
  /** Open-loop arrivals skipped because `maxInFlight` invocations were pending. */
  skippedArrivals = 0;

  constructor(
    private readonly model: ClientModel<I, O, Op, Res>,
    private readonly options: WorkloadOptions,
    private readonly rng: Rng,
    private readonly queue: EventQueue,
    private readonly channels: QueueChannels,
    private readonly history: HistoryEvent<Op, Res>[],
    private readonly ids: readonly NodeId[],
    private readonly isLive: (node: number) => boolean,
    /** Whether a node believes it leads now (the target's `leads`), for stale routing. */
    private readonly leads: (node: number) => boolean = () => false,
  ) {
    this.redirect = new Int32Array(Math.max(1, options.clients)).fill(-1);
  }

  /** Schedule the first invocations. */
  start(): void {
    if (this.options.mode === "open") {
      if (this.options.ratePerSec > 0) this.queue.push(this.interArrivalMs(), EventKind.Client, -1, 0, null);
      return;
    }
    for (let c = 0; c < this.options.clients; c++) this.queue.push(this.rng.float() * this.options.thinkMaxMs, EventKind.Client, c, 0, null);
  }

  /** A `Client` event: a closed-loop client's turn, or an open-loop arrival. */
  onClientEvent(nowMs: number, client: number): void {
    if (client >= 0) {
      this.invoke(nowMs, client, client);
      return;
    }
    if (this.pending.size < this.options.maxInFlight) this.invoke(nowMs, this.nextInvocationId, 0);
    else this.skippedArrivals++;
    this.queue.push(nowMs + this.interArrivalMs(), EventKind.Client, -1, 0, null);
  }

  /** A node's output: maybe the completion of an invocation sent to that node. */
  onOutput(nowMs: number, node: number, output: O): void {
    const model = this.model;
    // With the model's shortcut, the completion is built only for an output that completes a
    // pending invocation at this node (every replica outputs every applied command).
    let completion: ClientCompletion<Res> | undefined;
    let id: number | undefined;
    if (model.completionId === undefined) {
      completion = model.completion(output);
      id = completion?.id;
    } else {
      id = model.completionId(output);
    }
    if (id === undefined) return;
    const invocation = this.pending.get(id);
    if (invocation === undefined || invocation.node !== node) {
      this.ignoredCompletions++;
      return;
    }
    completion ??= model.completion(output);
    if (completion === undefined) return;
    if (completion.id !== id) throw new SynodError("usage", `the client model's completionId (${id}) and completion (${completion.id}) name different invocations for the same output`);
    this.pending.delete(id);
    const { client } = invocation;
    if (completion.outcome === "ok") {
      this.history.push({ type: "ok", id: completion.id, client, timeMs: nowMs, result: completion.result });
    } else {
      this.history.push({ type: "fail", id: completion.id, client, timeMs: nowMs, reason: completion.reason });
      // Follow a redirect; a failure without one means "not here": forget the hint rather than
      // sticking to a node that keeps refusing (e.g. a halted one).
      this.redirect[this.hintSlot(client)] = completion.redirect === undefined ? -1 : this.ids.indexOf(completion.redirect);
    }
    this.next(nowMs, client);
  }

  /** A `Timeout` event: the invocation, if still pending, becomes `unknown`. */
  onTimeout(nowMs: number, id: number): void {
    const invocation = this.pending.get(id);
    if (invocation === undefined) return;
    this.pending.delete(id);
    this.history.push({ type: "unknown", id, client: invocation.client, timeMs: nowMs, reason: `no answer within ${this.model.timeoutMs} ms` });
    this.redirect[this.hintSlot(invocation.client)] = -1;
    this.next(nowMs, invocation.client);
  }

  private invoke(nowMs: number, client: number, hint: number): void {
    const op = this.model.nextOperation(this.rng, client);
    const id = this.nextInvocationId++;
    const node = this.staleRoute(hint) ?? this.chooseNode(hint);
    this.history.push({ type: "invoke", id, client, timeMs: nowMs, op, node: this.ids[node] as NodeId });
    this.pending.set(id, { client, node });
    const input = this.model.toRequest(op, { id, client, members: this.ids });
    this.queue.pushInOrder(this.channels.request, nowMs + this.options.requestLatencyMs, EventKind.Request, node, id, input);
    this.queue.pushInOrder(this.channels.timeout, nowMs + this.model.timeoutMs, EventKind.Timeout, id, 0, null);
  }

  private next(nowMs: number, client: number): void {
    if (this.options.mode === "closed") this.queue.push(nowMs + this.rng.float() * this.options.thinkMaxMs, EventKind.Client, client, 0, null);
  }

  private hintSlot(client: number): number {
    return this.options.mode === "closed" ? client : 0;
  }

  /**
   * Stale routing (`staleRouting`): while some live node other than the one the client was
   * redirected to believes it leads, with that probability, send `op` to such a node (drawn among
   * them) — a client with stale routing reaches a deposed leader that does not know it yet, after
   * writing at the new one. Nothing is drawn unless two or more nodes lead, so runs with one leader
   * at a time go as without it.
   * @returns the node, or undefined to send `op` where the client would anyway
   */
  private staleRoute(client: number): number | undefined {
    const p = this.options.staleRouting;
    if (p === 0 || this.model.followsLeader !== true) return undefined;
    const hinted = this.redirect[this.hintSlot(client)] as number;
    const others: number[] = [];
    let leaders = 0;
    for (let i = 0; i < this.ids.length; i++) {
      if (!this.isLive(i) || !this.leads(i)) continue;
      leaders++;
      if (i !== hinted) others.push(i);
    }
    // Only while two or more nodes lead (one leader is where the client may go anyway).
    if (leaders < 2 || others.length === 0) return undefined;
    if (!(this.rng.float() < p)) return undefined;
    return others.length === 1 ? others[0] : this.rng.pick(others);
  }

  private chooseNode(client: number): number {
    const hinted = this.redirect[this.hintSlot(client)] as number;
    if (hinted >= 0 && this.isLive(hinted)) return hinted;
    return this.randomLiveNode();
  }

  private randomLiveNode(): number {
    const n = this.ids.length;
    const start = this.rng.int(0, n);
    for (let k = 0; k < n; k++) {
      const candidate = (start + k) % n;
      if (this.isLive(candidate)) return candidate;
    }
    return start;
  }

  private interArrivalMs(): number {
    return (-Math.log(1 - this.rng.float()) * 1000) / this.options.ratePerSec;
  }
}
