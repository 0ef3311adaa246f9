import type { Step } from "@synod/core";
import type { KvReply, RaftMessage, RaftOutput, RaftRecord } from "@synod/raft";
import type { ChainState } from "./chain-state.js";
import { onConfirmed } from "./reads.js";
import { MASTER_CLIENT, onLeadership, startConfirmRound } from "./master.js";
import { adoptIfChanged } from "./reconfigure.js";

/**
 * The configuration group's Raft node inside a chain node: its records are the chain node's
 * records, its messages travel wrapped as `{ type: "raft" }`, and its outputs drive the chain:
 * applied entries may change the configuration, reads answer confirmations, leadership starts the master.
 */
export function absorbRaft(c: ChainState, step: Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>): void {
  if (step.compact === true) c.out.compact(step.persist);
  else for (const record of step.persist) c.out.persist(record);
  for (const e of step.send) c.send(e.to, { type: "raft", m: e.message });
  let applied = false;
  for (const output of step.output) {
    switch (output.type) {
      case "apply":
        applied = true;
        if (output.result?.client === MASTER_CLIENT) c.proposal = undefined;
        break;
      case "restored":
        applied = true;
        break;
      case "read":
        answerConfirm(c, output.tag, output.result);
        break;
      case "refused":
        if (c.confirmRound?.raftTag === output.tag) c.confirmRound = undefined; // the askers retry
        if (c.proposal?.tag === output.tag) c.proposal = undefined;
        break;
      case "role":
        if (output.role === "leader") onLeadership(c);
        break;
      case "alarm":
        c.halted = output.reason;
        c.out.output({ type: "alarm", reason: `configuration group: ${output.reason}` });
        break;
      default:
        break;
    }
  }
  if (applied) adoptIfChanged(c);
}

function answerConfirm(c: ChainState, raftTag: number, reply: KvReply): void {
  const round = c.confirmRound;
  if (round?.raftTag !== raftTag) return;
  c.confirmRound = undefined;
  const text = reply.result.value;
  const epoch = typeof text === "string" ? epochOf(text) : 0;
  for (const asker of round.askers) {
    if (asker.node === c.id) onConfirmed(c, asker.tag, epoch);
    else c.send(asker.node, { type: "confirmed", tag: asker.tag, epoch });
  }
  startConfirmRound(c);
}

function epochOf(text: string): number {
  const match = /^\[(\d+),/.exec(text);
  return match === null ? 0 : Number(match[1]);
}
