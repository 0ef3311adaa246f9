import type { NodeId } from "@synod/core";
import type { CryptoProvider, KeyShare, ThresholdScheme } from "@synod/security";

/**
 * `threshold` certificate mode: this replica's part of the cluster's t-of-n threshold key. Member i
 * (position i in the members list, from 0) holds share i+1; the threshold t must be the cluster's
 * quorum size q (2f+1 when n = 3f+1), so that a group signature proves that a quorum signed — with
 * f+1 it would prove only that one correct replica did. A replica checks this at construction.
 *
 * Where the keys come from: in tests and the simulator a dealer (`dealBlsThresholdScheme`, or the
 * ideal scheme `createIdealThresholdScheme`); in production the DKG of `@synod/security`
 * (`src/dkg`), run by the n replicas with its t set to q−1 and its `faults` to f (the DKG's polynomials have degree t and
 * t+1 shares sign): its outcome's `group` gives `blsThresholdScheme(group)`, and its `share` (index
 * = the member's position + 1 when the DKG's members are the cluster's, in order) is this `share`.
 */
export interface PbftThresholdKeys {
  readonly scheme: ThresholdScheme;
  /** This replica's secret share (index: its position among the members + 1). */
  readonly share: KeyShare;
}

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
  /** `threshold` certificate mode: the threshold group and this replica's share (required in that mode). */
  readonly threshold?: PbftThresholdKeys | undefined;
}
