import type { RaftConfig, RaftInput, RaftMessage, RaftOutput, RaftRecord, StateMachine } from "@synod/raft";
import { RaftNode } from "@synod/raft";
import type { ProtocolAdapter, ProtocolEvent } from "./protocol-adapter.js";
import { raftRecordCodecSharingEntries, raftWireCodec } from "./raft-wire-codec.js";

/** The adapter type of Raft nodes with results `R`. */
export type RaftProtocol<R> = ProtocolAdapter<RaftNode<R>, RaftMessage, RaftInput, RaftOutput<R>, RaftRecord>;

/**
 * Run `@synod/raft` under the runtime.
 * @param options - a factory of fresh state machines (one per node start) and the Raft configuration
 * @example
 * const protocol = raftProtocol({ createStateMachine: () => new KvStateMachine(), config: { electionTimeoutTicks: 10 } });
 */
export function raftProtocol<R>(options: { readonly createStateMachine: () => StateMachine<R>; readonly config?: Partial<RaftConfig> }): RaftProtocol<R> {
  return {
    name: "raft",
    messageCodec: raftWireCodec,
    recordCodec: raftRecordCodecSharingEntries,
    createNode: (ctx) => new RaftNode<R>({ ctx, stateMachine: options.createStateMachine(), ...(options.config === undefined ? {} : { config: options.config }) }),
    describeOutput: describeRaftOutput,
    inspect: (node) => ({
      role: node.role,
      leader: node.leader,
      term: node.term,
      commitIndex: node.commitIndex,
      appliedIndex: node.appliedIndex,
      lastIndex: node.lastIndex,
      snapshotIndex: node.snapshotIndex,
      halted: node.halted,
    }),
  };
}

function describeRaftOutput<R>(output: RaftOutput<R>): ProtocolEvent | undefined {
  switch (output.type) {
    case "role":
      return { level: "info", event: "role-changed", fields: { role: output.role, term: output.term, leader: output.leader ?? null } };
    case "conf":
      return { level: output.rejected === undefined ? "info" : "warn", event: "membership-changed", fields: { index: output.index, voters: output.conf.voters, learners: output.conf.learners, outgoing: output.conf.outgoing, rejected: output.rejected } };
    case "alarm":
      return { level: "error", event: "alarm", fields: { reason: output.reason } };
    case "restored":
      return { level: "info", event: "snapshot-restored", fields: { index: output.index, term: output.term } };
    case "election-timeout":
      return { level: "info", event: "election-timeout-adapted", fields: { ticks: output.ticks, rttTicks: output.rttTicks, source: output.source } };
    default:
      return undefined;
  }
}
