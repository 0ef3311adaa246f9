import { createRng, FRESH_STATE, nodeIds, type Envelope, type NodeId, type RecoveredState } from "@synod/core";
import type { GossipConfig } from "../../src/config.js";
import { GossipNode } from "../../src/gossip-node.js";
import type { GossipMessage, GossipOutput, GossipRecord } from "../../src/messages.js";

/**
 * A tiny synchronous driver for scenario tests: every tick, each up node ticks in order and the
 * messages it sends are delivered at once (breadth first) unless a link is cut or a node is down.
 * Records every output and persisted record per node.
 */
export class TestCluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, GossipNode>();
  readonly down = new Set<NodeId>();
  readonly cut = new Set<string>();
  readonly outputs = new Map<NodeId, GossipOutput[]>();
  readonly records = new Map<NodeId, GossipRecord[]>();
  readonly sent: Envelope<GossipMessage>[] = [];

  constructor(
    n: number,
    private readonly config: Partial<GossipConfig> = {},
    private readonly seed = 1,
  ) {
    this.ids = nodeIds(n);
    for (const id of this.ids) this.start(id, FRESH_STATE);
  }

  /** (Re)start `id` from what it persisted. */
  start(id: NodeId, recovered: RecoveredState<GossipRecord> = { records: this.records.get(id) ?? [], corrupted: 0, tornTail: false }): GossipNode {
    const node = new GossipNode({ id, members: this.ids, rng: createRng(this.seed).fork(id).fork(this.nodes.has(id) ? "again" : "first"), recovered }, this.config);
    this.nodes.set(id, node);
    this.down.delete(id);
    return node;
  }

  node(id: NodeId): GossipNode {
    return this.nodes.get(id) as GossipNode;
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

  /** Hand `message` to `to` as if `from` sent it (a peer's claim, possibly forged). */
  inject(from: NodeId, to: NodeId, message: GossipMessage): void {
    this.apply(to, this.node(to).receive(from, message));
  }

  outputsOf(id: NodeId): GossipOutput[] {
    return this.outputs.get(id) ?? [];
  }

  apply(id: NodeId, step: { persist: readonly GossipRecord[]; send: readonly Envelope<GossipMessage>[]; output: readonly GossipOutput[] }): void {
    const queue: Array<[NodeId, typeof step]> = [[id, step]];
    while (queue.length > 0) {
      const [at, s] = queue.shift() as [NodeId, typeof step];
      this.records.set(at, [...(this.records.get(at) ?? []), ...s.persist]);
      this.outputs.set(at, [...this.outputsOf(at), ...s.output]);
      for (const envelope of s.send) {
        this.sent.push(envelope);
        if (this.down.has(envelope.to) || this.cut.has(`${envelope.from}>${envelope.to}`)) continue;
        queue.push([envelope.to, this.node(envelope.to).receive(envelope.from, envelope.message)]);
      }
    }
  }
}
