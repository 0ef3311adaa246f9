import { checkEd25519Signature, ED25519_PUBLIC_KEY_BYTES, isCanonicalFieldEncoding, isSmallOrderEncoding } from "./ed25519-encoding.js";

/**
 * synod's Ed25519 verification policy, by name. "strict" (in the terms of "Taming the many EdDSAs",
 * Chalkias, Garillot, Nikolaenko, SSR 2020): canonical encodings of A, R (y < p) and S (S < L); neither
 * A nor R of small order; then the cofactorless equation [S]B = R + [k]A. On the paper's twelve edge
 * cases it accepts exactly case 3 (mixed-order A and R that satisfy both equations). Honest signers
 * never produce a small-order A or R, so no honest signature is refused; the rule makes every
 * accepted signature strongly binding (a small-order A or R lets one signature verify for chosen
 * pairs of messages or keys) and makes node:crypto and noble give the same verdict on every input.
 */
export const ED25519_VERIFICATION_POLICY = "strict";

/**
 * The cheap checks of the strict policy, run by both providers before the cofactorless equation:
 * {@link checkEd25519Signature} (length, canonical R, S < L), R not of small order, and a 32-byte
 * public key with canonical y, not of small order. (Decoding the key fully is left to verification.)
 * @returns whether the inputs may be verified
 */
export function ed25519InputsAcceptable(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(message instanceof Uint8Array) || checkEd25519Signature(signature) !== undefined) return false;
  if (isSmallOrderEncoding(signature.subarray(0, 32))) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  return isCanonicalFieldEncoding(publicKey) && !isSmallOrderEncoding(publicKey);
}
