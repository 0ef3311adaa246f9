import { err, isNodeId, ok, type NodeId, type Result } from "@synod/core";
import { equalBytes } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { registrationContext, type KeyRegistration } from "./identity.js";
import type { CryptoProvider } from "./provider.js";
import { MAX_EPOCH, rotationStatement, type RotationCertificate } from "./rotation.js";

/** Options of a {@link Keyring}. */
export interface KeyringOptions {
  /** Most nodes the keyring holds (default 4096). Registrations beyond it fail with reason `limit`. */
  readonly maxNodes?: number;
  /**
   * Most epochs kept per node (default 8). Older keys are forgotten: signatures under them then
   * fail with `stale-epoch`. More epochs keep older certificates checkable; fewer bound memory.
   */
  readonly maxRetainedEpochs?: number;
}

/** One key of a node, as the keyring knows it. */
export interface KeyRecord {
  readonly epoch: number;
  readonly publicKey: Uint8Array;
  readonly revoked: boolean;
}

interface NodeKeys {
  keys: { epoch: number; publicKey: Uint8Array; revoked: boolean }[];
  revoked: boolean;
}

/** How {@link Keyring.resolve} treats keys superseded by a rotation. */
export interface ResolveOptions {
  /**
   * false (default): only the current epoch's key resolves; older ones fail with `stale-epoch`
   * (fresh messages must use the current key). true: a retained older key resolves too — for
   * checking signatures made before a rotation (e.g. inside a quorum certificate).
   */
  readonly allowSuperseded?: boolean;
}

/**
 * Maps node ids to their public keys, per epoch. Keys enter by registration (with a proof of
 * possession), by trusted configuration or admission, and change by rotation certificates signed
 * by the previous key. Keys and whole nodes can be revoked. Pure and deterministic; bounded.
 * @example
 * const keyring = new Keyring(provider);
 * keyring.register(createKeyRegistration(provider, identity, random));
 * keyring.verify("n1", 0, message, signature); // ok(undefined) or err(CryptoError)
 */
export class Keyring {
  private readonly nodes = new Map<NodeId, NodeKeys>();
  private readonly maxNodes: number;
  private readonly maxRetainedEpochs: number;

  /**
   * @param provider - verifies proofs, rotation signatures and message signatures
   * @param options - bounds, see {@link KeyringOptions}
   */
  constructor(
    private readonly provider: CryptoProvider,
    options: KeyringOptions = {},
  ) {
    this.maxNodes = options.maxNodes ?? 4096;
    this.maxRetainedEpochs = Math.max(1, options.maxRetainedEpochs ?? 8);
  }

  /** Number of nodes known. */
  get size(): number {
    return this.nodes.size;
  }

  /**
   * Register a node's epoch-0 key after checking its proof of possession.
   * Registering the same key again is a no-op; a different key for a known id is refused
   * (use rotation).
   * @returns ok, or err with reason `bad-length`/`not-on-curve`/`small-order` (bad key), `bad-proof`, `bad-parameters` (known id, other key), `revoked-key`, `limit`
   */
  register(registration: KeyRegistration): Result<void, CryptoError> {
    if (typeof registration !== "object" || registration === null || !isNodeId(registration.nodeId)) {
      return err(new CryptoError("bad-parameters", "a key registration is an object with a node id, a public key and a proof"));
    }
    const badKey = this.provider.checkPublicKey(registration.publicKey);
    if (badKey) return err(badKey);
    if (!this.provider.verifyPossession(registration.publicKey, registrationContext(registration.nodeId), registration.proof)) {
      return err(new CryptoError("bad-proof", `registration of ${registration.nodeId}: proof of possession does not verify`, { nodeId: registration.nodeId }));
    }
    return this.registerTrusted(registration.nodeId, registration.publicKey);
  }

