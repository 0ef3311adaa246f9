import { createCodec, s, type Codec, type NodeId, type Schema } from "@synod/core";
import type { SignedStatement } from "./evidence.js";
import { BLS_SIGNATURE_BYTES, MAC_BYTES, MAX_AUTHENTICATOR_RECEIVERS, SIGNATURE_BYTES } from "@synod/security";

/** Largest client command carried by a request, in bytes. */
export const MAX_COMMAND_BYTES = 64 * 1024;
/** Largest batch of requests in one pre-prepare on the wire. */
export const MAX_BATCH_WIRE = 1024;
/** Largest number of certificates, proofs or pre-prepares in one view-change or new-view on the wire. */
export const MAX_SET_WIRE = 4096;
/** Largest state snapshot carried by one state-transfer message. */
export const MAX_STATE_BYTES = 1 << 22;
/** Bytes of a digest (SHA-256). */
export const DIGEST_BYTES = 32;
/** Most distinct digests a view-change claims pre-prepared at one sequence number (the latest views'). */
export const MAX_PRE_PREPARED_PER_SEQ = 4;

/**
 * A client's request, signed by the client: `timestamp` orders a client's requests (the session
 * sequence number); `proxy` is the replica the client talks to, which collects the replies (a
 * routing field the client's signature does not cover). `sig` is the client's signature or, in
 * `macs` mode, its authenticator: one HMAC per replica, in member order (`ClientAuthenticator`).
 */
export interface Request {
  readonly client: number;
  readonly timestamp: number;
  readonly proxy: NodeId;
  /** The state machine command (a KV command's bytes). */
  readonly command: Uint8Array;
  readonly sig: Uint8Array;
}

/**
 * The primary of `view` assigns sequence number `seq` to a batch of requests (empty: the null request).
 * Like a prepare, commit, reply and read reply, its `sig` is a signature, or in `macs` mode an
 * authenticator (`ReplicaAuthentication`).
 */
export interface PrePrepare {
  readonly type: "prePrepare";
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
  readonly requests: readonly Request[];
  readonly replica: NodeId;
  /** `threshold` certificates with signatures: the primary's {@link PrepareShare}. */
  readonly share?: Uint8Array | undefined;
  readonly sig: Uint8Array;
}

/**
 * A backup accepted the pre-prepare (view, seq, digest). With `threshold` certificates and
 * `signatures` authentication it carries `share` (see {@link PrepareShare}).
 */
export interface Prepare {
  readonly type: "prepare";
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
  readonly replica: NodeId;
  readonly share?: Uint8Array | undefined;
  readonly sig: Uint8Array;
}

/**
 * The `share` of a pre-prepare or prepare (`threshold` certificates, `signatures` authentication):
 * its sender's partial threshold signature of `preparedCertificateStatement(view, seq, digest)`. A
 * quorum q of them — the primary's on its pre-prepare and q−1 backups' on their prepares — combine
 * into the prepared certificate's group signature. The message's `sig` does not cover it: a
 * partial proves itself (only the holder of share i makes one that verifies for index i, and the
 * index is the sender's position), so agreement statements and misbehaviour evidence stay as in
 * `signatures` mode, and a certificate carries its pre-prepare without the share.
 */
export type PrepareShare = Uint8Array;

