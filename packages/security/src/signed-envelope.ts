import { createCodec, err, ok, s, type Codec, type DecodeError, type NodeId, type Result } from "@synod/core";
import { utf8 } from "./bytes.js";
import { CryptoError, type CryptoFailureReason } from "./crypto-error.js";
import type { NodeIdentity } from "./identity.js";
import { requireIdentity } from "./identity-check.js";
import type { Keyring } from "./keyring.js";
import { SIGNATURE_BYTES, type CryptoProvider } from "./provider.js";
import { ReplayWindow } from "./replay-window.js";
import type { SequenceLease } from "./sequence-lease.js";
import { MAX_EPOCH } from "./rotation.js";
import { statementBytes } from "./statement.js";

/**
 * A payload signed by its sender. The signature covers the canonical bytes of
 * (domain, sender, epoch, seq, payload), so none of them can be changed, and (sender, epoch, seq)
 * is unique per message, so a receiver accepts each envelope once.
 */
export interface SignedEnvelope {
  readonly sender: NodeId;
  /** The epoch of the sender's key that signed. */
  readonly epoch: number;
  /** Per-sender sequence number, ≥ 1, increasing. */
  readonly seq: number;
  /** The message, already encoded (by the protocol's codec). */
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

/** Default largest payload of a signed envelope: 1 MiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

/**
 * The wire schema of a {@link SignedEnvelope}.
 * @param maxPayloadBytes - largest accepted payload (default 1 MiB)
 */
export function signedEnvelopeSchema(maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES) {
  return s.object({
    sender: s.nodeId(),
    epoch: s.int({ min: 0, max: MAX_EPOCH }),
    seq: s.int({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    payload: s.bytes({ maxLength: maxPayloadBytes }),
    signature: s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES }),
  });
}

/**
 * Codec of signed envelopes on the wire (payloads up to `maxPayloadBytes`, default 1 MiB): `encode`
 * throws an EncodeError for an envelope its decoder would refuse; `decode` returns a Result, never throws.
 * @example const decoded = signedEnvelopeCodec().decode(bytes); if (decoded.ok) verifier.open(decoded.value);
 */
export function signedEnvelopeCodec(maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES): Codec<SignedEnvelope> {
  return createCodec<SignedEnvelope>(signedEnvelopeSchema(maxPayloadBytes), { maxBytes: maxPayloadBytes + ENVELOPE_FRAMING_BYTES });
}

/** Bytes of an encoded envelope beyond its payload: field names, sender id, epoch, seq, signature (generous). */
const ENVELOPE_FRAMING_BYTES = 1024;

/** @returns the bytes an envelope's signature covers */
export function envelopeSigningBytes(sender: NodeId, epoch: number, seq: number, payload: Uint8Array): Uint8Array {
  return statementBytes("synod/envelope/v1", utf8(sender), epoch, seq, payload);
}

/**
 * Signs outgoing payloads for one identity, numbering them from a {@link SequenceLease}: the lease
 * makes each block's high-water mark durable before its first number is used, so a restarted signer
 * (built from the recovered reservations) never reuses a sequence number.
 * @example
 * const signer = new EnvelopeSigner(provider, identity, SequenceLease.recover(recovered, (r) => step.persist(r)));
 * const envelope = signer.seal(codec.encode(message));
 */
export class EnvelopeSigner {
  /**
   * @param provider - signs
   * @param identity - the sender; replace it with {@link useIdentity} after a rotation
   * @param lease - where sequence numbers come from (durable high-water mark)
   */
  constructor(
    private readonly provider: CryptoProvider,
    private identity: NodeIdentity,
    private readonly lease: SequenceLease,
  ) {
    requireIdentity(identity);
  }

  /** The sequence number the next {@link seal} will use. */
  get nextSeq(): number {
    return this.lease.peek;
  }

  /** Switch to a rotated identity (same node id); sequence numbering continues. */
  useIdentity(identity: NodeIdentity): void {
    requireIdentity(identity);
    if (identity.nodeId !== this.identity.nodeId) throw new CryptoError("bad-parameters", `identity is for ${identity.nodeId}, signer is for ${this.identity.nodeId}`);
    this.identity = identity;
  }

  /** @returns the signed envelope of `payload` with the next sequence number */
  seal(payload: Uint8Array): SignedEnvelope {
    const seq = this.lease.take();
    const { nodeId, epoch, secretKey } = this.identity;
    const signature = this.provider.sign(secretKey, envelopeSigningBytes(nodeId, epoch, seq, payload));
    return { sender: nodeId, epoch, seq, payload, signature };
  }

