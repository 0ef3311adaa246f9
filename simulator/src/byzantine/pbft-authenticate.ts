import type { NodeId } from "@synod/core";
import { preparedCertificateStatement, sign, simulationKeys, type PrePrepare, type Prepare, type ReplicaMessage, type Unsigned } from "@synod/pbft";
import { SIGNATURE_BYTES } from "@synod/security";

/**
 * `message` authenticated by the faulty replica `from`, with its own keys only, the way the honest
 * code authenticated `original`: signed, or (`pnpm sim pbft-mac`) with a MAC authenticator from
 * `from` — one entry per member, or one for `to` alone for a reply. A Byzantine replica lies with
 * valid authentication; it holds its own keys and nobody else's. A pre-prepare or prepare made from
 * one that carried a threshold share (`pnpm sim pbft-threshold`: prepared certificates are group
 * signatures) carries the faulty replica's valid share of what the new one says.
 */
export function authenticateAs<T extends ReplicaMessage>(
  from: NodeId,
  to: NodeId,
  members: readonly NodeId[],
  original: { readonly sig: Uint8Array; readonly share?: Uint8Array | undefined },
  message: Unsigned<T>,
): T {
  if (original.sig.length === SIGNATURE_BYTES) {
    const signed = sign<T>(simulationKeys.provider, simulationKeys.secretKeyOf(from), message);
    if (original.share === undefined || (signed.type !== "prePrepare" && signed.type !== "prepare")) return signed;
    const agreement = signed as PrePrepare | Prepare;
    const keys = simulationKeys.thresholdKeysOf(from, members);
    return { ...signed, share: keys.scheme.signShare(keys.share, preparedCertificateStatement(agreement.view, agreement.seq, agreement.digest)).signature };
  }
  const authentication = simulationKeys.macAuthenticationOf(from, members);
  return message.type === "reply" || message.type === "readReply" ? authentication.sealFor<T>(to, message) : authentication.seal<T>(message);
}
