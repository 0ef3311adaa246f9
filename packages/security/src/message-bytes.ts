import { CryptoError } from "./crypto-error.js";

/**
 * Every provider's `sign` takes the message as bytes; anything else is the caller's mistake, said
 * as a typed error (the underlying libraries threw three different TypeErrors).
 * @throws {CryptoError} `bad-parameters` when `message` is not a Uint8Array
 */
export function requireMessageBytes(message: Uint8Array): void {
  if (!(message instanceof Uint8Array)) {
    throw new CryptoError("bad-parameters", `a message to sign is a Uint8Array, got ${message === null ? "null" : typeof message}`);
  }
}
