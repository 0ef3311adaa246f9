import { createCodec, s, type Infer } from "@synod/core";
import { PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SIGNATURE_BYTES } from "../provider.js";
import { MAX_EPOCH } from "../rotation.js";
import { keyStatementSchema } from "./key-statement.js";

/** Most statements one sync message carries (a decoder refuses more). */
export const MAX_STATEMENTS_PER_SYNC = 256;

const messageSchema = s.variant("type", {
  /** Push anti-entropy: every key statement the sender knows. */
  sync: { statements: s.array(keyStatementSchema, { maxLength: MAX_STATEMENTS_PER_SYNC }) },
  /** A signed liveness message, under the sender's key of `epoch` (the traffic revocation must stop). */
  heartbeat: { epoch: s.int({ min: 0, max: MAX_EPOCH }), seq: s.uint(), signature: s.bytes({ minLength: SIGNATURE_BYTES, maxLength: SIGNATURE_BYTES }) },
});

/** A key-gossip message. */
export type KeyGossipMessage = Infer<typeof messageSchema>;

/** Validating codec for {@link KeyGossipMessage}. */
export const keyGossipMessageCodec = createCodec(messageSchema, { maxBytes: 65_536 });

const recordSchema = s.variant("type", {
  /** A statement this node applied (replayed into its keyring at restart). */
  statement: { statement: keyStatementSchema },
  /** One of this node's own keys, persisted before its rotation is announced. */
  ownKey: {
    epoch: s.int({ min: 0, max: MAX_EPOCH }),
    publicKey: s.bytes({ minLength: PUBLIC_KEY_BYTES, maxLength: PUBLIC_KEY_BYTES }),
    secretKey: s.bytes({ minLength: SECRET_KEY_BYTES, maxLength: SECRET_KEY_BYTES }),
  },
});

/** A durable record of the key-gossip node. */
export type KeyGossipRecord = Infer<typeof recordSchema>;

/** Validating codec for {@link KeyGossipRecord}. */
export const keyGossipRecordCodec = createCodec(recordSchema, { maxBytes: 1024 });
