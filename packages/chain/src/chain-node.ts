import { requireNodeContext, SynodError, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { KvStateMachine, RaftNode, type KvReply, type RaftRecord } from "@synod/raft";
import { resolveChainConfig, type ChainConfig } from "./config.js";
import { BOOT_RANGE } from "./limits.js";
import { ChainState } from "./chain-state.js";
import type { ChainStore } from "./chain-store.js";
import type { ChainInput, ChainOutput } from "./io.js";
import type { ChainConfiguration } from "./membership.js";
import { chainMessageCodec, type ChainMessage } from "./messages.js";
import type { ChainMetrics } from "./metrics.js";
import { masterTick, onConfirm, onHeartbeat } from "./master.js";
import { absorbRaft } from "./raft-bridge.js";
import { onConfirmed, onReadRefused, onReadReply, onTailRead, onVersionQuery, onVersionReply, readTimers, requestRead } from "./reads.js";
import { onAck, onAppend, onReply, onSnapshot, orderWrite, requestWrite, retransmit } from "./replication.js";

/** Everything a {@link ChainNode} is built from. */
export interface ChainNodeOptions {
  /** Id, every node of the cluster (the configuration group's members and the chain's candidates), seeded Rng, recovered Raft records. */
  readonly ctx: NodeContext<RaftRecord>;
  /** Overrides of {@link DEFAULT_CHAIN_CONFIG}. */
  readonly config?: Partial<ChainConfig>;
}


/**
 * A chain replication / CRAQ node (van Renesse & Schneider 2004; Terrace & Freedman 2009) as a
 * pure state machine. Every node of the cluster is a replica of the configuration group — a
 * `@synod/raft` group whose KV store holds the chain's configuration and epoch — and a chain
 * server when the configuration names it. The Raft leader is the master: it detects failures from
 * missed heartbeats and proposes each reconfiguration. Chain data is volatile: a restarted node is
 * a new incarnation that rejoins at the tail with a copy of the committed state.
 *
 * @example
 * const node = new ChainNode({ ctx: { id: "n1", members: ["n1"], rng: createRng(1), recovered: FRESH_STATE } });
 * for (let t = 0; t < 100; t++) node.tick(); // elects itself master and joins the chain as its head
 * node.request({ type: "write", command: encodeKvCommand({ client: 1, seq: 1, op: { type: "put", key: "x", value: "1" } }), tag: 1 });
 */
export class ChainNode implements ProtocolNode<ChainMessage, ChainInput, ChainOutput, RaftRecord> {
  /** This node's id. */
  readonly id: NodeId;
  private readonly c: ChainState;

  /**
   * @param options - context and configuration
   * @throws {SynodError} code `usage` when the configuration is invalid
   */
  constructor(options: ChainNodeOptions) {
    requireNodeContext(options, "ChainNode");
    const { ctx } = options;
    const config = resolveChainConfig(options.config);
    const configKv = new KvStateMachine();
    const raft = new RaftNode<KvReply>({ ctx: { ...ctx, rng: ctx.rng.fork("raft") }, stateMachine: configKv, config: config.raft });
    const boot = ctx.rng.int(0, BOOT_RANGE) * BOOT_RANGE + ctx.rng.int(0, BOOT_RANGE);
    this.id = ctx.id;
    this.c = new ChainState(ctx.id, ctx.members.length > 0 ? [...ctx.members] : [ctx.id], boot, config, raft, configKv);
  }

  // ---------------------------------------------------------------- inspection (read-only)

  /** This incarnation's boot id. */
  get boot(): number {
    return this.c.boot;
  }
  /** The configuration this node adopted. */
  get configuration(): ChainConfiguration {
    return this.c.configuration;
  }
  /** Position in the configuration (-1: not a member). */
  get position(): number {
    return this.c.position;
  }
  /** The epoch this node's data lineage began (-1: it holds none). */
  get dataSince(): number {
    return this.c.dataSince;
  }
  /** Whether this node is the tail of the configuration it adopted. */
  get isTail(): boolean {
    return this.c.isTail;
  }
  /** Whether this node holds every committed write (see ChainState.synced). */
  get synced(): boolean {
    return this.c.synced;
  }
  /** This node's copy of the data (read-only by contract). */
  get store(): Readonly<ChainStore> {
    return this.c.store;
  }
  /** Lifetime counters. */
  get metrics(): ChainMetrics {
    return this.c.metrics;
  }
  /** Why this node halted (its configuration-group node found corrupted storage), if it did. */
  get halted(): string | undefined {
    return this.c.halted ?? this.c.raft.halted;
  }
  /** The configuration group's node (read-only by contract). */
  get raft(): RaftNode<KvReply> {
    return this.c.raft;
  }
  /** The resolved configuration. */
  get config(): ChainConfig {
    return this.c.config;
  }

  // ---------------------------------------------------------------- inputs

  tick(): Step<ChainMessage, ChainOutput, RaftRecord> {
    const c = this.c;
    if (this.halted !== undefined) return c.out.finish();
    c.now++;
    absorbRaft(c, c.raft.tick());
    masterTick(c);
    retransmit(c);
    readTimers(c);
    return c.out.finish();
  }

  receiveBytes(from: NodeId, bytes: Uint8Array): Step<ChainMessage, ChainOutput, RaftRecord> {
    const decoded = chainMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.c.metrics.reject("malformed");
    return this.c.out.finish();
  }

  receive(from: NodeId, message: ChainMessage): Step<ChainMessage, ChainOutput, RaftRecord> {
    const c = this.c;
    if (this.halted !== undefined) return c.out.finish();
    if (from === c.id || !c.members.includes(from)) {
      c.metrics.reject("unknown-sender");
      return c.out.finish();
    }
    dispatch(c, from, message);
    return c.out.finish();
  }

  request(input: ChainInput): Step<ChainMessage, ChainOutput, RaftRecord> {
    if (input?.type !== "write" && input?.type !== "read") throw new SynodError("usage", "ChainNode.request: an input is a write or a read");
    const c = this.c;
    if (this.halted !== undefined) {
      c.out.output({ type: "refused", tag: input.tag, reason: `halted: ${this.halted}` });
      return c.out.finish();
    }
    if (input.type === "write") requestWrite(c, input.tag, input.command);
    else requestRead(c, input.tag, input.key, input.consistency ?? "strong", input.maxVersionsAhead ?? 0);
    return c.out.finish();
  }
}

function dispatch(c: ChainState, from: NodeId, m: ChainMessage): void {
  switch (m.type) {
    case "raft":
      return absorbRaft(c, c.raft.receive(from, m.m));
    case "heartbeat":
      return onHeartbeat(c, from, m);
    case "submit":
      return orderWrite(c, from, m.tag, m.command);
    case "append":
      return onAppend(c, from, m);
    case "snapshot":
      return onSnapshot(c, from, m);
    case "ack":
      return onAck(c, from, m);
    case "reply":
      return onReply(c, m.tag, m.result);
    case "tailRead":
      return onTailRead(c, from, m);
    case "readReply":
      return onReadReply(c, m.tag, m.value);
    case "readRefused":
      return onReadRefused(c, m.tag, m.reason);
    case "versionQuery":
      return onVersionQuery(c, from, m);
    case "versionReply":
      return onVersionReply(c, m);
    case "confirm":
      return onConfirm(c, from, m.tag);
    case "confirmed":
      return onConfirmed(c, m.tag, m.epoch);
  }
}
