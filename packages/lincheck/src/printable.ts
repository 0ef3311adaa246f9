/** The most characters of untrusted text quoted in one message. */
export const MAX_QUOTED_CHARS = 120;

// C0 and C1 controls, DEL, the replacement character a binary byte decodes to, lone surrogates,
// and the line/paragraph separators that would split a one-line message.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text from a file or a peer made safe to print on one terminal line: every control character,
 * undecodable byte and lone surrogate becomes a visible `\u{…}` escape, and the text is clipped.
 * Error messages never carry raw binary: a terminal would interpret it.
 * @param text - untrusted text
 * @param max - most characters kept before clipping (an ellipsis marks the cut)
 * @example printable("a\u0000b") // 'a\u{0}b'
 */
export function printable(text: string, max = MAX_QUOTED_CHARS): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return clipped.replace(UNPRINTABLE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

/**
 * Where `text` looks like binary rather than a text history: the offset of its first NUL or
 * undecodable byte, or undefined for text.
 */
export function firstBinaryOffset(text: string): number | undefined {
  const at = text.search(/[\u0000\ufffd]/);
  return at === -1 ? undefined : at;
}
