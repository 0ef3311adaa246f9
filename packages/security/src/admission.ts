import { err, ok, s, type NodeId, type Result } from "@synod/core";
import { utf8 } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, type CryptoProvider } from "./provider.js";
import { statementBytes } from "./statement.js";

/**
 * A membership certificate: the authority vouches that `nodeId` owns `publicKey` and may be a
 * member until `expiresAtTick` (logical ticks of the cluster). This is the Sybil defence: without a
 * certificate, creating identities gains an attacker nothing.
 */
export interface MembershipCertificate {
  readonly nodeId: NodeId;
  readonly publicKey: Uint8Array;
  /** Last tick at which the certificate is valid. */
  readonly expiresAtTick: number;
  /** The authority's signature over {@link membershipStatement}. */
  readonly signature: Uint8Array;
}

/** Wire schema of a {@link MembershipCertificate}. */
export const membershipCertificateSchema = s.object({
  nodeId: s.nodeId(),
  publicKey: s.bytes({ minLength: PUBLIC_KEY_BYTES, maxLength: PUBLIC_KEY_BYTES }),
  expiresAtTick: s.uint(),
  signature: s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES }),
});

/** @returns the bytes the authority signs for a certificate */
export function membershipStatement(nodeId: NodeId, publicKey: Uint8Array, expiresAtTick: number): Uint8Array {
  return statementBytes("synod/membership/v1", utf8(nodeId), publicKey, expiresAtTick);
}

/**
 * Issue a certificate (run by the authority, e.g. the operator's tooling, never inside a node).
 * @param authoritySecretKey - the authority's signing key
 * @returns the certificate
 * @example
 * const cert = issueMembershipCertificate(provider, authority.secretKey, "n5", n5.publicKey, 1_000_000);
 */
export function issueMembershipCertificate(provider: CryptoProvider, authoritySecretKey: Uint8Array, nodeId: NodeId, publicKey: Uint8Array, expiresAtTick: number): MembershipCertificate {
  return { nodeId, publicKey, expiresAtTick, signature: provider.sign(authoritySecretKey, membershipStatement(nodeId, publicKey, expiresAtTick)) };
}

/** Options of {@link AdmissionControl}. */
export interface AdmissionOptions {
  /** Most members admitted at once (default 1024); further joins fail with reason `limit`. */
  readonly maxMembers?: number;
  /** Most revoked node ids remembered (default 4096). */
  readonly maxRevoked?: number;
}

/**
 * Admission control for membership: only peers holding a certificate from the configured authority
 * (signed, unexpired, not revoked) may join. Pure and deterministic: time is the caller's tick.
 * @example
 * const admission = new AdmissionControl(provider, authorityPublicKey);
 * const admitted = admission.admit(certificate, nowTick);
 * if (admitted.ok) keyring.registerTrusted(certificate.nodeId, certificate.publicKey);
 */
export class AdmissionControl {
  private readonly members = new Map<NodeId, MembershipCertificate>();
  private readonly revoked = new Set<NodeId>();
  private readonly maxMembers: number;
  private readonly maxRevoked: number;

  /**
   * @param provider - verifies the authority's signatures
   * @param authorityPublicKey - the only key whose certificates are accepted
   * @throws {CryptoError} when the authority key is malformed
   */
  constructor(
    private readonly provider: CryptoProvider,
    private readonly authorityPublicKey: Uint8Array,
    options: AdmissionOptions = {},
  ) {
    const bad = provider.checkPublicKey(authorityPublicKey);
    if (bad) throw bad;
    this.maxMembers = options.maxMembers ?? 1024;
    this.maxRevoked = options.maxRevoked ?? 4096;
  }

  /** Number of admitted members. */
  get size(): number {
    return this.members.size;
  }

  /**
   * Check a certificate and admit its node.
   * @param nowTick - the current logical tick
   * @returns ok (the admitted certificate), or err with reason `not-admitted` (bad signature, wrong
   *   authority, expired, revoked, conflicting key), a key encoding problem, or `limit`
   */
  admit(certificate: MembershipCertificate, nowTick: number): Result<MembershipCertificate, CryptoError> {
    const { nodeId, publicKey, expiresAtTick, signature } = certificate;
    if (this.revoked.has(nodeId)) return err(new CryptoError("not-admitted", `${nodeId} has been revoked`, { nodeId }));
    if (!Number.isSafeInteger(expiresAtTick) || expiresAtTick < nowTick) {
      return err(new CryptoError("not-admitted", `certificate of ${nodeId} expired at tick ${expiresAtTick} (now ${nowTick})`, { nodeId }));
    }
    const badKey = this.provider.checkPublicKey(publicKey);
    if (badKey) return err(badKey);
    if (this.provider.checkSignature(signature) || !this.provider.verify(this.authorityPublicKey, membershipStatement(nodeId, publicKey, expiresAtTick), signature)) {
      return err(new CryptoError("not-admitted", `certificate of ${nodeId} is not signed by the configured authority`, { nodeId }));
    }
    const existing = this.members.get(nodeId);
    if (existing && !sameKey(existing.publicKey, publicKey)) {
      return err(new CryptoError("not-admitted", `${nodeId} is already a member with another key`, { nodeId }));
    }
    if (!existing && this.members.size >= this.maxMembers) return err(new CryptoError("limit", `membership is full (${this.maxMembers})`, { nodeId }));
    this.members.set(nodeId, certificate);
    return ok(certificate);
  }

  /** @returns whether `nodeId` is admitted and its certificate unexpired at `nowTick` */
  isMember(nodeId: NodeId, nowTick: number): boolean {
    const certificate = this.members.get(nodeId);
    return certificate !== undefined && certificate.expiresAtTick >= nowTick;
  }

  /** Remove members whose certificates expired before `nowTick`. @returns the removed ids */
  expire(nowTick: number): NodeId[] {
    const removed: NodeId[] = [];
    for (const [nodeId, certificate] of this.members) {
      if (certificate.expiresAtTick < nowTick) {
        this.members.delete(nodeId);
        removed.push(nodeId);
      }
    }
    return removed;
  }

  /** Revoke a node: it is removed and its certificates are refused from now on. */
  revoke(nodeId: NodeId): void {
    this.members.delete(nodeId);
    if (this.revoked.size >= this.maxRevoked) {
      const oldest = this.revoked.values().next().value;
      if (oldest !== undefined) this.revoked.delete(oldest);
    }
    this.revoked.add(nodeId);
  }
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
