import { bls12_381 } from "@noble/curves/bls12-381.js";
import { err, ok, type Result } from "@synod/core";
import { bytesToBigIntBE } from "./bytes.js";
import {
  blsSecretKeyFromScalar,
  blsSecretScalar,
  blsVerifyPoints,
  BLS_SCALAR_ORDER,
  encodeBlsSignature,
  hashToSignatureGroup,
  parseBlsPublicKey,
  parseBlsSignature,
} from "./bls.js";
import { CryptoError } from "./crypto-error.js";
import type { RandomBytes } from "./random.js";

const r = BLS_SCALAR_ORDER;
type SignaturePoint = ReturnType<typeof hashToSignatureGroup>;
const G1 = bls12_381.G1.Point;

/** Most participants of a threshold group (bounds dealing and combining work). */
export const MAX_THRESHOLD_PARTICIPANTS = 1024;

/** The public side of a t-of-n BLS threshold key. */
export interface ThresholdGroup {
  /** t: how many partial signatures make a signature. */
  readonly threshold: number;
  /** n: how many shares were dealt (indices 1..n). */
  readonly size: number;
  /** The group public key (48 bytes): signatures combined from any t shares verify under it. */
  readonly groupPublicKey: Uint8Array;
  /** Public key of share i at position i−1: checks partial signatures and identifies bad ones. */
  readonly sharePublicKeys: readonly Uint8Array[];
  /** Feldman commitments a_k·G (k = 0..t−1) to the dealer's polynomial: lets each holder check its share. */
  readonly commitments: readonly Uint8Array[];
}

/** One participant's secret share: f(index) for the dealer's polynomial f. Keep it secret. */
export interface KeyShare {
  readonly index: number;
  readonly secretKey: Uint8Array;
}

/** A signature by one share. */
export interface PartialSignature {
  readonly index: number;
  readonly signature: Uint8Array;
}

function randomScalar(randomBytes: RandomBytes): bigint {
  return (bytesToBigIntBE(randomBytes(64)) % (r - 1n)) + 1n;
}

function mod(a: bigint): bigint {
  const x = a % r;
  return x < 0n ? x + r : x;
}

function invert(a: bigint): bigint {
  // Fermat: a^(r-2) mod r, r prime.
  let result = 1n;
  let base = mod(a);
  let exponent = r - 2n;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % r;
    base = (base * base) % r;
    exponent >>= 1n;
  }
  return result;
}

function checkParameters(threshold: number, size: number): CryptoError | undefined {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_THRESHOLD_PARTICIPANTS) {
    return new CryptoError("bad-parameters", `group size n must be in [1, ${MAX_THRESHOLD_PARTICIPANTS}], got ${size}`, { threshold, size });
  }
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > size) {
    return new CryptoError("bad-parameters", `threshold t must be in [1, n=${size}], got ${threshold}`, { threshold, size });
  }
  return undefined;
}

/**
 * Deal a t-of-n threshold key (trusted dealer): pick a random polynomial f of degree t−1 over the
 * scalar field, the group secret is f(0), share i is f(i). Any t shares determine f(0); t−1 reveal
 * nothing about it (Shamir). The dealer learns the group secret: deal where that is acceptable
 * (e.g. at cluster bootstrap by the operator), then discard it.
 * @param threshold - t, 1 ≤ t ≤ n
 * @param size - n, 1 ≤ n ≤ 1024
 * @param randomBytes - randomness for the polynomial (64 bytes per coefficient)
 * @returns the public group and the n shares, or err `bad-parameters`
 * @example
 * const dealt = dealThresholdKey(3, 4, random);
 * if (dealt.ok) { const { group, shares } = dealt.value; }
 */
