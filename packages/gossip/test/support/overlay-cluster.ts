import { createRng, FRESH_STATE, nodeIds, type Envelope, type NodeId, type Rng, type Step } from "@synod/core";
import type { OverlayConfig } from "../../src/overlay/config.js";
import type { OverlayMessage, OverlayOutput, OverlayRecord } from "../../src/overlay/messages.js";
import { OverlayNode } from "../../src/overlay/overlay-node.js";

type OverlayStep = Step<OverlayMessage, OverlayOutput, OverlayRecord>;

/** One line of a transcript: `n1 -> n2 gossip n1/1/0 r1`. */
export function describeEnvelope(e: Envelope<OverlayMessage>): string {
  const m = e.message;
  const head = `${e.from} -> ${e.to} ${m.type}`;
  switch (m.type) {
    case "forwardJoin":
      return `${head} ${m.joiner} ttl ${m.ttl}`;
    case "neighbor":
      return `${head} ${m.priority}`;
    case "neighborReply":
      return `${head} ${m.accepted ? "accepted" : "rejected"}`;
    case "shuffle":
      return `${head} from ${m.origin} ttl ${m.ttl} [${m.nodes.join(",")}]`;
    case "shuffleReply":
      return `${head} [${m.nodes.join(",")}]`;
    case "gossip":
    case "iHave":
    case "graft":
      return `${head} ${m.id.join("/")} r${m.round}`;
    default:
      return head;
  }
}

/**
 * A synchronous driver for overlay scenario tests: each tick, every up member ticks in order and what
 * it sends is delivered at once, breadth first, unless the link is cut, the receiver is down, or the
 * network's loss (`loss`, drawn from its own generator) drops it. Keeps a transcript of deliveries.
 */
export class OverlayCluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, OverlayNode>();
  readonly down = new Set<NodeId>();
  readonly cut = new Set<string>();
  readonly outputs = new Map<NodeId, OverlayOutput[]>();
  readonly records = new Map<NodeId, OverlayRecord[]>();
  /** Every message delivered, as a transcript line. */
  readonly transcript: string[] = [];
  /** Messages sent, by type. */
  readonly sentByType = new Map<string, number>();
  loss = 0;
  private readonly net: Rng;

  constructor(
    n: number,
    private readonly config: Partial<OverlayConfig> = {},
    private readonly seed = 1,
  ) {
    this.ids = nodeIds(n);
    this.net = createRng(seed).fork("network");
    for (const id of this.ids) this.start(id);
  }

  /** (Re)start `id` from what it persisted. */
  start(id: NodeId): OverlayNode {
    const again = this.nodes.has(id);
    const recovered = again ? { records: this.records.get(id) ?? [], corrupted: 0, tornTail: false } : FRESH_STATE;
    const node = new OverlayNode({ id, members: this.ids, rng: createRng(this.seed).fork(id).fork(again ? `again${this.records.get(id)?.length}` : "first"), recovered }, this.config);
    this.nodes.set(id, node);
    this.down.delete(id);
    return node;
  }

  node(id: NodeId): OverlayNode {
    return this.nodes.get(id) as OverlayNode;
  }

  /** Cut both directions between a and b. */
  partition(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}>${b}`);
    this.cut.add(`${b}>${a}`);
  }

  /** Run `ticks` rounds. */
  run(ticks: number): void {
    for (let t = 0; t < ticks; t++) for (const id of this.ids) if (!this.down.has(id)) this.apply(id, this.node(id).tick());
  }

  /** `id` broadcasts `payload`. */
  broadcast(id: NodeId, payload: string): void {
    this.apply(id, this.node(id).request({ type: "broadcast", payload }));
  }

  outputsOf(id: NodeId): OverlayOutput[] {
    return this.outputs.get(id) ?? [];
  }

  /** @returns the payloads `id` delivered, in order */
  deliveredBy(id: NodeId): string[] {
    return this.outputsOf(id).flatMap((o) => (o.type === "deliver" ? [o.payload] : []));
  }

  /** Live members. */
  live(): NodeId[] {
    return this.ids.filter((id) => !this.down.has(id));
  }

  /** @returns a problem of the live members' active views (one-sided link, a member down held, not connected), or undefined */
  overlayProblem(): string | undefined {
    const live = this.live();
    for (const id of live) {
      for (const peer of this.node(id).active) {
        if (this.down.has(peer)) return `${id} holds ${peer}, which is down`;
        if (!this.node(peer).active.includes(id)) return `${id} holds ${peer}, not the other way`;
      }
    }
    const seen = new Set<NodeId>(live.slice(0, 1));
    const stack = live.slice(0, 1);
    while (stack.length > 0) {
      for (const peer of this.node(stack.pop() as NodeId).active) if (!seen.has(peer)) seen.add(peer), stack.push(peer);
    }
    return seen.size === live.length ? undefined : `${seen.size} of ${live.length} live members connected`;
  }

  apply(id: NodeId, step: OverlayStep): void {
    const queue: Array<[NodeId, OverlayStep]> = [[id, step]];
    while (queue.length > 0) {
      const [at, s] = queue.shift() as [NodeId, OverlayStep];
      if (s.persist.length > 0) this.records.set(at, [...(this.records.get(at) ?? []), ...s.persist]);
      if (s.output.length > 0) this.outputs.set(at, [...this.outputsOf(at), ...s.output]);
      for (const envelope of s.send) {
        this.sentByType.set(envelope.message.type, (this.sentByType.get(envelope.message.type) ?? 0) + 1);
        if (this.down.has(envelope.to) || this.cut.has(`${envelope.from}>${envelope.to}`)) continue;
        if (this.loss > 0 && this.net.bool(this.loss)) continue;
        this.transcript.push(describeEnvelope(envelope));
        queue.push([envelope.to, this.node(envelope.to).receive(envelope.from, envelope.message)]);
      }
    }
  }
}
