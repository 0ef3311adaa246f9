import { err, ok, type NodeId, type Result } from "@synod/core";
import { utf8 } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { hkdfSha256 } from "./hkdf.js";
import type { NodeIdentity } from "./identity.js";
import type { CryptoProvider } from "./provider.js";
import { statementBytes } from "./statement.js";

/** The two MAC keys one node shares with a peer: one per direction (so a MAC cannot be reflected back). */
export interface PairwiseKeys {
  /** Key for MACs we send to the peer (the peer's `receiveKey` for us). */
  readonly sendKey: Uint8Array;
  /** Key for MACs the peer sends to us (the peer's `sendKey` for us). */
  readonly receiveKey: Uint8Array;
}

const SALT = utf8("synod/pairwise/v1");

function directionInfo(from: NodeId, to: NodeId, fromKey: Uint8Array, toKey: Uint8Array): Uint8Array {
  return statementBytes("synod/pairwise-mac/v1", utf8(from), utf8(to), fromKey, toKey);
}

/**
 * Derive the pairwise MAC keys between `self` and a peer from their identity keys: X25519 on the
 * Montgomery form of the Ed25519 keys (the provider's `sharedSecret`), then HKDF-SHA256 with the
 * direction (sender id, receiver id, their public keys) as info. Both sides derive the same keys,
 * swapped; no message is exchanged.
 * @param provider - computes the shared secret and the HMACs of HKDF
 * @param self - our identity
 * @param peerId - the peer's id
 * @param peerPublicKey - the peer's public key (from the keyring)
 * @returns our send and receive keys for this peer
 * @throws {CryptoError} when the peer key is malformed or of small order
 * @example
 * const ab = derivePairwiseKeys(provider, alice, "bob", bob.publicKey);
 * const ba = derivePairwiseKeys(provider, bob, "alice", alice.publicKey);
 * // ab.sendKey equals ba.receiveKey
 */
export function derivePairwiseKeys(provider: CryptoProvider, self: NodeIdentity, peerId: NodeId, peerPublicKey: Uint8Array): PairwiseKeys {
  const shared = provider.sharedSecret(self.secretKey, peerPublicKey);
  return {
    sendKey: hkdfSha256(provider, shared, SALT, directionInfo(self.nodeId, peerId, self.publicKey, peerPublicKey), 32),
    receiveKey: hkdfSha256(provider, shared, SALT, directionInfo(peerId, self.nodeId, peerPublicKey, self.publicKey), 32),
  };
}

/**
 * The pairwise keys of one node with all its peers, derived once per peer. Bounded.
 * @example
 * const table = new PairwiseKeyTable(provider, identity);
 * table.addPeer("n2", keyring.resolve("n2", 0).value);
 */
export class PairwiseKeyTable {
  private readonly peers = new Map<NodeId, PairwiseKeys>();

  /**
   * @param provider - the crypto provider
   * @param self - our identity
   * @param maxPeers - most peers (default 1024); beyond it {@link addPeer} fails with reason `limit`
   */
  constructor(
    private readonly provider: CryptoProvider,
    readonly self: NodeIdentity,
    private readonly maxPeers = 1024,
  ) {}

  /** Our node id. */
  get nodeId(): NodeId {
    return this.self.nodeId;
  }

  /**
   * Derive and store the keys for a peer (replacing earlier ones, e.g. after the peer rotated).
   * @returns ok, or err (bad peer key, `limit`)
   */
  addPeer(peerId: NodeId, peerPublicKey: Uint8Array): Result<void, CryptoError> {
    if (!this.peers.has(peerId) && this.peers.size >= this.maxPeers) return err(new CryptoError("limit", `pairwise key table is full (${this.maxPeers} peers)`, { peerId }));
    try {
      this.peers.set(peerId, derivePairwiseKeys(this.provider, this.self, peerId, peerPublicKey));
      return ok(undefined);
    } catch (error) {
      if (error instanceof CryptoError) return err(error);
      throw error;
    }
  }

  /** Forget a peer's keys. @returns whether it was known */
  removePeer(peerId: NodeId): boolean {
    return this.peers.delete(peerId);
  }

  /** @returns the keys shared with `peerId`, or undefined */
  keysFor(peerId: NodeId): PairwiseKeys | undefined {
    return this.peers.get(peerId);
  }

  /** @returns the ids of the peers with keys */
  peerIds(): NodeId[] {
    return [...this.peers.keys()];
  }
}
