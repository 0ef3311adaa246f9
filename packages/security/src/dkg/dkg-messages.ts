import { createCodec, s, type Infer } from "@synod/core";
import { BLS_PUBLIC_KEY_BYTES } from "../bls.js";
import { SIGNATURE_BYTES } from "../provider.js";
import { SHARE_BYTES } from "./feldman.js";

/** Most participants of one DKG (bounds commitment vectors, supports, reveals and work per message). */
export const MAX_DKG_PARTICIPANTS = 64;

/** Bytes of a digest (SHA-256): of a dealer's commitments, of a proposed value. */
export const DKG_DIGEST_BYTES = 32;

const signature = s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES });
const digest = s.bytes({ minLength: DKG_DIGEST_BYTES, maxLength: DKG_DIGEST_BYTES });
const share = s.bytes({ minLength: SHARE_BYTES, maxLength: SHARE_BYTES });
const commitment = s.bytes({ minLength: BLS_PUBLIC_KEY_BYTES, maxLength: BLS_PUBLIC_KEY_BYTES });
const commitments = s.array(commitment, { maxLength: MAX_DKG_PARTICIPANTS });
const signed = s.object({ signer: s.nodeId(), sig: signature });
const revealed = s.object({ receiver: s.nodeId(), share });

/**
 * One dealer's entry in the agreed value: its commitments, the receivers' signed supports of them,
 * and the shares it revealed for the receivers that did not support (see `complete-dealing.ts`).
 */
const dealingSchema = s.object({
  dealer: s.nodeId(),
  commitments,
  supports: s.array(signed, { maxLength: MAX_DKG_PARTICIPANTS }),
  reveals: s.array(revealed, { maxLength: MAX_DKG_PARTICIPANTS }),
});

/** The value the participants agree on: the qualified dealers' complete dealings, in member order. */
const valueSchema = s.object({ dealings: s.array(dealingSchema, { maxLength: MAX_DKG_PARTICIPANTS }) });

/** A prepared certificate: Q members' signed prepares of the value with `digest` in `view`. */
const preparedSchema = s.object({ view: s.uint(), digest, votes: s.array(signed, { maxLength: MAX_DKG_PARTICIPANTS }) });

/** A signed view-change as a proposal's justification carries it (without the attached value). */
const viewChangeSchema = s.object({ signer: s.nodeId(), view: s.uint(), prepared: s.optional(preparedSchema), sig: signature });

/** A prepared certificate (see `qual-agreement.ts`). */
export type PreparedCertificate = Infer<typeof preparedSchema>;

/** A signed view-change in a proposal's justification. */
export type SignedViewChange = Infer<typeof viewChangeSchema>;

/** One complete dealing (see {@link DkgValue}). */
export type CompleteDealing = Infer<typeof dealingSchema>;

/** The agreed value: the qualified set and everything needed to check it and to compute the shares. */
export type DkgValue = Infer<typeof valueSchema>;

/** Validating codec for {@link DkgValue} (its encoding is what the value's digest is taken over). */
export const dkgValueCodec = createCodec(valueSchema, { maxBytes: 1 << 20 });

const messageSchema = s.variant("type", {
  /** Dealer → a member, resent until that member supports it: the dealer's commitments and, to a receiver, f_dealer(index). */
  deal: { commitments, share: s.optional(share) },
  /** A receiver → everyone, resent until decided: its signed supports, one per dealer whose share matched its commitments. */
  supports: { items: s.array(s.object({ dealer: s.nodeId(), digest, sig: signature }), { maxLength: MAX_DKG_PARTICIPANTS }) },
  /** Dealer → everyone, resent until decided: the shares of receivers that did not support it (at most t, checked against its commitments). */
  reveal: { shares: s.array(revealed, { maxLength: MAX_DKG_PARTICIPANTS }) },
  /** A participant that restarted mid-protocol → everyone: it takes no part (it counts among the t faulty). */
  withdrawn: {},
  /**
   * Agreement: the sender moved to `view` and signs what it is locked on — its highest prepared
   * certificate (`prepared`: Q signed prepares of one digest in an earlier view) or none. `value`
   * (not signed) is the value of that digest, for a new leader that never saw it.
   */
  viewChange: { view: s.uint(), prepared: s.optional(preparedSchema), sig: signature, value: s.optional(valueSchema) },
  /** Agreement: the leader of `view` proposes `value`; from view 1 on, justified by Q signed view-changes for `view`. */
  propose: { view: s.uint(), value: valueSchema, justification: s.array(viewChangeSchema, { maxLength: MAX_DKG_PARTICIPANTS }) },
  /** Agreement, first vote: the sender accepted the proposal with `digest` in `view` (signed, to everyone). */
  prepare: { view: s.uint(), digest, sig: signature },
  /** Agreement, second vote: the sender saw Q prepares of `digest` in `view` (signed, to everyone). */
  commit: { view: s.uint(), digest, sig: signature },
  /** A decided participant → an undecided one: the value and the Q signed commits that decided it. */
  decided: { view: s.uint(), value: valueSchema, votes: s.array(signed, { maxLength: MAX_DKG_PARTICIPANTS }) },
});

/** A DKG message. */
export type DkgMessage = Infer<typeof messageSchema>;

/** Largest encoded DKG message accepted (a value of {@link MAX_DKG_PARTICIPANTS} dealings fits). */
export const MAX_DKG_MESSAGE_BYTES = 1 << 20;

/** Validating codec for {@link DkgMessage}. */
export const dkgMessageCodec = createCodec(messageSchema, { maxBytes: MAX_DKG_MESSAGE_BYTES });

/** Encoding of a dealer's commitments (what its digest is taken over). */
export const dealBodyCodec = createCodec(s.object({ commitments }));

const recordSchema = s.object({ started: s.literal(true) });

/** The one durable record: this participant started a DKG. A node that recovers it restarted mid-protocol and stays out. */
export type DkgRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link DkgRecord}. */
export const dkgRecordCodec = createCodec(recordSchema, { maxBytes: 32 });
