/**
 * UTF-8 for the hand-written binary codecs (KV commands, durable records). Short strings go byte by
 * byte when they are ASCII (the common case: ids and keys, where a call into the platform costs more
 * than the loop); anything longer or non-ASCII goes through the platform's TextEncoder.encodeInto and
 * a strict TextDecoder, which are one pass over native memory (a 16 KB value built one character at a
 * time cost a string concatenation per byte).
 */

/** Encoder of non-ASCII strings (lone surrogates become U+FFFD). */
export const utf8Encoder = new TextEncoder();

// fatal: invalid UTF-8 throws. ignoreBOM: a leading U+FEFF is a character of the string like any
// other (the default strips it, which would give one string two encodings).
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Strings up to this many bytes/units are handled by the loops below; longer ones by the platform (faster from ~32 up). */
const SHORT = 32;

/** Most UTF-8 bytes one UTF-16 unit becomes (a lone surrogate becomes U+FFFD: 3 bytes; a pair, 4 bytes for 2 units). */
export const MAX_UTF8_BYTES_PER_UNIT = 3;

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
 * Writes `text` as UTF-8 at `at` (exactly the bytes TextEncoder would give). `out` must have room for
 * {@link MAX_UTF8_BYTES_PER_UNIT} bytes per UTF-16 unit of `text` from `at`.
 * @returns the number of bytes written
 */
export function writeUtf8(out: Uint8Array, at: number, text: string): number {
  if (text.length <= SHORT && asciiLength(text) >= 0) {
    writeAscii(out, at, text);
    return text.length;
  }
  return utf8Encoder.encodeInto(text, out.subarray(at)).written;
}

/**
 * @returns the string encoded by `bytes[start, start + length)`
 * @throws {TypeError} when those bytes are not valid UTF-8
 */
export function readUtf8(bytes: Uint8Array, start: number, length: number): string {
  if (length > SHORT) return utf8Strict.decode(bytes.subarray(start, start + length));
  let text = "";
  for (let i = start; i < start + length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) return utf8Strict.decode(bytes.subarray(start, start + length));
    text += String.fromCharCode(b);
  }
  return text;
}
