import { createRng, frameRecord, readDurableLog, type Envelope, type NodeId, type Rng, type Step } from "@synod/core";
import type { RaftConfig } from "../../src/config.js";
import type { ConfState } from "../../src/conf-state.js";
import type { RaftInput, RaftOutput } from "../../src/io.js";
import type { KvReply } from "../../src/kv/kv-command.js";
import { KvStateMachine } from "../../src/kv/kv-state-machine.js";
import { raftMessageCodec, type RaftMessage } from "../../src/messages.js";
import { RaftNode } from "../../src/raft-node.js";
import { raftRecordCodec } from "../../src/record-codec.js";
import type { RaftRecord } from "../../src/records.js";

/** A step as the test cluster saw it. */
export type TestStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

/** Something that happened to a node, for transcripts. */
export interface StepEvent {
  readonly node: NodeId;
  readonly cause: string;
  readonly step: TestStep;
  /** The node crashed after persisting: the step's messages and outputs were lost. */
  readonly crashedBeforeSend: boolean;
  /** The message the step answers (undefined for a tick or a request), as the simulator hands it to `afterStep`. */
  readonly delivered?: RaftMessage;
  /** Its sender (with `delivered`). */
  readonly from?: NodeId;
}

/**
 * A deterministic in-memory cluster for tests: FIFO mailboxes, framed and checksummed storage
 * (replayed through readDurableLog at restart), messages round-tripped through the codec, partitions,
 * crashes. Every step is obeyed in the contract's order: persist, then send, then outputs.
 */
