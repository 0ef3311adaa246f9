import { createCodec, s, type Infer } from "@synod/core";
import { BLS_PUBLIC_KEY_BYTES } from "../bls.js";
import { SIGNATURE_BYTES } from "../provider.js";
import { SHARE_BYTES } from "./feldman.js";

/** Most participants of one DKG (bounds chains, commitment vectors and work per message). */
export const MAX_DKG_PARTICIPANTS = 64;

/** The three broadcast phases of the DKG, in order. */
export const DKG_PHASES = ["deal", "complain", "justify"] as const;

/** One of {@link DKG_PHASES}, by position (0, 1, 2). */
export type DkgPhase = 0 | 1 | 2;

const signatureLink = s.object({ signer: s.nodeId(), sig: s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES }) });

const messageSchema = s.variant("type", {
  /** Dealer → one participant, on an authenticated link: f_dealer(index of the receiver). */
  share: { value: s.bytes({ minLength: SHARE_BYTES, maxLength: SHARE_BYTES }) },
  /**
   * A Dolev–Strong broadcast item: `body` from `origin` in `phase`, carried with a chain of distinct
   * signers (the origin first) over the item's digest. Relayed by each participant that accepts it.
   */
  item: {
    phase: s.int({ min: 0, max: 2 }),
    origin: s.nodeId(),
    body: s.bytes({ maxLength: (MAX_DKG_PARTICIPANTS + 1) * BLS_PUBLIC_KEY_BYTES + 64 }),
    chain: s.array(signatureLink, { minLength: 1, maxLength: MAX_DKG_PARTICIPANTS }),
  },
});

/** A DKG message. */
export type DkgMessage = Infer<typeof messageSchema>;

/** A broadcast item as it travels. */
export type DkgItem = DkgMessage & { readonly type: "item" };

/** Largest encoded DKG message accepted. */
export const MAX_DKG_MESSAGE_BYTES = 16_384;

/** Validating codec for {@link DkgMessage}. */
export const dkgMessageCodec = createCodec(messageSchema, { maxBytes: MAX_DKG_MESSAGE_BYTES });

/** Body of a `deal` item: the dealer's Feldman commitments. */
const commitment = s.bytes({ minLength: BLS_PUBLIC_KEY_BYTES, maxLength: BLS_PUBLIC_KEY_BYTES });
export const dealBodyCodec = createCodec(s.object({ commitments: s.array(commitment, { maxLength: MAX_DKG_PARTICIPANTS }) }));
/** Body of a `complain` item: the dealer whose share the origin lacks or found bad. */
export const complaintBodyCodec = createCodec(s.object({ accused: s.nodeId() }));
/** Body of a `justify` item: the dealer reveals the complainer's share in the clear. */
export const justificationBodyCodec = createCodec(s.object({ complainer: s.nodeId(), share: s.bytes({ minLength: SHARE_BYTES, maxLength: SHARE_BYTES }) }));

const recordSchema = s.object({ started: s.literal(true) });

/** The one durable record: this participant started a DKG. A node that recovers it restarted mid-protocol and stays out. */
export type DkgRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link DkgRecord}. */
export const dkgRecordCodec = createCodec(recordSchema, { maxBytes: 32 });