export function dealThresholdKey(threshold: number, size: number, randomBytes: RandomBytes): Result<{ group: ThresholdGroup; shares: KeyShare[] }, CryptoError> {
  const bad = checkParameters(threshold, size);
  if (bad) return err(bad);
  const coefficients: bigint[] = [];
  for (let k = 0; k < threshold; k++) coefficients.push(randomScalar(randomBytes));
  const shares: KeyShare[] = [];
  const sharePublicKeys: Uint8Array[] = [];
  for (let i = 1; i <= size; i++) {
    let value = 0n;
    for (let k = threshold - 1; k >= 0; k--) value = (value * BigInt(i) + (coefficients[k] as bigint)) % r;
    if (value === 0n) return dealThresholdKey(threshold, size, randomBytes); // probability ~2^-255: redraw
    shares.push({ index: i, secretKey: blsSecretKeyFromScalar(value) });
    sharePublicKeys.push(G1.BASE.multiply(value).toBytes());
  }
  const commitments = coefficients.map((a) => G1.BASE.multiply(a).toBytes());
  return ok({
    group: { threshold, size, groupPublicKey: commitments[0] as Uint8Array, sharePublicKeys, commitments },
    shares,
  });
}

/**
 * Check a dealt share against the dealer's Feldman commitments: f(i)·G = Σ_k i^k·(a_k·G), and
 * against the published share public key. Run it on receipt to catch a faulty dealer.
 * @returns ok, or err `bad-share`
 */
export function verifyKeyShare(group: ThresholdGroup, share: KeyShare): Result<void, CryptoError> {
  try {
    if (!Number.isSafeInteger(share.index) || share.index < 1 || share.index > group.size) throw new Error("index out of range");
    const own = G1.BASE.multiply(blsSecretScalar(share.secretKey));
    let expected = G1.ZERO;
    let power = 1n;
    for (const commitment of group.commitments) {
      expected = expected.add(G1.fromBytes(commitment).multiplyUnsafe(power));
      power = (power * BigInt(share.index)) % r;
    }
    const published = group.sharePublicKeys[share.index - 1];
    if (!own.equals(expected) || published === undefined || !own.equals(G1.fromBytes(published))) throw new Error("does not match the commitments");
    return ok(undefined);
  } catch (error) {
    return err(new CryptoError("bad-share", `share ${share.index} is inconsistent with the dealer's commitments (${error instanceof Error ? error.message : String(error)})`, { badIndices: [share.index] }));
  }
}

/**
 * Lagrange coefficients at x = 0 for the given distinct indices: λ_i = Π_{j≠i} j / (j − i) mod r.
 * @returns one coefficient per index, in order
 * @throws {CryptoError} `bad-parameters` on repeated or non-positive indices
 */
export function lagrangeCoefficientsAtZero(indices: readonly number[]): bigint[] {
  if (new Set(indices).size !== indices.length || indices.some((i) => !Number.isSafeInteger(i) || i < 1)) {
    throw new CryptoError("bad-parameters", "Lagrange interpolation needs distinct positive indices");
  }
  return indices.map((i) => {
    let numerator = 1n;
    let denominator = 1n;
    for (const j of indices) {
      if (j === i) continue;
      numerator = (numerator * BigInt(j)) % r;
      denominator = mod(denominator * BigInt(j - i));
    }
    return (numerator * invert(denominator)) % r;
  });
}

/**
 * Sign with one share.
 * @returns the partial signature; @throws {CryptoError} on a malformed share
 */
export function signShare(share: KeyShare, message: Uint8Array): PartialSignature {
  const scalar = blsSecretScalar(share.secretKey);
  return { index: share.index, signature: encodeBlsSignature(hashToSignatureGroup(message).multiply(scalar)) };
}

/**
 * Check one partial signature against its share's public key (two pairings).
 * @returns whether valid; false on any malformed input
 */
export function verifyPartialSignature(group: ThresholdGroup, message: Uint8Array, partial: PartialSignature): boolean {
  if (!Number.isSafeInteger(partial.index) || partial.index < 1 || partial.index > group.size) return false;
  const key = parseBlsPublicKey(group.sharePublicKeys[partial.index - 1] ?? new Uint8Array(0));
  const sig = parseBlsSignature(partial.signature);
  return key.ok && sig.ok && blsVerifyPoints(key.value, message, sig.value);
}

/** Result of a successful combination. */
export interface CombinedSignature {
  /** The threshold signature (96 bytes), valid under the group public key. */
  readonly signature: Uint8Array;
  /** Indices of partial signatures found invalid and left out (the combination still succeeded). */
  readonly rejectedIndices: readonly number[];
}

