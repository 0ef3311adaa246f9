import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { err, ok, type Result } from "@synod/core";
import { BLS_SIGNATURE_BYTES } from "./bls.js";
import { equalBytes, utf8 } from "./bytes.js";
import { CryptoError } from "./crypto-error.js";
import { MAC_BYTES } from "./provider.js";
import type { RandomBytes } from "./random.js";
import { statementBytes } from "./statement.js";
import {
  combinePartialSignatures,
  dealThresholdKey,
  signShare,
  verifyPartialSignature,
  verifyThresholdSignature,
  MAX_THRESHOLD_PARTICIPANTS,
  type CombinedSignature,
  type KeyShare,
  type PartialSignature,
  type ThresholdGroup,
} from "./threshold.js";

/** Which implementation a {@link ThresholdScheme} is. */
export type ThresholdSchemeName = "bls" | "ideal";

/**
 * A t-of-n threshold signature group as a protocol sees it (injected like a `CryptoProvider`, so
 * protocol packages stay pure): a holder signs with its share, anyone checks a partial signature
 * against the share's public key, combines t valid partials into the group signature and checks
 * that against the group key. Partial and group signatures are {@link BLS_SIGNATURE_BYTES} bytes
 * for every implementation, so wire sizes match.
 *
 * Contract: `verify*` and `combine` never throw, whatever the bytes; `signShare` throws
 * {@link CryptoError} only on a malformed local share (a caller bug, not peer input).
 */
export interface ThresholdScheme {
  readonly name: ThresholdSchemeName;
  /** t: how many partial signatures from distinct shares make a group signature. */
  readonly threshold: number;
  /** n: shares 1..n. */
  readonly size: number;
  /** @returns the partial signature of `message` by `share` */
  signShare(share: KeyShare, message: Uint8Array): PartialSignature;
  /** @returns whether `partial` is share `partial.index`'s signature of `message`; never throws */
  verifyPartial(message: Uint8Array, partial: PartialSignature): boolean;
  /**
   * Combine t partial signatures from distinct shares into the group signature, leaving out (and
   * naming) invalid ones.
   * @returns the signature and the rejected indices, or err `insufficient-shares` / `bad-share` (`details.badIndices`)
   */
  combine(message: Uint8Array, partials: readonly PartialSignature[]): Result<CombinedSignature, CryptoError>;
  /** @returns whether `signature` is the group's signature of `message`; never throws */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * The BLS12-381 threshold scheme of {@link ThresholdGroup} (`threshold.ts`): partials are checked
 * against the share public keys, combination is Lagrange interpolation in the exponent (optimistic:
 * one group verification, each partial checked only when that fails), the group signature verifies
 * under the group public key. The group comes from a dealer (`dealThresholdKey`) or from the DKG
 * (`decideDkg`'s outcome: its `group` and this member's `share`).
 */
export function blsThresholdScheme(group: ThresholdGroup): ThresholdScheme {
  return {
    name: "bls",
    threshold: group.threshold,
    size: group.size,
    signShare: (share, message) => signShare(share, message),
    verifyPartial(message, partial) {
      try {
        return verifyPartialSignature(group, message, partial);
      } catch {
        return false;
      }
    },
    combine(message, partials) {
      try {
        return combinePartialSignatures(group, message, partials);
      } catch (error) {
        return err(new CryptoError("bad-share", `combination failed: ${error instanceof Error ? error.message : String(error)}`, { badIndices: [] }));
      }
    },
    verify(message, signature) {
      try {
        return verifyThresholdSignature(group, message, signature);
      } catch {
        return false;
      }
    },
  };
}

/**
 * Deal a BLS threshold key with a trusted dealer (tests, benchmarks).
 * @returns the scheme and the n shares (share i for member i−1), or err `bad-parameters`
 */
export function dealBlsThresholdScheme(
  threshold: number,
  size: number,
  randomBytes: RandomBytes,
): Result<{ scheme: ThresholdScheme; group: ThresholdGroup; shares: KeyShare[] }, CryptoError> {
  const dealt = dealThresholdKey(threshold, size, randomBytes);
  if (!dealt.ok) return dealt;
  return ok({ scheme: blsThresholdScheme(dealt.value.group), group: dealt.value.group, shares: dealt.value.shares });
}

const LABEL_SHARE_KEY = utf8("synod/ideal-threshold/share-key");
const LABEL_PARTIAL = utf8("synod/ideal-threshold/partial");
const LABEL_GROUP = utf8("synod/ideal-threshold/group");

/** @returns a MAC as a BLS-sized signature: zero-padded, so wire sizes match the real scheme */
function paddedSignature(mac: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLS_SIGNATURE_BYTES);
  out.set(mac, 0);
  return out;
}

