import { createRng, FRESH_STATE, nodeIds, type Envelope, type NodeId, type Step } from "@synod/core";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import type { PbftConfig } from "../src/config.js";
import type { PbftInput, PbftOutput } from "../src/io.js";
import type { PbftMessage } from "../src/messages.js";
import { PbftNode } from "../src/pbft-node.js";
import { KvService } from "../src/service.js";
import { requestStatement } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

/** A deterministic in-memory cluster for transcript tests: messages wait in a FIFO until delivered. */
export class Cluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, PbftNode<KvResult>>();
  readonly queue: Envelope<PbftMessage>[] = [];
  readonly outputs = new Map<NodeId, PbftOutput<KvResult>[]>();
  /** Envelopes for which this returns false are dropped on delivery. */
  filter: (e: Envelope<PbftMessage>) => boolean = () => true;

  constructor(n = 4, config: Partial<PbftConfig> = {}) {
    this.ids = nodeIds(n);
    const rng = createRng(1);
    for (const id of this.ids) {
      this.nodes.set(id, new PbftNode({ ctx: { id, members: this.ids, rng: rng.fork(id), recovered: FRESH_STATE }, keys: simulationKeys.keysFor(id, this.ids), service: new KvService(), config }));
      this.outputs.set(id, []);
    }
  }

  node(id: NodeId): PbftNode<KvResult> {
    return this.nodes.get(id) as PbftNode<KvResult>;
  }

  private take(id: NodeId, step: Step<PbftMessage, PbftOutput<KvResult>, never>): void {
    this.queue.push(...step.send);
    (this.outputs.get(id) as PbftOutput<KvResult>[]).push(...step.output);
  }

  /** Client `client` invokes `op` with timestamp `timestamp` at replica `at`. */
  invoke(at: NodeId, client: number, timestamp: number, op: KvOp): void {
    this.take(at, this.node(at).request(signedInput(client, timestamp, op)));
  }

  /** Deliver queued messages (and what they cause) until none is left, or `max` deliveries. */
  deliverAll(max = 100_000): number {
    let delivered = 0;
    while (this.queue.length > 0 && delivered < max) {
      const e = this.queue.shift() as Envelope<PbftMessage>;
      if (!this.filter(e)) continue;
      this.take(e.to, this.node(e.to).receive(e.from, e.message));
      delivered++;
    }
    return delivered;
  }

  /** Inject a message as if `from` sent it. */
  inject(from: NodeId, to: NodeId, message: PbftMessage): void {
    this.take(to, this.node(to).receive(from, message));
  }

  /** Tick every replica `times` times, delivering after each round. */
  tick(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const id of this.ids) this.take(id, this.node(id).tick());
      this.deliverAll();
    }
  }

  /** @returns the outputs of `type` at `id` */
  outputsOf<T extends PbftOutput<KvResult>["type"]>(id: NodeId, type: T): Extract<PbftOutput<KvResult>, { type: T }>[] {
    return (this.outputs.get(id) ?? []).filter((o): o is Extract<PbftOutput<KvResult>, { type: T }> => o.type === type);
  }
}

/** @returns the signed input of a client's request */
export function signedInput(client: number, timestamp: number, op: KvOp): PbftInput {
  const command = encodeKvCommand({ client, seq: timestamp, op });
  const unsigned = { client, timestamp, command };
  return { type: "invoke", tag: timestamp, request: { ...unsigned, sig: simulationKeys.provider.sign(simulationKeys.clientSecretKey(client), requestStatement(unsigned)) } };
}
