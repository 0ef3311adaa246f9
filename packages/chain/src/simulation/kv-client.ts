import type { ClientModel } from "@synod/core";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import { kvClientModel } from "@synod/raft/simulation";
import type { ChainInput, ChainOutput } from "../io.js";

/**
 * The KV workload of the Raft target (a few hot keys; get, put, cas, delete), on a chain: a write
 * carries the client session (client id, sequence = invocation id) to the head; a get is a strong
 * read (at the tail, or CRAQ's apportioned read). A refusal is a definite failure; anything else
 * unanswered becomes `unknown` after the timeout.
 */
export const chainKvClientModel: ClientModel<ChainInput, ChainOutput, KvOp, KvResult> = {
  timeoutMs: 2_000,
  nextOperation: (rng, client) => kvClientModel.nextOperation(rng, client),
  toRequest(op, invocation): ChainInput {
    if (op.type === "get") return { type: "read", key: op.key, tag: invocation.id };
    return { type: "write", command: encodeKvCommand({ client: invocation.client, seq: invocation.id, op }), tag: invocation.id };
  },
  completionId: (output) => (output.type === "reply" || output.type === "refused" ? output.tag : undefined),
  completion(output) {
    if (output.type === "refused") {
      return { id: output.tag, outcome: "fail", reason: output.reason, ...(output.redirect === undefined ? {} : { redirect: output.redirect }) };
    }
    if (output.type !== "reply") return undefined;
    const { ok, value } = output.result;
    return { id: output.tag, outcome: "ok", result: value === undefined ? { ok } : { ok, value } };
  },
};
