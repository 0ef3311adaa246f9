import { statementBytes, type CryptoProvider } from "@synod/security";
import type { Checkpoint, ClientMessage, Commit, FetchState, NewView, PbftMessage, PrePrepare, Prepare } from "./messages.js";
import type { DisputeAck, DisputeMessage, EvidenceMessage, ReadReply, Reply, Request, StateTransfer, ViewChange } from "./messages.js";
import type { SignedStatement } from "./evidence.js";

/** A signed message without its signature: what its sender fills in before signing. */
export type Unsigned<T> = Omit<T, "sig">;

/**
 * @returns the bytes a client signs for a request: its id, timestamp and command (not the proxy,
 * which only routes replies)
 */
export function requestStatement(request: Pick<Request, "client" | "timestamp" | "command">): Uint8Array {
  return statementBytes("synod/pbft/request/v1", request.client, request.timestamp, request.command);
}

/** @returns the digest of a request (its signed statement, hashed) */
export function requestDigest(provider: CryptoProvider, request: Request): Uint8Array {
  return provider.sha256(requestStatement(request));
}

/** @returns the digest of a batch: SHA-256 over the requests' digests in order (the null request: the hash of the empty string's statement) */
export function batchDigest(provider: CryptoProvider, requests: readonly Request[]): Uint8Array {
  return batchDigestOf(provider, requests.map((request) => requestDigest(provider, request)));
}

/** @returns the digest of a batch from its requests' digests, in order (see {@link batchDigest}) */
export function batchDigestOf(provider: CryptoProvider, requestDigests: readonly Uint8Array[]): Uint8Array {
  return provider.sha256(statementBytes("synod/pbft/batch/v1", requestDigests.length, ...requestDigests));
}

/**
 * `threshold` certificate mode: the bytes the group signs for a checkpoint certificate — the
 * sequence number and state digest, nothing of any one replica (every share signs the same bytes).
 */
export function checkpointCertificateStatement(seq: number, stateDigest: Uint8Array): Uint8Array {
  return statementBytes("synod/pbft/checkpointCertificate/v1", seq, stateDigest);
}

/**
 * `threshold` certificates with `signatures` authentication: the bytes the group signs for a
 * prepared certificate — the view, sequence number and batch digest, nothing of any one replica
 * (the primary's share on its pre-prepare and every backup's on its prepare sign the same bytes).
 */
export function preparedCertificateStatement(view: number, seq: number, digest: Uint8Array): Uint8Array {
  return statementBytes("synod/pbft/preparedCertificate/v1", view, seq, digest);
}

function certificateParts(message: ViewChange): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (const c of message.checkpointProof) parts.push(statementOf(c), c.sig);
  // `threshold` mode's certificate (absent in `signatures` mode, so its statements are unchanged).
  const certificate = message.checkpointCertificate;
  if (certificate !== undefined) {
    parts.push(statementBytes("synod/pbft/checkpointCertificateProof/v1", certificate.seq, certificate.stateDigest, certificate.signature));
  }
  for (const cert of message.prepared) {
    parts.push(statementOf(cert.prePrepare), cert.prePrepare.sig);
    for (const p of cert.prepares) parts.push(statementOf(p), p.sig);
    // `threshold` mode's group signature (absent in `signatures` mode, so its statements are unchanged).
    if (cert.signature !== undefined) parts.push(statementBytes("synod/pbft/preparedCertificateProof/v1", cert.signature));
  }
  // The claims of `macs` mode (empty in `signatures` mode, so its statements are unchanged).
  if (message.preparedClaims.length > 0 || message.prePrepared.length > 0) {
    parts.push(statementBytes("synod/pbft/claims/v1", message.preparedClaims.length, message.prePrepared.length));
    for (const claim of message.preparedClaims) {
      parts.push(statementBytes("synod/pbft/preparedClaim/v1", claim.view, claim.seq, claim.digest, claim.requests.length));
      for (const request of claim.requests) parts.push(requestStatement(request), request.sig);
    }
    for (const claim of message.prePrepared) parts.push(statementBytes("synod/pbft/prePreparedClaim/v1", claim.view, claim.seq, claim.digest));
  }
  return parts;
}

/** The domains of the normal-case statements, written out once (not a template string built for each message, then looked up). */
const DOMAINS = {
  prePrepare: "synod/pbft/prePrepare/v1",
  prepare: "synod/pbft/prepare/v1",
  commit: "synod/pbft/commit/v1",
  reply: "synod/pbft/reply/v1",
  readReply: "synod/pbft/readReply/v1",
} as const;

