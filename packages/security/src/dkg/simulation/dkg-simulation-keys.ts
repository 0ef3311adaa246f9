import type { NodeId } from "@synod/core";
import { createIdealProvider } from "../../ideal-provider.js";
import type { CryptoProvider } from "../../provider.js";
import { seededRandomBytes } from "../../random.js";
import { statementBytes } from "../../statement.js";
import type { DkgKeys } from "../dkg-keys.js";

/** Seed of the simulation's ideal signature registry (fixed: keys are part of the scenario, not of the seed). */
const REGISTRY_SEED = 0xd16;

/**
 * The DKG simulation's signing keys: the ideal provider (unforgeable by construction) and a key per
 * member derived from its id. A participant's {@link DkgKeys} hold only its own secret key; the
 * simulator's Byzantine strategies ask for the faulty node's key alone (`secretKeyOf`).
 */
export class DkgSimulationKeys {
  readonly provider: CryptoProvider = createIdealProvider(seededRandomBytes(REGISTRY_SEED));
  private readonly publicKeys = new Map<NodeId, Uint8Array>();

  /** @returns the secret signing key of member `id` */
  secretKeyOf(id: NodeId): Uint8Array {
    return this.provider.sha256(statementBytes("synod/dkg/sim/key", id));
  }

  /** @returns the keys participant `id` is built with */
  keysFor(id: NodeId, members: readonly NodeId[]): DkgKeys {
    return {
      provider: this.provider,
      secretKey: this.secretKeyOf(id),
      publicKeyOf: (peer) => {
        if (!members.includes(peer)) return undefined;
        let key = this.publicKeys.get(peer);
        if (key === undefined) this.publicKeys.set(peer, (key = this.provider.getPublicKey(this.secretKeyOf(peer))));
        return key;
      },
    };
  }
}

/** The one key directory of the DKG simulation. */
export const dkgSimulationKeys = new DkgSimulationKeys();
