import { bls12_381 } from "@noble/curves/bls12-381.js";
import { bigIntToBytesBE, bytesToBigIntBE } from "../bytes.js";
import { BLS_PUBLIC_KEY_BYTES, BLS_SCALAR_ORDER } from "../bls.js";
import type { RandomBytes } from "../random.js";

const G1 = bls12_381.G1.Point;
type G1Point = InstanceType<typeof G1>;
const r = BLS_SCALAR_ORDER;

/** Bytes of an encoded share (a big-endian scalar mod r). */
export const SHARE_BYTES = 32;

/** A dealer's secret polynomial and its Feldman commitments a_k·G (k = 0..degree), 48 bytes each. */
export interface FeldmanPolynomial {
  readonly coefficients: readonly bigint[];
  readonly commitments: readonly Uint8Array[];
}

/** @returns a uniform scalar in [0, r) (64 random bytes reduced: negligible bias) */
export function randomScalar(randomBytes: RandomBytes): bigint {
  return bytesToBigIntBE(randomBytes(64)) % r;
}

/**
 * Draw a random polynomial of degree `degree` and commit to it.
 * @param constant - the constant term, when fixed (0 for a proactive refresh); random otherwise
 */
export function feldmanPolynomial(degree: number, randomBytes: RandomBytes, constant?: bigint): FeldmanPolynomial {
  const coefficients = Array.from({ length: degree + 1 }, (_, k) => (k === 0 && constant !== undefined ? constant % r : randomScalar(randomBytes)));
  return { coefficients, commitments: coefficients.map(commitScalar) };
}

/** @returns a·G, encoded (48 bytes); the identity for a = 0 */
export function commitScalar(a: bigint): Uint8Array {
  return (a === 0n ? G1.ZERO : G1.BASE.multiply(a)).toBytes();
}

/** @returns f(x) mod r for the coefficients of f */
export function evaluatePolynomial(coefficients: readonly bigint[], x: number): bigint {
  let value = 0n;
  for (let k = coefficients.length - 1; k >= 0; k--) value = (value * BigInt(x) + (coefficients[k] as bigint)) % r;
  return value;
}

/** @returns Σ_k x^k·C_k, the commitment to f(x); undefined when a commitment does not decode */
export function commitmentAt(commitments: readonly Uint8Array[], x: number): G1Point | undefined {
  try {
    let sum = G1.ZERO;
    let power = 1n;
    for (const c of commitments) {
      sum = sum.add(G1.fromBytes(c).multiplyUnsafe(power));
      power = (power * BigInt(x)) % r;
    }
    return sum;
  } catch {
    return undefined;
  }
}

/** @returns whether every commitment decodes to a point of G1 (the identity allowed: a refresh commits to 0) */
export function commitmentsWellFormed(commitments: readonly Uint8Array[]): boolean {
  try {
    for (const c of commitments) {
      if (c.length !== BLS_PUBLIC_KEY_BYTES) return false;
      G1.fromBytes(c).assertValidity();
    }
    return true;
  } catch {
    return false;
  }
}

/** @returns whether share·G equals the commitment to f(index) (Feldman's check); never throws */
export function shareMatches(commitments: readonly Uint8Array[], index: number, share: bigint): boolean {
  const expected = commitmentAt(commitments, index);
  if (expected === undefined || share < 0n || share >= r) return false;
  return (share === 0n ? G1.ZERO : G1.BASE.multiply(share)).equals(expected);
}

/** @returns the coefficient-wise sum of several commitment vectors of equal length (the group's commitments) */
export function sumCommitments(vectors: readonly (readonly Uint8Array[])[]): Uint8Array[] {
  const length = vectors[0]?.length ?? 0;
  return Array.from({ length }, (_, k) => vectors.reduce((sum, v) => sum.add(G1.fromBytes(v[k] as Uint8Array)), G1.ZERO).toBytes());
}

/** @returns the commitment to f(index) as 48 bytes (a share's public key) */
export function commitmentBytesAt(commitments: readonly Uint8Array[], index: number): Uint8Array {
  return (commitmentAt(commitments, index) ?? G1.ZERO).toBytes();
}

/** @returns a share scalar as {@link SHARE_BYTES} bytes */
export function encodeShare(share: bigint): Uint8Array {
  return bigIntToBytesBE(share % r, SHARE_BYTES);
}

/** @returns the share scalar of 32 bytes, or undefined when it is not reduced mod r */
export function decodeShare(bytes: Uint8Array): bigint | undefined {
  if (bytes.length !== SHARE_BYTES) return undefined;
  const value = bytesToBigIntBE(bytes);
  return value < r ? value : undefined;
}

/** @returns (a + b) mod r */
export function addScalars(a: bigint, b: bigint): bigint {
  return (a + b) % r;
}

/** @returns Σ_i w_i·V_i coefficient-wise, for commitment vectors V_i of equal length (resharing's group commitments) */
export function weightedSumCommitments(vectors: readonly (readonly Uint8Array[])[], weights: readonly bigint[]): Uint8Array[] {
  const length = vectors[0]?.length ?? 0;
  return Array.from({ length }, (_, k) =>
    vectors.reduce((sum, v, i) => sum.add(G1.fromBytes(v[k] as Uint8Array).multiplyUnsafe((weights[i] as bigint) % r)), G1.ZERO).toBytes(),
  );
}

/** @returns (a · b) mod r */
export function mulScalars(a: bigint, b: bigint): bigint {
  return (a * b) % r;
}
