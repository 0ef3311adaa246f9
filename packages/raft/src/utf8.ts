/**
 * UTF-8 for the hand-written binary codecs (KV commands, durable records): ASCII byte by byte (the
 * common case, no TextEncoder/TextDecoder call), anything else through the platform's encoder and a
 * strict decoder.
 */

/** Encoder of non-ASCII strings (lone surrogates become U+FFFD). */
export const utf8Encoder = new TextEncoder();

// fatal: invalid UTF-8 throws. ignoreBOM: a leading U+FEFF is a character of the string like any
// other (the default strips it, which would give one string two encodings).
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** @returns the UTF-8 length of `text` when it is all ASCII (one byte a character), or -1 */
export function asciiLength(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return -1;
  return text.length;
}

/** Writes the ASCII string `text` (see {@link asciiLength}) at `at`: exactly the bytes TextEncoder would give. */
export function writeAscii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
}

/**
 * @returns the string encoded by `bytes[start, start + length)`
 * @throws {TypeError} when those bytes are not valid UTF-8
 */
export function readUtf8(bytes: Uint8Array, start: number, length: number): string {
  let text = "";
  for (let i = start; i < start + length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) return utf8Strict.decode(bytes.subarray(start, start + length));
    text += String.fromCharCode(b);
  }
  return text;
}