/**
 * The bytes a replica signs for a message: every field but the signature (a pre-prepare's requests
 * through the digest it carries, which receivers recompute; nested messages in full, with their own
 * signatures). Different message types never share a statement.
 */
export function statementOf(message: Unsigned<Exclude<PbftMessage, ClientMessage>>): Uint8Array {
  switch (message.type) {
    case "prePrepare":
    case "prepare":
    case "commit": {
      const m = message as Unsigned<PrePrepare | Prepare | Commit>;
      return statementBytes(DOMAINS[m.type], m.view, m.seq, m.digest, m.replica);
    }
    case "checkpoint": {
      const m = message as Unsigned<Checkpoint>;
      if (m.share !== undefined) return statementBytes("synod/pbft/checkpoint/v1", m.seq, m.stateDigest, m.replica, m.share);
      return statementBytes("synod/pbft/checkpoint/v1", m.seq, m.stateDigest, m.replica);
    }
    case "viewChange": {
      const m = message as Unsigned<ViewChange>;
      return statementBytes("synod/pbft/viewChange/v1", m.view, m.stableSeq, m.replica, m.checkpointProof.length, m.prepared.length, ...certificateParts(m as ViewChange));
    }
    case "newView": {
      const m = message as Unsigned<NewView>;
      const parts: Uint8Array[] = [];
      for (const vc of m.viewChanges) parts.push(statementOf(vc), vc.sig);
      for (const pp of m.prePrepares) parts.push(statementOf(pp), pp.sig);
      return statementBytes("synod/pbft/newView/v1", m.view, m.replica, m.viewChanges.length, ...parts);
    }
    case "reply":
    case "readReply": {
      const m = message as Unsigned<Reply | ReadReply>;
      return statementBytes(DOMAINS[m.type], m.view, m.client, m.timestamp, m.result, m.replica);
    }
    case "fetchState": {
      const m = message as Unsigned<FetchState>;
      return statementBytes("synod/pbft/fetchState/v1", m.seq, m.replica);
    }
    case "state": {
      const m = message as Unsigned<StateTransfer>;
      return statementBytes("synod/pbft/state/v1", m.seq, m.state, m.replica);
    }
    case "evidence": {
      const m = message as Unsigned<EvidenceMessage>;
      // An agreement statement by its fields (as it always was); a checkpoint, view-change or new-view by its own statement.
      const part = (x: SignedStatement) =>
        x.type === "prePrepare" || x.type === "prepare" || x.type === "commit"
          ? [statementBytes("synod/pbft/evidenceStatement/v1", x.type, x.view, x.seq, x.digest, x.replica), x.sig]
          : [statementOf(x), x.sig];
      return statementBytes("synod/pbft/evidence/v1", m.replica, ...part(m.first), ...part(m.second));
    }
    case "dispute": {
      const m = message as Unsigned<DisputeMessage>;
      return statementBytes("synod/pbft/dispute/v1", m.replica, statementOf(m.statement), m.statement.sig);
    }
    case "disputeAck": {
      const m = message as Unsigned<DisputeAck>;
      return statementBytes("synod/pbft/disputeAck/v1", m.kind, m.signer, m.at, m.replica);
    }
  }
}

/** @returns `message` signed with `secretKey` */
export function sign<T extends Exclude<PbftMessage, ClientMessage>>(provider: CryptoProvider, secretKey: Uint8Array, message: Unsigned<T>): T {
  return { ...message, sig: provider.sign(secretKey, statementOf(message)) } as T;
}

/** @returns whether `message.sig` is `replica`'s signature of it, under `publicKey`; never throws */
export function verifySigned(provider: CryptoProvider, publicKey: Uint8Array | undefined, message: Exclude<PbftMessage, ClientMessage>): boolean {
  if (publicKey === undefined) return false;
  try {
    return provider.verify(publicKey, statementOf(message), message.sig);
  } catch {
    return false;
  }
}

/** @returns whether `request` carries its client's signature; never throws */
export function verifyRequest(provider: CryptoProvider, publicKey: Uint8Array | undefined, request: Request): boolean {
  if (publicKey === undefined) return false;
  try {
    return provider.verify(publicKey, requestStatement(request), request.sig);
  } catch {
    return false;
  }
}
