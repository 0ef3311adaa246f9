import type { NodeId } from "@synod/core";
import type { CryptoProvider } from "@synod/security";

/**
 * What a replica knows of keys: the injected provider, its own secret key, and the public keys of
 * every replica and client. A replica signs only with its own key; it can verify anyone's.
 */
export interface PbftKeys {
  readonly provider: CryptoProvider;
  /** This replica's secret signing key. */
  readonly secretKey: Uint8Array;
  /** @returns the public key of replica `id`, undefined for an unknown replica */
  replicaKey(id: NodeId): Uint8Array | undefined;
  /** @returns the public key of client `client`, undefined for an unknown client */
  clientKey(client: number): Uint8Array | undefined;
}
