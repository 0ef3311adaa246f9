import type { NodeId } from "@synod/core";
import { sign, simulationKeys, type ReplicaMessage, type Unsigned } from "@synod/pbft";
import { SIGNATURE_BYTES } from "@synod/security";

/**
 * `message` authenticated by the faulty replica `from`, with its own keys only, the way the honest
 * code authenticated `original`: signed, or (`pnpm sim pbft-mac`) with a MAC authenticator from
 * `from` — one entry per member, or one for `to` alone for a reply. A Byzantine replica lies with
 * valid authentication; it holds its own keys and nobody else's.
 */
export function authenticateAs<T extends ReplicaMessage>(
  from: NodeId,
  to: NodeId,
  members: readonly NodeId[],
  original: { readonly sig: Uint8Array },
  message: Unsigned<T>,
): T {
  if (original.sig.length === SIGNATURE_BYTES) return sign<T>(simulationKeys.provider, simulationKeys.secretKeyOf(from), message);
  const authentication = simulationKeys.macAuthenticationOf(from, members);
  return message.type === "reply" || message.type === "readReply" ? authentication.sealFor<T>(to, message) : authentication.seal<T>(message);
}
