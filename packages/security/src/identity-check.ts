import { ConfigError, isNodeId } from "@synod/core";
import type { NodeIdentity } from "./identity.js";

/**
 * What every function taking a caller's own {@link NodeIdentity} checks first, so that a wrong
 * argument is a typed error naming the field instead of a TypeError deep inside signing.
 * @throws {ConfigError} naming `identity` and what is wrong with it
 */
export function requireIdentity(identity: NodeIdentity): void {
  const problem =
    typeof identity !== "object" || identity === null
      ? `must be a NodeIdentity (from createIdentity), got ${identity === null ? "null" : typeof identity}`
      : !isNodeId(identity.nodeId)
        ? "nodeId must be a non-empty string of at most 64 characters"
        : !Number.isSafeInteger(identity.epoch) || identity.epoch < 0
          ? "epoch must be a non-negative integer"
          : !(identity.secretKey instanceof Uint8Array) || !(identity.publicKey instanceof Uint8Array)
            ? "secretKey and publicKey must be Uint8Arrays"
            : undefined;
  if (problem !== undefined) throw new ConfigError("identity", problem);
}
