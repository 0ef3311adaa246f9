import type { NodeId } from "@synod/core";
import type { CryptoProvider } from "../provider.js";

/** What a DKG participant signs broadcast items with: its own secret key and everyone's public keys. */
export interface DkgKeys {
  readonly provider: CryptoProvider;
  readonly secretKey: Uint8Array;
  /** @returns the signing key of participant `id`, undefined for a non-member */
  publicKeyOf(id: NodeId): Uint8Array | undefined;
}
