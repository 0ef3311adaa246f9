import { createRng, FRESH_STATE, nodeIds, type Envelope, type NodeId, type Step } from "@synod/core";
import { encodeKvCommand, type KvOp, type RaftRecord } from "@synod/raft";
import { ChainNode } from "../src/chain-node.js";
import type { ChainConfig } from "../src/config.js";
import type { ChainInput, ChainOutput } from "../src/io.js";
import type { ChainMessage } from "../src/messages.js";

/**
 * A deterministic in-memory cluster for transcript tests: messages wait in a FIFO until delivered,
 * nodes can be cut off (their traffic dropped both ways), crashed and restarted (a new incarnation,
 * recovering its Raft records), and everything a node outputs is kept.
 */
export class Cluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, ChainNode>();
  readonly queue: Envelope<ChainMessage>[] = [];
  readonly outputs = new Map<NodeId, ChainOutput[]>();
  private readonly disks = new Map<NodeId, RaftRecord[]>();
  private readonly down = new Set<NodeId>();
  private readonly cut = new Set<NodeId>();
  private incarnation = 0;
  /** Envelopes for which this returns false are dropped on delivery. */
  filter: (e: Envelope<ChainMessage>) => boolean = () => true;

  constructor(
    n = 3,
    private readonly config: Partial<ChainConfig> = {},
  ) {
    this.ids = nodeIds(n);
    for (const id of this.ids) this.start(id);
  }

  private start(id: NodeId): void {
    const records = this.disks.get(id) ?? [];
    const rng = createRng(7).fork(`${id}:${this.incarnation++}`);
    const recovered = records.length === 0 ? FRESH_STATE : { records, corrupted: 0, tornTail: false };
    this.nodes.set(id, new ChainNode({ ctx: { id, members: this.ids, rng, recovered }, config: this.config }));
    if (!this.outputs.has(id)) this.outputs.set(id, []);
  }

  node(id: NodeId): ChainNode {
    return this.nodes.get(id) as ChainNode;
  }

  private take(id: NodeId, step: Step<ChainMessage, ChainOutput, RaftRecord>): void {
    const disk = this.disks.get(id) ?? [];
    this.disks.set(id, step.compact === true ? [...step.persist] : [...disk, ...step.persist]);
    this.queue.push(...step.send);
    (this.outputs.get(id) as ChainOutput[]).push(...step.output);
  }

  /** Hand `input` to node `at`. */
  request(at: NodeId, input: ChainInput): void {
    this.take(at, this.node(at).request(input));
  }

  /** Client `client`'s write `op` (session sequence `seq`, also the tag) at node `at`. */
  write(at: NodeId, client: number, seq: number, op: KvOp): void {
    this.request(at, { type: "write", command: encodeKvCommand({ client, seq, op }), tag: seq });
  }

  /** Deliver queued messages (and what they cause) until none is left, or `max` deliveries. */
  deliverAll(max = 100_000): number {
    let delivered = 0;
    while (this.queue.length > 0 && delivered < max) {
      const e = this.queue.shift() as Envelope<ChainMessage>;
      if (!this.filter(e) || this.down.has(e.to) || this.cut.has(e.to) || this.cut.has(e.from)) continue;
      this.take(e.to, this.node(e.to).receive(e.from, e.message));
      delivered++;
    }
    return delivered;
  }

  /** Tick every live node `times` times, delivering after each round. */
  tick(times = 1): void {
    for (let t = 0; t < times; t++) {
      for (const id of this.ids) if (!this.down.has(id)) this.take(id, this.node(id).tick());
      this.deliverAll();
    }
  }

  /** Tick until `done` holds (at most `max` rounds). @returns whether it held */
  tickUntil(done: () => boolean, max = 2_000): boolean {
    for (let t = 0; t < max && !done(); t++) this.tick();
    return done();
  }

  /** Drop all of `id`'s traffic (both ways) until {@link heal}. */
  isolate(id: NodeId): void {
    this.cut.add(id);
  }

  /** Deliver `id`'s traffic again. */
  heal(id: NodeId): void {
    this.cut.delete(id);
  }

  /** Stop `id` (its volatile state is lost; its Raft records stay). */
  crash(id: NodeId): void {
    this.down.add(id);
  }

  /** Start `id` again as a new incarnation. */
  restart(id: NodeId): void {
    this.down.delete(id);
    this.start(id);
  }

  /** The chain order as node `id` knows it. */
  chainAt(id: NodeId): NodeId[] {
    return this.node(id).configuration.members.map((m) => m.id);
  }

  /** Outputs of `id` of one type. */
  outputsOf<T extends ChainOutput["type"]>(id: NodeId, type: T): Extract<ChainOutput, { type: T }>[] {
    return (this.outputs.get(id) as ChainOutput[]).filter((o): o is Extract<ChainOutput, { type: T }> => o.type === type);
  }

  /** The reply to request `tag` at `id`, if any. */
  replyTo(id: NodeId, tag: number): Extract<ChainOutput, { type: "reply" | "refused" }> | undefined {
    type Answer = Extract<ChainOutput, { type: "reply" | "refused" }>;
    return (this.outputs.get(id) as ChainOutput[]).find((o): o is Answer => (o.type === "reply" || o.type === "refused") && o.tag === tag);
  }

  /** Tick until every node knows a chain of all `n` members (the master adds them one by one). */
  formChain(): void {
    const full = (): boolean => this.ids.every((id) => this.down.has(id) || this.chainAt(id).length === this.ids.length - this.down.size);
    if (!this.tickUntil(() => full() && this.ids.every((id) => this.down.has(id) || this.node(id).synced))) throw new Error("the chain did not form");
  }
}
