import type { NodeId, Step } from "@synod/core";
import type { RaftOutput } from "../io.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import type { NodeSlot } from "./node-slots.js";

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;
type Node = RaftNode<KvReply>;

/** After an event of a node: remember its applied index (the next step starts from it). */
export function recordApplied(slot: NodeSlot, node: Node | undefined): void {
  if (node === undefined) return;
  if (slot.appliedNode !== node) slot.appliedNode = node;
  slot.appliedIndex = node.appliedIndex;
}

/**
 * ReadAfterApply (ReadIndex, thesis §6.4 step 4): a read answered as of read index i is answered
 * only once the state machine has applied entry i — else it misses writes committed before the read
 * arrived. The applied index at the answer is the one after the node's previous event, moved on by
 * the entries this step applied before it (the order of the step's outputs), not the node's own
 * variable. Matters when the apply lags the commit index (`maxApplyPerStep`).
 * @returns why the step of node `id` breaks it, or undefined
 */
export function readAfterApplyAfterStep(slot: NodeSlot, id: NodeId, step: RaftStep, node: Node | undefined): string | undefined {
  const output = step.output;
  if (node === undefined || output.length === 0 || slot.appliedNode !== node) return undefined;
  let applied = slot.appliedIndex;
  for (let k = 0; k < output.length; k++) {
    const o = output[k] as RaftOutput<KvReply>;
    if (o.type === "apply") applied = o.entry.index;
    else if (o.type === "read" && o.index > applied) {
      return `${id} answered read ${o.tag} as of read index ${o.index} with its state machine applied only up to ${applied}`;
    }
  }
  return undefined;
}