function wellFormed(signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== BLS_SIGNATURE_BYTES) return false;
  for (let i = MAC_BYTES; i < BLS_SIGNATURE_BYTES; i++) if (signature[i] !== 0) return false;
  return true;
}

/**
 * The simulator's ideal threshold signatures — a modelling choice, like `createIdealProvider`, not
 * production cryptography. One registry secret `master` (drawn from `randomBytes`, held in this
 * closure) realises an ideal threshold functionality: share i's secret is HMAC(master, "share-key" ‖ i);
 * a partial signature is HMAC(master, "partial" ‖ i ‖ message), signed only by a caller holding
 * share i's secret; the group signature of a message is HMAC(master, "group" ‖ message), which only
 * `combine` produces, and only from t valid partials of distinct shares. So fewer than t holders
 * cannot sign for the group by construction (the property the protocol's proof assumes), and every
 * operation is one HMAC instead of pairings. All signatures are padded to 96 bytes.
 * @param randomBytes - the seeded source the master secret is drawn from (32 bytes)
 * @returns the scheme and the n shares (share i for member i−1), or err `bad-parameters`
 */
export function createIdealThresholdScheme(
  threshold: number,
  size: number,
  randomBytes: RandomBytes,
): Result<{ scheme: ThresholdScheme; shares: KeyShare[] }, CryptoError> {
  const sizeOk = Number.isSafeInteger(size) && size >= 1 && size <= MAX_THRESHOLD_PARTICIPANTS;
  if (!sizeOk || !Number.isSafeInteger(threshold) || threshold < 1 || threshold > size) {
    const why = `need 1 ≤ t ≤ n ≤ ${MAX_THRESHOLD_PARTICIPANTS}, got t = ${threshold}, n = ${size}`;
    return err(new CryptoError("bad-parameters", why, { threshold, size }));
  }
  const master = randomBytes(32);
  const tag = (...parts: Uint8Array[]): Uint8Array => hmac(sha256, master, statementBytes("synod/ideal-threshold/v1", ...parts));
  const index = (i: number): Uint8Array => statementBytes("i", i);
  const shareKey = (i: number): Uint8Array => tag(LABEL_SHARE_KEY, index(i));
  const shares: KeyShare[] = [];
  for (let i = 1; i <= size; i++) shares.push({ index: i, secretKey: shareKey(i) });
  const partialOf = (i: number, message: Uint8Array): Uint8Array => paddedSignature(tag(LABEL_PARTIAL, index(i), message));
  const verifyPartial = (message: Uint8Array, partial: PartialSignature): boolean => {
    if (!(message instanceof Uint8Array) || !Number.isSafeInteger(partial.index) || partial.index < 1 || partial.index > size) return false;
    return wellFormed(partial.signature) && equalBytes(partialOf(partial.index, message), partial.signature);
  };
  const scheme: ThresholdScheme = {
    name: "ideal",
    threshold,
    size,
    signShare(share, message) {
      if (!Number.isSafeInteger(share.index) || share.index < 1 || share.index > size || !equalBytes(share.secretKey, shareKey(share.index))) {
        throw new CryptoError("bad-share", "not a share of this group");
      }
      return { index: share.index, signature: partialOf(share.index, message) };
    },
    verifyPartial,
    combine(message, partials) {
      const good = new Set<number>();
      const bad: number[] = [];
      for (const partial of partials.slice(0, MAX_THRESHOLD_PARTICIPANTS)) {
        if (good.has(partial.index)) continue;
        if (verifyPartial(message, partial)) good.add(partial.index);
        else bad.push(partial.index);
      }
      bad.sort((a, b) => a - b);
      if (good.size >= threshold) return ok({ signature: paddedSignature(tag(LABEL_GROUP, message)), rejectedIndices: bad });
      const few = `only ${good.size} valid partial signatures of the ${threshold} needed`;
      if (bad.length > 0) return err(new CryptoError("bad-share", few, { badIndices: bad }));
      return err(new CryptoError("insufficient-shares", `${good.size} distinct partial signatures, ${threshold} needed`, { have: good.size, need: threshold }));
    },
    verify(message, signature) {
      return message instanceof Uint8Array && wellFormed(signature) && equalBytes(paddedSignature(tag(LABEL_GROUP, message)), signature);
    },
  };
  return ok({ scheme, shares });
}
