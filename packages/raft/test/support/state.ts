import { createRng, FRESH_STATE, type Envelope, type NodeId } from "@synod/core";
import type { RaftConfig } from "../../src/config.js";
import type { ConfState } from "../../src/conf-state.js";
import type { Entry } from "../../src/entry.js";
import type { KvReply } from "../../src/kv/kv-command.js";
import { KvStateMachine } from "../../src/kv/kv-state-machine.js";
import type { RaftMessage } from "../../src/messages.js";
import { createRaftState } from "../../src/raft-node.js";
import type { RaftState } from "../../src/raft-state.js";
import { campaign, tallyVote } from "../../src/rules/election.js";

/** A node's state for a rule test: `n1` of n1..n3 by default, Pre-Vote and CheckQuorum as configured. */
export function raftState(options: { id?: NodeId; members?: NodeId[]; config?: Partial<RaftConfig>; initialConf?: ConfState } = {}): RaftState<KvReply> {
  const id = options.id ?? "n1";
  const members = options.members ?? ["n1", "n2", "n3"];
  return createRaftState<KvReply>({ ctx: { id, members, rng: createRng(1), recovered: FRESH_STATE }, stateMachine: new KvStateMachine(), config: options.config, initialConf: options.initialConf });
}

/** @returns and forgets the messages the node queued so far */
export function sent(r: RaftState<KvReply>): Envelope<RaftMessage>[] {
  return [...r.out.finish().send];
}

/** Make `r` the leader of term `r.term + 1` (it campaigns and the other voters grant in order), and forget what that sent. */
export function elect(r: RaftState<KvReply>): RaftState<KvReply> {
  campaign(r, false, false);
  for (const id of r.conf.voters) if (r.role === "candidate" && id !== r.id) tallyVote(r, id, { type: "voteResponse", term: r.term, granted: true });
  if (r.role !== "leader") throw new Error(`n1 is ${r.role}, not leader`);
  sent(r);
  return r;
}

/** Entries `term/index`… for a log, e.g. `entries([1, 1], [2, 2])`. */
export function entries(...pairs: [term: number, index: number][]): Entry[] {
  return pairs.map(([term, index]) => ({ type: "normal", term, index, data: new Uint8Array(0) }));
}