  /**
   * Register a key vouched for by other means (static configuration, an admission certificate).
   * @param epoch - the epoch of this key (default 0)
   * @returns ok, or err (bad key, `bad-parameters` for a conflicting key, `revoked-key`, `limit`)
   */
  registerTrusted(nodeId: NodeId, publicKey: Uint8Array, epoch = 0): Result<void, CryptoError> {
    if (!isNodeId(nodeId)) return err(new CryptoError("bad-parameters", `invalid node id ${JSON.stringify(nodeId)}`));
    if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) return err(new CryptoError("bad-parameters", `epoch must be in [0, ${MAX_EPOCH}]`, { nodeId }));
    const badKey = this.provider.checkPublicKey(publicKey);
    if (badKey) return err(badKey);
    const known = this.nodes.get(nodeId);
    if (known) {
      if (known.revoked) return err(new CryptoError("revoked-key", `${nodeId} is revoked and cannot be registered again`, { nodeId }));
      const same = known.keys.find((key) => key.epoch === epoch);
      if (same && equalBytes(same.publicKey, publicKey)) return ok(undefined);
      return err(new CryptoError("bad-parameters", `${nodeId} is already registered with another key; rotate instead`, { nodeId }));
    }
    if (this.nodes.size >= this.maxNodes) return err(new CryptoError("limit", `keyring is full (${this.maxNodes} nodes)`, { nodeId }));
    this.nodes.set(nodeId, { keys: [{ epoch, publicKey: publicKey.slice(), revoked: false }], revoked: false });
    return ok(undefined);
  }

  /**
   * Apply a rotation certificate: checks it is for the next epoch, signed by the current
   * (unrevoked) key, and carries a valid proof of possession of the new key.
   * Applying the same certificate twice is a no-op.
   * @returns ok(new epoch) or err (`unknown-signer`, `revoked-key`, `stale-epoch`, `bad-signature`, `bad-proof`, key problems)
   */
  applyRotation(certificate: RotationCertificate): Result<number, CryptoError> {
    if (typeof certificate !== "object" || certificate === null || !(certificate.publicKey instanceof Uint8Array)) {
      return err(new CryptoError("bad-parameters", "a rotation certificate is an object with a node id, an epoch, a public key and signatures"));
    }
    const { nodeId, epoch, publicKey } = certificate;
    const node = this.nodes.get(nodeId);
    if (!node) return err(new CryptoError("unknown-signer", `rotation for unknown node ${nodeId}`, { nodeId }));
    if (node.revoked) return err(new CryptoError("revoked-key", `rotation for revoked node ${nodeId}`, { nodeId }));
    const current = node.keys[node.keys.length - 1]!;
    if (epoch === current.epoch && equalBytes(current.publicKey, publicKey)) return ok(epoch);
    if (!Number.isSafeInteger(epoch) || epoch !== current.epoch + 1 || epoch > MAX_EPOCH) {
      return err(new CryptoError("stale-epoch", `rotation of ${nodeId} to epoch ${epoch}, expected ${current.epoch + 1}`, { nodeId, epoch }));
    }
    if (current.revoked) return err(new CryptoError("revoked-key", `${nodeId}'s current key is revoked; it cannot sign a rotation`, { nodeId }));
    const badKey = this.provider.checkPublicKey(publicKey);
    if (badKey) return err(badKey);
    const statement = rotationStatement(nodeId, epoch, publicKey);
    if (!this.provider.verify(current.publicKey, statement, certificate.signature)) {
      return err(new CryptoError("bad-signature", `rotation of ${nodeId} is not signed by its epoch-${current.epoch} key`, { nodeId, epoch }));
    }
    if (!this.provider.verifyPossession(publicKey, statement, certificate.proof)) {
      return err(new CryptoError("bad-proof", `rotation of ${nodeId}: proof of possession of the new key does not verify`, { nodeId, epoch }));
    }
    node.keys.push({ epoch, publicKey: publicKey.slice(), revoked: false });
    while (node.keys.length > this.maxRetainedEpochs) node.keys.shift();
    return ok(epoch);
  }

  /**
   * Revoke one key of a node (e.g. after it leaked). Signatures under it fail with `revoked-key`,
   * including old ones; a revoked current key cannot sign a rotation.
   * @returns whether the key was known
   */
  revokeKey(nodeId: NodeId, epoch: number): boolean {
    const key = this.nodes.get(nodeId)?.keys.find((k) => k.epoch === epoch);
    if (!key) return false;
    key.revoked = true;
    return true;
  }

  /**
   * Revoke a node entirely: every key, present and future; it cannot rotate or re-register.
   * @returns whether the node was known
   */
  revokeNode(nodeId: NodeId): boolean {
    const node = this.nodes.get(nodeId);
    if (!node) return false;
    node.revoked = true;
    for (const key of node.keys) key.revoked = true;
    return true;
  }

  /** @returns the node's current epoch, or undefined when unknown */
  currentEpoch(nodeId: NodeId): number | undefined {
    const node = this.nodes.get(nodeId);
    return node ? node.keys[node.keys.length - 1]!.epoch : undefined;
  }

  /** @returns the retained keys of a node, oldest first (copies), or [] when unknown */
  keysOf(nodeId: NodeId): KeyRecord[] {
    return (this.nodes.get(nodeId)?.keys ?? []).map((k) => ({ epoch: k.epoch, publicKey: k.publicKey.slice(), revoked: k.revoked }));
  }

  /**
   * Find the key a signature by `nodeId` at `epoch` must verify under.
   * @returns the public key, or err: `unknown-signer` (unknown node or future epoch), `revoked-key`, `stale-epoch` (superseded or forgotten)
   */
  resolve(nodeId: NodeId, epoch: number, options: ResolveOptions = {}): Result<Uint8Array, CryptoError> {
    const node = this.nodes.get(nodeId);
    if (!node) return err(new CryptoError("unknown-signer", `no key registered for ${JSON.stringify(nodeId)}`, { nodeId }));
    if (node.revoked) return err(new CryptoError("revoked-key", `${nodeId} is revoked`, { nodeId, epoch }));
    const current = node.keys[node.keys.length - 1]!;
    if (epoch > current.epoch) return err(new CryptoError("unknown-signer", `${nodeId} has no key for future epoch ${epoch} (current ${current.epoch})`, { nodeId, epoch }));
    const key = node.keys.find((k) => k.epoch === epoch);
    if (!key) return err(new CryptoError("stale-epoch", `${nodeId}'s key for epoch ${epoch} is no longer retained (current ${current.epoch})`, { nodeId, epoch }));
    if (key.revoked) return err(new CryptoError("revoked-key", `${nodeId}'s key for epoch ${epoch} is revoked`, { nodeId, epoch }));
    if (key !== current && options.allowSuperseded !== true) {
      return err(new CryptoError("stale-epoch", `${nodeId}'s key for epoch ${epoch} was superseded by epoch ${current.epoch}`, { nodeId, epoch }));
    }
    return ok(key.publicKey);
  }

  /**
   * Verify a signature by `nodeId` with its key of `epoch`.
   * @returns ok, or the resolve error, or the provider's encoding error, or `bad-signature`
   */
  verify(nodeId: NodeId, epoch: number, message: Uint8Array, signature: Uint8Array, options: ResolveOptions = {}): Result<void, CryptoError> {
    const key = this.resolve(nodeId, epoch, options);
    if (!key.ok) return key;
    const malformed = this.provider.checkSignature(signature);
    if (malformed) return err(malformed);
    if (!this.provider.verify(key.value, message, signature)) {
      return err(new CryptoError("bad-signature", `signature by ${nodeId} (epoch ${epoch}) does not verify`, { nodeId, epoch }));
    }
    return ok(undefined);
  }
}