export class TestCluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, RaftNode<KvReply> | undefined>();
  readonly storage = new Map<NodeId, Uint8Array[]>();
  readonly mailbox = new Map<NodeId, Envelope<RaftMessage>[]>();
  readonly outputs = new Map<NodeId, RaftOutput<KvReply>[]>();
  private readonly blocked = new Set<string>();
  private readonly rng: Rng;
  private readonly crashBeforeSend = new Set<NodeId>();
  /** Called after every step a node produced. */
  onStep: ((event: StepEvent) => void) | undefined;

  /**
   * @param count - nodes n1…nN
   * @param config - node configuration
   * @param seed - root seed (each node gets a fork)
   * @param initialConf - optional initial configuration
   */
  constructor(count: number, readonly config: Partial<RaftConfig> = {}, seed = 1, readonly initialConf?: ConfState) {
    this.rng = createRng(seed);
    this.ids = Array.from({ length: count }, (_, i) => `n${i + 1}`);
    for (const id of this.ids) {
      this.storage.set(id, []);
      this.mailbox.set(id, []);
      this.outputs.set(id, []);
      this.start(id);
    }
  }

  private start(id: NodeId): void {
    const recovered = readDurableLog(this.storage.get(id) ?? [], raftRecordCodec);
    const node = new RaftNode<KvReply>({
      ctx: { id, members: this.ids, rng: this.rng.fork(`${id}#${this.restarts(id)}`), recovered },
      stateMachine: new KvStateMachine(),
      config: this.config,
      ...(this.initialConf === undefined ? {} : { initialConf: this.initialConf }),
    });
    this.nodes.set(id, node);
  }

  private restartCount = new Map<NodeId, number>();
  private restarts(id: NodeId): number {
    return this.restartCount.get(id) ?? 0;
  }

  /** @returns the live node (throws when crashed) */
  node(id: NodeId): RaftNode<KvReply> {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`${id} is crashed`);
    return node;
  }

  /** Obey a step: persist, then send (unless crashing before send), then record outputs. */
  private obey(id: NodeId, cause: string, step: TestStep, delivered?: RaftMessage, from?: NodeId): void {
    const disk = this.storage.get(id) as Uint8Array[];
    if (step.compact) disk.length = 0;
    for (const record of step.persist) disk.push(frameRecord(raftRecordCodec.encode(record)));
    const crashing = this.crashBeforeSend.delete(id);
    this.onStep?.(delivered === undefined ? { node: id, cause, step, crashedBeforeSend: crashing } : { node: id, cause, step, crashedBeforeSend: crashing, delivered, from: from as NodeId });
    if (crashing) {
      this.crash(id);
      return;
    }
    for (const env of step.send) {
      if (this.blocked.has(`${env.from}>${env.to}`) || this.nodes.get(env.to) === undefined) continue;
      const decoded = raftMessageCodec.decode(raftMessageCodec.encode(env.message));
      if (!decoded.ok) throw decoded.error;
      this.mailbox.get(env.to)?.push({ from: env.from, to: env.to, message: decoded.value });
    }
    (this.outputs.get(id) as RaftOutput<KvReply>[]).push(...step.output);
  }

  /** Tick node `id` once. */
  tick(id: NodeId): void {
    const node = this.nodes.get(id);
    if (node !== undefined) this.obey(id, "tick", node.tick());
  }

  /** Hand node `id` a request. */
  request(id: NodeId, input: RaftInput): void {
    this.obey(id, input.type, this.node(id).request(input));
  }

  /**
   * Deliver node `id`'s queued messages (at most `max`).
   * @returns how many were delivered
   */
  deliver(id: NodeId, max = Infinity): number {
    const box = this.mailbox.get(id) as Envelope<RaftMessage>[];
    let n = 0;
    while (box.length > 0 && n < max) {
      const env = box.shift() as Envelope<RaftMessage>;
      const node = this.nodes.get(id);
      if (node === undefined) break;
      n++;
      this.obey(id, `${env.from}->${env.to} ${env.message.type}`, node.receive(env.from, env.message), env.message, env.from);
    }
    return n;
  }

  /**
   * Deliver the message at position `pos` of node `id`'s mailbox (out of order: reordering).
   * @returns whether a message was delivered
   */
  deliverAt(id: NodeId, pos: number): boolean {
    const box = this.mailbox.get(id) as Envelope<RaftMessage>[];
    const node = this.nodes.get(id);
    if (node === undefined || pos >= box.length) return false;
    const [env] = box.splice(pos, 1) as [Envelope<RaftMessage>];
    this.obey(id, `${env.from}->${env.to} ${env.message.type}`, node.receive(env.from, env.message), env.message, env.from);
    return true;
  }

  /** Deliver messages until every mailbox is empty (bounded). @returns messages delivered */
  stabilize(maxRounds = 10_000): number {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      let n = 0;
      for (const id of this.ids) n += this.deliver(id);
      total += n;
      if (n === 0) return total;
    }
    throw new Error("cluster did not stabilize");
  }

  /** Crash `id`: volatile state and queued messages are lost; storage stays. */
  crash(id: NodeId): void {
    this.nodes.set(id, undefined);
    (this.mailbox.get(id) as unknown[]).length = 0;
  }

  /** Crash `id` right after it persists its next step, before any of its messages leave. */
  crashAfterNextPersist(id: NodeId): void {
    this.crashBeforeSend.add(id);
  }

  /** Forget every pending {@link crashAfterNextPersist}. */
  cancelPendingCrashes(): void {
    this.crashBeforeSend.clear();
  }

  /** Restart a crashed node from its storage. */
  restart(id: NodeId): void {
    this.restartCount.set(id, this.restarts(id) + 1);
    this.start(id);
  }

  /** Block traffic between the groups (symmetric). */
  partition(...groups: NodeId[][]): void {
    this.blocked.clear();
    for (const a of groups) for (const b of groups) if (a !== b) for (const x of a) for (const y of b) this.blocked.add(`${x}>${y}`);
  }

  /** Remove every partition. */
  heal(): void {
    this.blocked.clear();
  }

  /** Tick every live node `n` times, stabilizing after each round. */
  tickAll(n: number): void {
    for (let i = 0; i < n; i++) {
      for (const id of this.ids) this.tick(id);
      this.stabilize();
    }
  }

  /** @returns the current leader with the highest term among live nodes, if any */
  leader(): NodeId | undefined {
    let best: RaftNode<KvReply> | undefined;
    for (const node of this.nodes.values()) if (node?.role === "leader" && (best === undefined || node.term > best.term)) best = node;
    return best?.id;
  }

  /** @returns and clears the outputs node `id` produced so far */
  takeOutputs(id: NodeId): RaftOutput<KvReply>[] {
    const list = this.outputs.get(id) as RaftOutput<KvReply>[];
    const out = list.slice();
    list.length = 0;
    return out;
  }
}
