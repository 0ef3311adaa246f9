import { SynodError } from "@synod/core";

/**
 * Why a cryptographic operation failed. Stable strings: match on these, not on messages.
 * - `bad-length`: a key, signature, proof or MAC has the wrong number of bytes.
 * - `non-canonical`: an encoding is well sized but not the unique canonical one (e.g. Ed25519 S >= L).
 * - `not-on-curve`: bytes do not decode to a point of the expected curve or subgroup.
 * - `small-order`: a public key is the identity or a low-order point (rejected: it verifies anything).
 * - `bad-signature`: a signature or MAC does not verify.
 * - `bad-proof`: a proof of possession / knowledge does not verify.
 * - `bad-parameters`: a parameter is out of range (threshold t > n, t < 1, sizes over a limit).
 * - `bad-share`: a threshold share or partial signature is invalid (see `details.badIndices`).
 * - `insufficient-shares`: fewer valid distinct shares than the threshold.
 * - `unknown-signer`: no key is registered for the claimed sender or epoch.
 * - `replayed`: a signed envelope was already accepted (or is older than the replay window).
 * - `revoked-key`: the key that signed has been revoked.
 * - `stale-epoch`: the signer's key for that epoch has been superseded by a rotation.
 * - `not-admitted`: a membership certificate is missing, expired, revoked or not from the authority.
 * - `limit`: an explicit bound (keyring size, member count) would be exceeded.
 */
export type CryptoFailureReason =
  | "bad-length"
  | "non-canonical"
  | "not-on-curve"
  | "small-order"
  | "bad-signature"
  | "bad-proof"
  | "bad-parameters"
  | "bad-share"
  | "insufficient-shares"
  | "unknown-signer"
  | "replayed"
  | "revoked-key"
  | "stale-epoch"
  | "not-admitted"
  | "limit";

/**
 * A key, signature, proof or parameter is malformed or does not verify. Code `"crypto"`; `reason`
 * says which of the {@link CryptoFailureReason}s applies. Never carries secret material.
 * @example
 * const result = verifier.open(envelope);
 * if (!result.ok && result.error.reason === "replayed") dropped.replayed++;
 */
export class CryptoError extends SynodError {
  /** The stable failure reason. */
  readonly reason: CryptoFailureReason;

  /**
   * @param reason - the stable failure reason
   * @param message - what went wrong and what to do about it
   * @param details - structured, non-secret details (lengths, indices, node ids)
   */
  constructor(reason: CryptoFailureReason, message: string, details: Record<string, unknown> = {}) {
    super("crypto", message, { ...details, reason });
    this.name = "CryptoError";
    this.reason = reason;
  }
}

/**
 * Run `operation` and turn anything a third-party crypto library throws into a {@link CryptoError}
 * with the given reason, so library exceptions never leak to callers.
 * @param reason - the reason to report when `operation` throws something other than a CryptoError
 * @param what - names the input, for the message (e.g. "BLS public key")
 * @param operation - the call into the library
 * @returns what `operation` returns
 * @throws {CryptoError} when `operation` throws
 */
export function guardCrypto<T>(reason: CryptoFailureReason, what: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CryptoError(reason, `${what} is invalid (${detail})`);
  }
}
