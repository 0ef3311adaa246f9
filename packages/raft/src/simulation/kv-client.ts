import type { ClientModel, Rng } from "@synod/core";
import type { RaftInput, RaftOutput } from "../io.js";
import { encodeKvCommand, encodeKvQuery, type KvOp, type KvReply, type KvResult } from "../kv/kv-command.js";

const KEYS = ["a", "b", "c", "d"] as const;

/**
 * The KV workload: a few hot keys (so operations conflict), 40 % get, 30 % put, 20 % cas,
 * 10 % delete, values from a small domain (so cas succeeds as often as it fails). Writes go through the log with the client session (client id,
 * sequence = invocation id); gets are ReadIndex reads. A refusal (not leader) is a definite
 * failure; anything else unanswered becomes `unknown` after the timeout.
 */
export const kvClientModel: ClientModel<RaftInput, RaftOutput<KvReply>, KvOp, KvResult> = {
  timeoutMs: 2_000,
  nextOperation(rng: Rng): KvOp {
    const key = rng.pick(KEYS);
    const roll = rng.float();
    // A small value domain makes cas succeed often enough to matter.
    const value = `${rng.int(0, 8)}`;
    if (roll < 0.4) return { type: "get", key };
    if (roll < 0.7) return { type: "put", key, value };
    if (roll < 0.9) return { type: "cas", key, expected: rng.bool(0.5) ? null : `${rng.int(0, 8)}`, value };
    return { type: "delete", key };
  },
  toRequest(op, invocation): RaftInput {
    if (op.type === "get") return { type: "read", query: encodeKvQuery(op.key), tag: invocation.id };
    return { type: "propose", data: encodeKvCommand({ client: invocation.client, seq: invocation.id, op }), tag: invocation.id };
  },
  followsLeader: true,
  completionId: completionIdOf,
  completion(output) {
    const id = completionIdOf(output);
    if (id === undefined) return undefined;
    switch (output.type) {
      case "apply": {
        const { ok, value } = (output.result as KvReply).result; // (an id means a client's reply)
        return { id, outcome: "ok", result: value === undefined ? { ok } : { ok, value } };
      }
      case "read": {
        const { ok, value } = output.result.result;
        return { id, outcome: "ok", result: value === undefined ? { ok } : { ok, value } };
      }
      case "refused":
        return { id, outcome: "fail", reason: output.error.message, redirect: output.retryAt };
      default:
        return undefined;
    }
  },
};

/**
 * The invocation an output completes: an applied command's session sequence (0 or absent: not a
 * client's command), a read's or a refusal's tag; undefined for any other output.
 */
function completionIdOf(output: RaftOutput<KvReply>): number | undefined {
  switch (output.type) {
    case "apply": {
      const seq = output.result?.seq;
      return seq === undefined || seq === 0 ? undefined : seq;
    }
    case "read":
    case "refused":
      return output.tag;
    default:
      return undefined;
  }
}
