import { StepBuilder, type NodeId } from "@synod/core";
import type { KvReply, KvStateMachine, RaftNode, RaftRecord } from "@synod/raft";
import { ChainStore } from "./chain-store.js";
import type { ChainConfig } from "./config.js";
import type { ChainOutput } from "./io.js";
import { EMPTY_CONFIGURATION, type ChainConfiguration } from "./membership.js";
import type { ChainMessage, Write } from "./messages.js";
import { ChainMetrics } from "./metrics.js";

/** A strong read waiting at the node that serves it: who asked (`origin`, maybe this node) and for what. */
export interface LocalRead {
  readonly origin: NodeId;
  readonly tag: number;
  readonly key: string;
}

/** The step being built while a chain node handles one input. */
export type ChainOut = StepBuilder<ChainMessage, ChainOutput, RaftRecord>;

/**
 * Everything a chain node knows, shared by the rule files (replication, reads, master,
 * reconfiguration); the {@link ChainNode} class is its only owner and exposes it read-only.
 */
export class ChainState {
  readonly out: ChainOut = new StepBuilder();
  readonly metrics = new ChainMetrics();
  readonly store = new ChainStore();
  /** Ticks since this node started. */
  now = 0;
  /** Set when the configuration group's node halted: the chain node then does nothing. */
  halted: string | undefined;

  // Configuration, as the Raft group applied it.
  configuration: ChainConfiguration = EMPTY_CONFIGURATION;
  configText: string | null = null;
  /** This node's position in the configuration (-1: not a member). */
  position = -1;
  predecessor: NodeId | undefined;
  successor: NodeId | undefined;
  /** The epoch in which this node's data lineage began (-1: none). */
  dataSince = -1;
  /**
   * Whether this node holds every write committed anywhere: true once, in its data lineage, it
   * reached a floor named by its synced predecessor (see messages.ts `append`), or it started the
   * chain. Only a synced node orders writes, serves strong reads or answers version queries.
   */
  synced = false;
  /** What this node received when it became synced in this epoch (-1: not synced): the successor's floor. */
  syncFloor = -1;

  /** Writes of this epoch from the predecessor that arrived past a gap, by sequence (dropped at every reconfiguration). */
  readonly early = new Map<number, Write>();

  // Replication towards the successor.
  /** The successor's received sequence as last reported (an assumption until it acks in this epoch). */
  successorReceived = 0;
  /** Whether the successor acked in this epoch (before: `successorReceived` is an assumption). */
  successorAcked = false;
  /** Highest sequence sent to the successor. */
  sentTo = 0;
  lastRetransmitTick = 0;
  /** The successor's received sequence at the last retransmission timer (no change since: re-send). */
  progressMark = -1;

  // Requests that arrived here.
  readonly submits = new Map<number, { readonly command: Uint8Array; sentTick: number; readonly expiresTick: number }>();
  readonly remoteReads = new Map<number, number>();

  // Strong reads served here.
  waitingReads: LocalRead[] = [];
  confirm: { round: number; sentTick: number; covered: LocalRead[] } | undefined;
  nextRound = 1;
  readonly versionWaits = new Map<number, LocalRead & { expiresTick: number }>();
  nextVersionId = 1;

  // Master (active while this node leads the Raft group).
  readonly lastHeard = new Map<NodeId, { boot: number; since: number; synced: boolean; tick: number }>();
  /** When this node last became the Raft leader (its failure detector's grace starts there). */
  leaderSinceTick = 0;
  proposal: { tag: number; sentTick: number } | undefined;
  /** Confirmations waiting for the next ReadIndex round (one round in flight at a time serves them all). */
  confirmQueue: { node: NodeId; tag: number }[] = [];
  /** The ReadIndex round in flight: its Raft tag and the confirmations it answers. */
  confirmRound: { raftTag: number; askers: { node: NodeId; tag: number }[] } | undefined;
  nextRaftTag = 1;

  constructor(
    readonly id: NodeId,
    readonly members: readonly NodeId[],
    readonly boot: number,
    readonly config: ChainConfig,
    readonly raft: RaftNode<KvReply>,
    readonly configKv: KvStateMachine,
  ) {}

  /** Queue a message. */
  send(to: NodeId, message: ChainMessage): void {
    this.out.send({ from: this.id, to, message });
  }

  /** Whether this node is the head of the configuration it knows. */
  get isHead(): boolean {
    return this.position === 0;
  }

  /** Whether this node is the tail of the configuration it knows. */
  get isTail(): boolean {
    return this.position >= 0 && this.position === this.configuration.members.length - 1;
  }

  /** The head of the configuration this node knows. */
  get head(): NodeId | undefined {
    return this.configuration.members[0]?.id;
  }

  /** The tail of the configuration this node knows. */
  get tail(): NodeId | undefined {
    return this.configuration.members[this.configuration.members.length - 1]?.id;
  }
}