/** The sender holds a prepared certificate for (view, seq, digest). */
export interface Commit {
  readonly type: "commit";
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/**
 * The sender's state after executing `seq` has digest `stateDigest`. In `threshold` certificate mode
 * it also carries `share`: the sender's partial threshold signature of the checkpoint certificate's
 * statement (`checkpointCertificateStatement(seq, stateDigest)`), covered by `sig` too.
 */
export interface Checkpoint {
  readonly type: "checkpoint";
  readonly seq: number;
  readonly stateDigest: Uint8Array;
  readonly share?: Uint8Array | undefined;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/**
 * `threshold` certificate mode: the proof that the state after `seq` has digest `stateDigest` — one
 * group signature combined from a quorum q of checkpoint shares (the group's threshold is q), where
 * the `signatures` mode carries q signed checkpoint messages.
 */
export interface CheckpointCertificate {
  readonly seq: number;
  readonly stateDigest: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * A pre-prepare and q−1 matching prepares from distinct backups (2f when n = 3f+1; with the primary,
 * a quorum): the request was prepared in its view. With `threshold` certificates (and `signatures`
 * authentication) `prepares` is empty and `signature` proves the quorum instead: the group's
 * signature of `preparedCertificateStatement(view, seq, digest)`, combined from q shares (the
 * pre-prepare is carried without its own share).
 */
export interface PreparedCertificate {
  readonly prePrepare: PrePrepare;
  readonly prepares: readonly Prepare[];
  readonly signature?: Uint8Array | undefined;
}

/**
 * `macs` mode: a replica's own claim that it prepared `digest` (the batch `requests`) at `seq` in
 * `view`, the highest view it prepared a batch there (the paper's P set). Not a proof: it is
 * believed only as the new view's decision rules allow (certificates.ts, `decideFromClaims`).
 */
export interface PreparedClaim {
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
  readonly requests: readonly Request[];
}

/** `macs` mode: a replica's own claim that it pre-prepared `digest` at `seq`, `view` being the latest view it did (the paper's Q set). */
export interface PrePreparedClaim {
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
}

/**
 * The sender moves to `view`: its stable checkpoint (with 2f+1 signed checkpoint messages as proof;
 * none for sequence 0) and, for every sequence number above it, the prepared certificate of the
 * highest view it holds (the paper's C and P sets). In `macs` mode prepares are not transferable, so
 * `prepared` is empty and the sender states instead what it prepared (`preparedClaims`) and
 * pre-prepared (`prePrepared`), under its signature of the view-change.
 */
export interface ViewChange {
  readonly type: "viewChange";
  readonly view: number;
  readonly stableSeq: number;
  readonly checkpointProof: readonly Checkpoint[];
  /** `threshold` certificate mode: the stable checkpoint's proof (`checkpointProof` is then empty); absent for sequence 0. */
  readonly checkpointCertificate?: CheckpointCertificate | undefined;
  readonly prepared: readonly PreparedCertificate[];
  readonly preparedClaims: readonly PreparedClaim[];
  readonly prePrepared: readonly PrePreparedClaim[];
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/** The new primary starts `view` from 2f+1 view-changes (V) with the pre-prepares it derives from them (O). */
export interface NewView {
  readonly type: "newView";
  readonly view: number;
  readonly viewChanges: readonly ViewChange[];
  readonly prePrepares: readonly PrePrepare[];
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/** A replica's answer to a request it executed, sent to the request's proxy. */
export interface Reply {
  readonly type: "reply";
  readonly view: number;
  readonly client: number;
  readonly timestamp: number;
  /** The state machine's result, encoded (replies match when these bytes are equal). */
  readonly result: Uint8Array;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/** A lagging replica asks for the state at stable checkpoint `seq`. */
export interface FetchState {
  readonly type: "fetchState";
  readonly seq: number;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/** The state at checkpoint `seq` (checked by the receiver against a proven checkpoint digest). */
export interface StateTransfer {
  readonly type: "state";
  readonly seq: number;
  readonly state: Uint8Array;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/** A request forwarded between replicas (the client's retransmission to all). */
export interface RequestMessage {
  readonly type: "request";
  readonly request: Request;
}

/** A client's read-only request, multicast to every replica (the read-only optimisation: answered at once, never ordered). */
export interface ReadRequestMessage {
  readonly type: "readRequest";
  readonly request: Request;
}

/**
 * A replica's answer to a read-only request, from its state (everything it executed is committed):
 * a {@link Reply} under another type, so the two are never confused.
 */
export interface ReadReply extends Omit<Reply, "type"> {
  readonly type: "readReply";
}

/**
 * Misbehaviour evidence forwarded between replicas: two contradicting statements `first.replica`
 * signed (evidence.ts). The forwarder (`replica`) signs the message; the evidence proves itself.
 */
export interface EvidenceMessage {
  readonly type: "evidence";
  readonly first: SignedStatement;
  readonly second: SignedStatement;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/**
 * A checkpoint or view-change `statement.replica` signed, forwarded by `replica` so that a replica
 * holding another one from that signer finds the contradiction: a checkpoint whose state digest is
 * not the one the forwarder holds for that sequence number (a correct replica signs the same digest
 * as every other correct one, so either the signer is faulty or it told others another digest), or
 * a peer's view-change for the view the forwarder is in or changing to (a correct replica signs one
 * per view). Each receiver notes it beside what it holds from that signer (evidence.ts) — a second
 * one that contradicts convicts the signer — and acknowledges it ({@link DisputeAck}); the forwarder
 * sends it again each retransmission period to the peers that have not. The forwarder signs the
 * message; the statement proves itself (a bad signature inside is `invalid-evidence`, counted
 * against the forwarder).
 */
export interface DisputeMessage {
  readonly type: "dispute";
  readonly statement: Checkpoint | ViewChange;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/**
 * `replica` received the dispute of `signer`'s checkpoint (`kind` "checkpoint", `at` its sequence
 * number) or view-change (`at` its view) and noted it, or the misbehaviour evidence against
 * `signer` (`kind` "evidence", `at` 0) and holds `signer` proven faulty: the forwarder stops
 * sending it to `replica`. Signed by `replica` (an acknowledgement only ever speaks for its sender).
 */
export interface DisputeAck {
  readonly type: "disputeAck";
  readonly kind: "checkpoint" | "viewChange" | "evidence";
  readonly signer: NodeId;
  readonly at: number;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/** Every PBFT message. Each but `request` and `readRequest` is signed by `replica`, which must be the envelope's sender. */
export type PbftMessage =
  | RequestMessage
  | ReadRequestMessage
  | PrePrepare
  | Prepare
  | Commit
  | Checkpoint
  | ViewChange
  | NewView
  | Reply
  | ReadReply
  | FetchState
  | StateTransfer
  | EvidenceMessage
  | DisputeMessage
  | DisputeAck;

/** The messages a client (not a replica) originates: their authenticity is the client's signature of the request. */
export type ClientMessage = RequestMessage | ReadRequestMessage;

/** The message kinds. */
export type PbftMessageType = PbftMessage["type"];

const seqNo = s.uint();
const view = s.uint();
const digest = s.bytes({ minLength: DIGEST_BYTES, maxLength: DIGEST_BYTES });
const sig = s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES });
/** A signature, or an authenticator (one MAC, or one per member). */
const auth = s.bytes({ minLength: MAC_BYTES, maxLength: MAC_BYTES * MAX_AUTHENTICATOR_RECEIVERS });
const replica = s.nodeId();

/** Schema of a {@link Request}. */
export const requestSchema: Schema<Request> = s.object({ client: s.uint(), timestamp: s.uint(), proxy: s.nodeId(), command: s.bytes({ maxLength: MAX_COMMAND_BYTES }), sig: auth });
const thresholdSignature = s.bytes({ minLength: BLS_SIGNATURE_BYTES, maxLength: BLS_SIGNATURE_BYTES });
const share = s.optional(thresholdSignature);
const prePrepareShape = { type: s.literal("prePrepare"), view, seq: seqNo, digest, requests: s.array(requestSchema, { maxLength: MAX_BATCH_WIRE }), replica, share, sig: auth };
const commitShape = { type: s.literal("commit"), view, seq: seqNo, digest, replica, sig: auth };
const prepareShape = { ...commitShape, type: s.literal("prepare"), share };
/** The fields of a reply and of a read-only reply (they differ only in their type). */
const replyFields = { view, client: s.uint(), timestamp: s.uint(), result: s.bytes({ maxLength: MAX_COMMAND_BYTES }), replica, sig: auth };
const checkpointShape = { type: s.literal("checkpoint"), seq: seqNo, stateDigest: digest, share: s.optional(thresholdSignature), replica, sig };
/** Schema of a {@link CheckpointCertificate}. */
export const checkpointCertificateSchema: Schema<CheckpointCertificate> = s.object({ seq: seqNo, stateDigest: digest, signature: thresholdSignature });
/** Schema of a {@link PrePrepare}. */
export const prePrepareSchema: Schema<PrePrepare> = s.object(prePrepareShape);
/** Schema of a {@link Checkpoint}. */
export const checkpointSchema: Schema<Checkpoint> = s.object(checkpointShape);
/** Schema of a list of {@link PrePreparedClaim} (a view-change's, or a replica's durable Q set). */
export const prePreparedClaimsSchema = s.array(s.object({ view, seq: seqNo, digest }), { maxLength: MAX_SET_WIRE });
/** Schema of a {@link PreparedCertificate}. */
export const certificateSchema: Schema<PreparedCertificate> = s.object({
  prePrepare: prePrepareSchema,
  prepares: s.array(s.object(prepareShape), { maxLength: 1024 }),
  signature: s.optional(thresholdSignature),
});
const viewChangeShape = {
  type: s.literal("viewChange"),
  view,
  stableSeq: seqNo,
  checkpointProof: s.array(checkpointSchema, { maxLength: 1024 }),
  checkpointCertificate: s.optional(checkpointCertificateSchema),
  prepared: s.array(certificateSchema, { maxLength: MAX_SET_WIRE }),
  preparedClaims: s.array(s.object({ view, seq: seqNo, digest, requests: s.array(requestSchema, { maxLength: MAX_BATCH_WIRE }) }), { maxLength: MAX_SET_WIRE }),
  prePrepared: prePreparedClaimsSchema,
  replica,
  sig,
};
/** Schema of a {@link ViewChange}. */
export const viewChangeSchema: Schema<ViewChange> = s.object(viewChangeShape);
const newViewShape = {
  type: s.literal("newView"),
  view,
  viewChanges: s.array(viewChangeSchema, { maxLength: 1024 }),
  prePrepares: s.array(prePrepareSchema, { maxLength: MAX_SET_WIRE }),
  replica,
  sig,
};
/** Schema of a {@link NewView}. */
export const newViewSchema: Schema<NewView> = s.object(newViewShape);

const agreementStatementShape = { view, seq: seqNo, digest, replica, sig };
/**
 * Schema of a {@link SignedStatement} (misbehaviour evidence's halves): an agreement statement
 * (signed, never a MAC), or a whole checkpoint, view-change or new-view.
 */
export const signedStatementSchema: Schema<SignedStatement> = s.variant("type", {
  prePrepare: agreementStatementShape,
  prepare: agreementStatementShape,
  commit: agreementStatementShape,
  checkpoint: checkpointShape,
  viewChange: viewChangeShape,
  newView: newViewShape,
}) as Schema<SignedStatement>;

/** Schema of a {@link PbftMessage}: shapes and ranges only (signatures and quorums are the replica's to check). */
export const pbftMessageSchema: Schema<PbftMessage> = s.variant("type", {
  request: { request: requestSchema },
  prePrepare: prePrepareShape,
  prepare: prepareShape,
  commit: commitShape,
  checkpoint: checkpointShape,
  viewChange: viewChangeShape,
  newView: newViewShape,
  reply: replyFields,
  readRequest: { request: requestSchema },
  readReply: replyFields,
  fetchState: { seq: seqNo, replica, sig },
  state: { seq: seqNo, state: s.bytes({ maxLength: MAX_STATE_BYTES }), replica, sig },
  evidence: { first: signedStatementSchema, second: signedStatementSchema, replica, sig },
  dispute: { statement: s.variant("type", { checkpoint: checkpointShape, viewChange: viewChangeShape }) as Schema<Checkpoint | ViewChange>, replica, sig },
  disputeAck: { kind: s.enumOf(["checkpoint", "viewChange", "evidence"]), signer: replica, at: s.uint(), replica, sig },
}) as Schema<PbftMessage>;

/** The validating codec of PBFT messages (8 MiB: a new-view with full certificates, or a state transfer). */
export const pbftMessageCodec: Codec<PbftMessage> = createCodec(pbftMessageSchema, { maxBytes: 8 << 20 });
