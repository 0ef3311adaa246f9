import { CryptoError } from "./crypto-error.js";

/**
 * Compare two byte strings in time that depends only on their lengths (for MACs and tags).
 * @returns true when both have the same length and contents
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** @returns the concatenation of `parts` as one new array */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const HEX = "0123456789abcdef";

/** @returns the lowercase hexadecimal encoding of `bytes` */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += HEX[byte >> 4]! + HEX[byte & 15]!;
  return out;
}

/**
 * Decode hexadecimal text (an optional `0x` prefix is accepted).
 * @throws {CryptoError} reason `bad-length` on an odd length, `non-canonical` on a non-hex digit
 */
export function fromHex(text: string): Uint8Array {
  const hex = text.startsWith("0x") ? text.slice(2) : text;
  if (hex.length % 2 !== 0) throw new CryptoError("bad-length", `hex string has odd length ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (!/^[0-9a-fA-F]{2}$/.test(hex.slice(2 * i, 2 * i + 2)) || Number.isNaN(byte)) {
      throw new CryptoError("non-canonical", `invalid hex digit near offset ${2 * i}`);
    }
    out[i] = byte;
  }
  return out;
}

/** @returns the UTF-8 encoding of `text` */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * Check that `bytes` is a Uint8Array of exactly `expected` bytes.
 * @param what - names the input in the error message
 * @throws {CryptoError} reason `bad-length`
 */
export function expectLength(bytes: Uint8Array, expected: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== expected) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new CryptoError("bad-length", `${what} must be ${expected} bytes, got ${got}`, { expected, what });
  }
}

/** @returns the big-endian unsigned integer encoded by `bytes` */
export function bytesToBigIntBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** @returns the little-endian unsigned integer encoded by `bytes` */
export function bytesToBigIntLE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}

/** @returns `value` as exactly `length` big-endian bytes; @throws {CryptoError} when it does not fit */
export function bigIntToBytesBE(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * length)) throw new CryptoError("bad-parameters", `integer does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** @returns `value` as exactly `length` little-endian bytes; @throws {CryptoError} when it does not fit */
export function bigIntToBytesLE(value: bigint, length: number): Uint8Array {
  return bigIntToBytesBE(value, length).reverse();
}