/**
 * Combine partial signatures into the group signature: σ = Σ λ_i·σ_i over t of them (Lagrange
 * interpolation in the exponent). Optimistic: the first t well-formed shares are combined and the
 * result checked against the group key (one verification); only if that fails is each share
 * checked on its own, the bad ones identified and left out, and t good ones combined.
 * @returns the signature and any rejected indices, or err: `insufficient-shares` (fewer than t
 *   distinct well-formed shares), `bad-share` (not enough good shares; `details.badIndices` names the bad ones)
 * @example
 * const combined = combinePartialSignatures(group, message, partials);
 * if (!combined.ok && combined.error.reason === "bad-share") blame(combined.error.details.badIndices);
 */
export function combinePartialSignatures(group: ThresholdGroup, message: Uint8Array, partials: readonly PartialSignature[]): Result<CombinedSignature, CryptoError> {
  const bad = checkParameters(group.threshold, group.size);
  if (bad) return err(bad);
  const badIndices: number[] = [];
  const candidates = new Map<number, SignaturePoint>();
  for (const partial of partials.slice(0, MAX_THRESHOLD_PARTICIPANTS)) {
    const index = partial.index;
    if (!Number.isSafeInteger(index) || index < 1 || index > group.size) {
      badIndices.push(index);
      continue;
    }
    if (candidates.has(index)) continue;
    const parsed = parseBlsSignature(partial.signature);
    if (parsed.ok) candidates.set(index, parsed.value);
    else badIndices.push(index);
  }
  const t = group.threshold;
  const groupKey = parseBlsPublicKey(group.groupPublicKey);
  if (!groupKey.ok) return groupKey;
  const combine = (indices: number[]): Uint8Array | undefined => {
    const lambdas = lagrangeCoefficientsAtZero(indices);
    let sum = candidates.get(indices[0] as number)!.multiplyUnsafe(lambdas[0] as bigint);
    for (let k = 1; k < indices.length; k++) sum = sum.add(candidates.get(indices[k] as number)!.multiplyUnsafe(lambdas[k] as bigint));
    return blsVerifyPoints(groupKey.value, message, sum) ? encodeBlsSignature(sum) : undefined;
  };
  const insufficient = (): Result<CombinedSignature, CryptoError> =>
    badIndices.length > 0
      ? err(new CryptoError("bad-share", `only ${candidates.size} usable partial signatures of the ${t} needed; bad shares: ${badIndices.join(", ")}`, { badIndices: [...badIndices].sort((a, b) => a - b) }))
      : err(new CryptoError("insufficient-shares", `${candidates.size} distinct partial signatures, ${t} needed`, { have: candidates.size, need: t }));
  if (candidates.size < t) return insufficient();
  const first = [...candidates.keys()].slice(0, t);
  const optimistic = combine(first);
  if (optimistic) return ok({ signature: optimistic, rejectedIndices: [...badIndices] });
  for (const index of [...candidates.keys()]) {
    const shareKey = parseBlsPublicKey(group.sharePublicKeys[index - 1] ?? new Uint8Array(0));
    if (!shareKey.ok || !blsVerifyPoints(shareKey.value, message, candidates.get(index)!)) {
      candidates.delete(index);
      badIndices.push(index);
    }
  }
  if (candidates.size < t) return insufficient();
  const combined = combine([...candidates.keys()].slice(0, t));
  if (!combined) return err(new CryptoError("bad-share", "valid partial signatures do not combine to a valid signature: the group keys are inconsistent", { badIndices }));
  return ok({ signature: combined, rejectedIndices: [...badIndices].sort((a, b) => a - b) });
}

/**
 * Verify a combined threshold signature against the group public key.
 * @returns whether valid; false on any malformed input
 */
export function verifyThresholdSignature(group: ThresholdGroup, message: Uint8Array, signature: Uint8Array): boolean {
  const key = parseBlsPublicKey(group.groupPublicKey);
  const sig = parseBlsSignature(signature);
  return key.ok && sig.ok && blsVerifyPoints(key.value, message, sig.value);
}
