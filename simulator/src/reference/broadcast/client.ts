import type { ClientModel, NodeId } from "@synod/core";
import type { BroadcastInput, BroadcastOutput } from "./messages.js";

/** A client operation of the reference protocol: broadcast `value`. */
export interface BroadcastOp {
  readonly value: string;
}

/** The id the origin assigned to a broadcast. */
export interface BroadcastResult {
  readonly origin: NodeId;
  readonly seq: number;
}

/**
 * Client model: an operation broadcasts a fresh random value; it is `ok` when the chosen node has
 * delivered it locally, `fail` when the node refused it (halted).
 */
export const broadcastClient: ClientModel<BroadcastInput, BroadcastOutput, BroadcastOp, BroadcastResult> = {
  nextOperation(rng, client) {
    return { value: `c${client}-${rng.nextU32()}` };
  },
  toRequest(op, invocation) {
    return { value: op.value, invocationId: invocation.id };
  },
  completion(output) {
    if (output.type === "deliver" && output.invocationId !== undefined) {
      return { id: output.invocationId, outcome: "ok", result: { origin: output.origin, seq: output.seq } };
    }
    if (output.type === "rejected") return { id: output.invocationId, outcome: "fail", reason: output.reason };
    return undefined;
  },
  completionId(output) {
    if (output.type === "deliver") return output.invocationId;
    return output.type === "rejected" ? output.invocationId : undefined;
  },
  timeoutMs: 2_000,
};
