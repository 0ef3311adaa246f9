import type { NodeId } from "@synod/core";
import { byzantine } from "@synod/quorum";
import { createIdealProvider, createIdealThresholdScheme, seededRandomBytes, statementBytes } from "@synod/security";
import type { CryptoProvider, KeyShare, ThresholdScheme } from "@synod/security";
import { ClientAuthenticator, ReplicaAuthentication } from "../authentication.js";
import type { PbftKeys, PbftThresholdKeys } from "../keys.js";

/** Seed of the simulation's ideal signature registry (fixed: keys are part of the scenario, not of the seed). */
const REGISTRY_SEED = 0x5eed;
/** Seed of the simulation's ideal threshold groups (one per membership, dealt from this seed and the members). */
const THRESHOLD_SEED = 0x7e5d;
/** Most public keys memoised per kind (replicas, clients). */
const MAX_MEMO = 4096;

/**
 * The simulation's key directory: the ideal provider (`createIdealProvider`: unforgeable by
 * construction, one HMAC per operation), and keys derived from each replica's id and each
 * client's number. A replica's {@link PbftKeys} hold only its own secret key; a simulated Byzantine
 * replica is given only its own too (`secretKeyOf` is for the simulator's strategies and tests,
 * which must ask for the faulty node's key alone).
 */
export class SimulationKeys {
  readonly provider: CryptoProvider = createIdealProvider(seededRandomBytes(REGISTRY_SEED));
  private readonly replicaKeys = new Map<NodeId, Uint8Array>();
  private readonly clientKeys = new Map<number, Uint8Array>();
  private readonly clientAuthenticators = new Map<number, ClientAuthenticator>();
  private readonly macAuthentications = new Map<string, ReplicaAuthentication>();
  private readonly thresholdGroups = new Map<string, { scheme: ThresholdScheme; shares: KeyShare[] }>();

  /**
   * The `threshold` certificate mode's group of a membership: the ideal threshold scheme
   * (`createIdealThresholdScheme`, one HMAC per operation where BLS takes pairings — far too slow
   * for the simulator), q-of-n with q the Byzantine quorum, dealt deterministically per membership.
   * Member i holds share i+1.
   */
  thresholdGroup(members: readonly NodeId[]): { scheme: ThresholdScheme; shares: readonly KeyShare[] } {
    return memo(this.thresholdGroups, members.join(","), () => {
      const dealt = createIdealThresholdScheme(byzantine(members).quorumSize, members.length, seededRandomBytes(THRESHOLD_SEED + members.length));
      if (!dealt.ok) throw dealt.error;
      return dealt.value;
    });
  }

  /** @returns replica `id`'s threshold keys in a cluster of `members` (its own share only) */
  thresholdKeysOf(id: NodeId, members: readonly NodeId[]): PbftThresholdKeys {
    const { scheme, shares } = this.thresholdGroup(members);
    return { scheme, share: shares[members.indexOf(id)] as KeyShare };
  }

  /** @returns the secret key of replica `id` */
  secretKeyOf(id: NodeId): Uint8Array {
    return this.provider.sha256(statementBytes("synod/pbft/sim/replica-key", id));
  }

  /** @returns the secret key of client `client` */
  clientSecretKey(client: number): Uint8Array {
    return this.provider.sha256(statementBytes("synod/pbft/sim/client-key", client));
  }

  /** @returns the public key of replica `id` */
  replicaKey(id: NodeId): Uint8Array {
    return memo(this.replicaKeys, id, () => this.provider.getPublicKey(this.secretKeyOf(id)));
  }

  /** @returns the public key of client `client` (undefined for a number that cannot be a client) */
  clientKey(client: number): Uint8Array | undefined {
    if (!Number.isSafeInteger(client) || client < 0) return undefined;
    return memo(this.clientKeys, client, () => this.provider.getPublicKey(this.clientSecretKey(client)));
  }

  /** @returns client `client`'s authenticator of requests (`macs` mode), its pairwise keys with the replicas derived once */
  clientAuthenticator(client: number): ClientAuthenticator {
    const make = (): ClientAuthenticator => new ClientAuthenticator(this.provider, client, this.clientSecretKey(client), (id) => this.replicaKey(id));
    return memo(this.clientAuthenticators, client, make);
  }

  /**
   * @returns replica `id`'s `macs`-mode authentication in a cluster of `members` (for the
   * simulator's strategies, which authenticate as the faulty replica only)
   */
  macAuthenticationOf(id: NodeId, members: readonly NodeId[]): ReplicaAuthentication {
    return memo(this.macAuthentications, `${id}|${members.join(",")}`, () => new ReplicaAuthentication(this.keysFor(id, members), id, members, "macs"));
  }

  /** @returns the keys replica `id` is built with */
  keysFor(id: NodeId, members: readonly NodeId[]): PbftKeys {
    return {
      provider: this.provider,
      secretKey: this.secretKeyOf(id),
      replicaKey: (peer) => (members.includes(peer) ? this.replicaKey(peer) : undefined),
      clientKey: (client) => this.clientKey(client),
      ...(members.includes(id) ? { threshold: this.thresholdKeysOf(id, members) } : {}),
    };
  }
}

function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= MAX_MEMO) map.clear();
    map.set(key, value);
  }
  return value;
}

/** The one key directory every simulated PBFT run uses. */
export const simulationKeys = new SimulationKeys();
