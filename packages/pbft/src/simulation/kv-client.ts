import type { ClientModel, Rng } from "@synod/core";
import type { PbftAuthentication } from "../config.js";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import { kvClientModel } from "@synod/raft/simulation";
import type { PbftInput, PbftOutput } from "../io.js";
import { requestStatement } from "../signing.js";
import { simulationKeys } from "./simulation-keys.js";

/**
 * The KV workload of the Raft target (a few hot keys; get, put, cas, delete): the invocation id is
 * the request's timestamp, and the client signs the request (in `macs` mode: authenticates it to
 * every replica with a MAC vector); a get is marked read-only (tried by the read-only optimisation
 * when the replicas have it on, else ordered like the rest). A completion is the proxy's `reply`
 * output (f+1 matching replies, or 2f+1 with the optimisation).
 * @param authentication - how the replicas authenticate requests (`PbftConfig.authentication`)
 */
export function createPbftKvClientModel(authentication: PbftAuthentication): ClientModel<PbftInput, PbftOutput<KvResult>, KvOp, KvResult> {
  return {
    timeoutMs: 3_000,
    nextOperation: (rng: Rng, client: number): KvOp => kvClientModel.nextOperation(rng, client),
    toRequest(op, invocation): PbftInput {
      const command = encodeKvCommand({ client: invocation.client, seq: invocation.id, op });
      const unsigned = { client: invocation.client, timestamp: invocation.id, command };
      const sig =
        authentication === "macs"
          ? simulationKeys.clientAuthenticator(invocation.client).authenticate(unsigned, invocation.members)
          : simulationKeys.provider.sign(simulationKeys.clientSecretKey(invocation.client), requestStatement(unsigned));
      return { type: "invoke", tag: invocation.id, request: { ...unsigned, sig }, readOnly: op.type === "get" };
    },
    completionId: (output) => (output.type === "reply" ? output.tag : undefined),
    completion(output) {
      if (output.type !== "reply") return undefined;
      const { ok, value } = output.result;
      return { id: output.tag, outcome: "ok", result: value === undefined ? { ok } : { ok, value } };
    },
  };
}

/** The KV workload with signed requests (`signatures` mode). */
export const pbftKvClientModel: ClientModel<PbftInput, PbftOutput<KvResult>, KvOp, KvResult> = createPbftKvClientModel("signatures");