  /** @returns {@link seal} of `codec.encode(value)` */
  sealValue<M>(codec: Codec<M>, value: M): SignedEnvelope {
    return this.seal(codec.encode(value));
  }
}

/** Options of an {@link EnvelopeVerifier}. */
export interface EnvelopeVerifierOptions {
  /** How far behind a sender's highest sequence number a message may arrive and still be accepted once (default 1024). */
  readonly replayWindow?: number;
  /** Most senders with replay state (default 4096); envelopes from more fail with reason `limit`. */
  readonly maxSenders?: number;
  /** Replay state read back after a restart (the records `persist` received, or a {@link EnvelopeVerifier.replayState} snapshot). */
  readonly recovered?: readonly AcceptedEnvelope[];
  /**
   * Makes an acceptance durable before {@link EnvelopeVerifier.open} returns it (in a protocol: queue it
   * in the step that handles the message). Without it, a restarted verifier accepts old envelopes again.
   */
  readonly persist?: (accepted: AcceptedEnvelope) => void;
}

/** The durable record of one accepted envelope: enough to refuse it again after a restart. */
export interface AcceptedEnvelope {
  readonly sender: NodeId;
  readonly epoch: number;
  readonly seq: number;
}

/** Counts of rejected envelopes by reason, and of accepted ones. */
export type EnvelopeCounters = Record<CryptoFailureReason | "accepted", number>;

/**
 * Checks incoming signed envelopes: known, unrevoked, current key; well-formed and valid
 * signature; not seen before. Every rejection is a typed {@link CryptoError} and is counted; a bad
 * envelope never throws.
 * Check order: signature encoding → key (unknown-signer / revoked-key / stale-epoch) → replay →
 * signature → record. Replays are rejected before the (costly) verification; an envelope is
 * recorded only once its signature verified, so forgeries cannot poison the replay window.
 * @example
 * const verifier = new EnvelopeVerifier(provider, keyring);
 * const result = verifier.open(envelope);
 * if (result.ok) handle(result.value.sender, result.value.payload);
 */
export class EnvelopeVerifier {
  private readonly windows = new Map<NodeId, ReplayWindow>();
  private readonly windowSize: number;
  private readonly maxSenders: number;
  private readonly persist: ((accepted: AcceptedEnvelope) => void) | undefined;
  /** Counters of outcomes, for metrics. */
  readonly counters: EnvelopeCounters = {
    accepted: 0,
    "bad-length": 0,
    "non-canonical": 0,
    "not-on-curve": 0,
    "small-order": 0,
    "bad-signature": 0,
    "bad-proof": 0,
    "bad-parameters": 0,
    "bad-share": 0,
    "insufficient-shares": 0,
    "unknown-signer": 0,
    replayed: 0,
    "revoked-key": 0,
    "stale-epoch": 0,
    "not-admitted": 0,
    limit: 0,
  };

  /**
   * @param provider - verifies signatures
   * @param keyring - resolves (sender, epoch) to a key
   * @param options - bounds, see {@link EnvelopeVerifierOptions}
   */
  constructor(
    private readonly provider: CryptoProvider,
    private readonly keyring: Keyring,
    options: EnvelopeVerifierOptions = {},
  ) {
    this.windowSize = Math.max(1, options.replayWindow ?? 1024);
    this.maxSenders = options.maxSenders ?? 4096;
    this.persist = options.persist;
    for (const { sender, epoch, seq } of options.recovered ?? []) this.windowFor(sender)?.record(epoch, seq);
  }

  /**
   * @returns the replay state as records, oldest first per sender: persist them as a compaction of
   *   the records `persist` received (they rebuild the same windows through `recovered`)
   */
  replayState(): AcceptedEnvelope[] {
    return [...this.windows].flatMap(([sender, window]) => window.entries().map(({ epoch, seq }) => ({ sender, epoch, seq })));
  }

  private windowFor(sender: NodeId): ReplayWindow | undefined {
    let window = this.windows.get(sender);
    if (!window && this.windows.size < this.maxSenders) {
      window = new ReplayWindow(this.windowSize);
      this.windows.set(sender, window);
    }
    return window;
  }

  /**
   * Verify an envelope and record it as seen.
   * @returns the envelope, or err with reason `bad-length`/`non-canonical` (malformed signature),
   *   `unknown-signer`, `revoked-key`, `stale-epoch`, `replayed`, `bad-signature` or `limit`
   */
  open(envelope: SignedEnvelope): Result<SignedEnvelope, CryptoError> {
    const result = this.check(envelope);
    this.counters[result.ok ? "accepted" : result.error.reason] += 1;
    return result;
  }

  /**
   * {@link open}, then decode the payload with `codec`.
   * @returns the decoded message with its sender, or the CryptoError / DecodeError
   */
  openValue<M>(codec: Codec<M>, envelope: SignedEnvelope): Result<{ sender: NodeId; epoch: number; seq: number; message: M }, CryptoError | DecodeError> {
    const opened = this.open(envelope);
    if (!opened.ok) return opened;
    const decoded = codec.decode(envelope.payload);
    if (!decoded.ok) return decoded;
    return ok({ sender: envelope.sender, epoch: envelope.epoch, seq: envelope.seq, message: decoded.value });
  }

  private check(envelope: SignedEnvelope): Result<SignedEnvelope, CryptoError> {
    if (typeof envelope !== "object" || envelope === null) {
      return err(new CryptoError("bad-parameters", "an envelope must be an object (decode it with signedEnvelopeCodec first)"));
    }
    const { sender, epoch, seq, payload, signature } = envelope;
    if (!Number.isSafeInteger(seq) || seq < 1 || !Number.isSafeInteger(epoch) || epoch < 0 || !(payload instanceof Uint8Array)) {
      return err(new CryptoError("bad-parameters", "envelope epoch/seq/payload malformed (decode it with signedEnvelopeSchema first)", { sender }));
    }
    const malformed = this.provider.checkSignature(signature);
    if (malformed) return err(malformed);
    const key = this.keyring.resolve(sender, epoch);
    if (!key.ok) return key;
    let window = this.windows.get(sender);
    if (window && !window.isFresh(epoch, seq)) {
      return err(new CryptoError("replayed", `envelope ${sender}#${epoch}.${seq} was already accepted or is older than the replay window`, { sender, epoch, seq }));
    }
    if (!this.provider.verify(key.value, envelopeSigningBytes(sender, epoch, seq, payload), signature)) {
      return err(new CryptoError("bad-signature", `envelope ${sender}#${epoch}.${seq}: signature does not verify`, { sender, epoch, seq }));
    }
    window ??= this.windowFor(sender);
    if (!window) return err(new CryptoError("limit", `replay state for ${this.maxSenders} senders is full`, { sender }));
    window.record(epoch, seq);
    this.persist?.({ sender, epoch, seq });
    return ok(envelope);
  }
}
