import { createRng, FRESH_STATE, nodeIds, type Envelope, type NodeId, type Step } from "@synod/core";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import type { PbftConfig } from "../src/config.js";
import type { PbftInput, PbftOutput } from "../src/io.js";
import type { PbftKeys } from "../src/keys.js";
import type { PbftMessage } from "../src/messages.js";
import { PbftNode } from "../src/pbft-node.js";
import { pbftRecordCodec, type PbftRecord } from "../src/records.js";
import { KvService, type PbftService } from "../src/service.js";
import { requestStatement } from "../src/signing.js";
import { simulationKeys } from "../src/simulation/simulation-keys.js";

/**
 * A deterministic in-memory cluster for transcript tests: messages wait in a FIFO until delivered;
 * each replica's records go to its disk (synced before its messages are queued), encoded and
 * decoded by the record codec, so that a restart recovers exactly what was written.
 */
export class Cluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, PbftNode<KvResult>>();
  readonly queue: Envelope<PbftMessage>[] = [];
  /** Every envelope sent, in order (delivered, dropped or still queued). */
  readonly sent: Envelope<PbftMessage>[] = [];
  readonly outputs = new Map<NodeId, PbftOutput<KvResult>[]>();
  /** Each replica's durable records, as bytes. */
  readonly disks = new Map<NodeId, Uint8Array[]>();
  /** Envelopes for which this returns false are dropped on delivery. */
  filter: (e: Envelope<PbftMessage>) => boolean = () => true;
  private readonly rng = createRng(1);

  constructor(
    n = 4,
    private readonly config: Partial<PbftConfig> = {},
    private readonly serviceFor: (id: NodeId) => PbftService<KvResult> = () => new KvService(),
    private readonly keysFor: (id: NodeId, members: readonly NodeId[]) => PbftKeys = (id, members) => simulationKeys.keysFor(id, members),
  ) {
    this.ids = nodeIds(n);
    for (const id of this.ids) {
      this.disks.set(id, []);
      this.nodes.set(id, this.build(id, FRESH_STATE.records));
      this.outputs.set(id, []);
    }
  }

  private build(id: NodeId, records: readonly PbftRecord[], corrupted = 0): PbftNode<KvResult> {
    const recovered = { records, corrupted, tornTail: false };
    const ctx = { id, members: this.ids, rng: this.rng.fork(id), recovered };
    return new PbftNode({ ctx, keys: this.keysFor(id, this.ids), service: this.serviceFor(id), config: this.config });
  }

  node(id: NodeId): PbftNode<KvResult> {
    return this.nodes.get(id) as PbftNode<KvResult>;
  }

  /**
   * Crash `id` and start it again from its disk (messages already queued to it stay queued).
   * `amnesia`: from an empty disk instead (what a replica that persisted nothing would be);
   * `corrupted`: its storage reports that many corrupted records.
   */
  restart(id: NodeId, how: { amnesia?: boolean; corrupted?: number } = {}): void {
    const records = (how.amnesia === true ? [] : (this.disks.get(id) ?? [])).map((bytes) => {
      const decoded = pbftRecordCodec.decode(bytes);
      if (!decoded.ok) throw decoded.error;
      return decoded.value;
    });
    this.nodes.set(id, this.build(id, records, how.corrupted));
  }

  private take(id: NodeId, step: Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>): void {
    const disk = this.disks.get(id) as Uint8Array[];
    if (step.compact === true) disk.length = 0;
    for (const record of step.persist) disk.push(pbftRecordCodec.encode(record));
    this.queue.push(...step.send);
    this.sent.push(...step.send);
    (this.outputs.get(id) as PbftOutput<KvResult>[]).push(...step.output);
  }

  /** Client `client` invokes `op` with timestamp `timestamp` at replica `at` (`readOnly`: the client says it only reads). */
  invoke(at: NodeId, client: number, timestamp: number, op: KvOp, readOnly = false): void {
    const input = this.config.authentication === "macs" ? macInput(client, timestamp, op, this.ids) : signedInput(client, timestamp, op);
    this.take(at, this.node(at).request({ ...input, readOnly }));
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

/** @returns the input of a client's request authenticated with a MAC vector for `members` (`macs` mode) */
export function macInput(client: number, timestamp: number, op: KvOp, members: readonly NodeId[]): PbftInput {
  const command = encodeKvCommand({ client, seq: timestamp, op });
  const unsigned = { client, timestamp, command };
  return { type: "invoke", tag: timestamp, request: { ...unsigned, sig: simulationKeys.clientAuthenticator(client).authenticate(unsigned, members) } };
}
