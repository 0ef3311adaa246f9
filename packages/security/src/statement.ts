import { createCodec, DecodeError, type Schema } from "@synod/core";

/** One field of a signed statement: text, a safe integer or bytes. */
export type StatementPart = string | number | Uint8Array;

const partSchema: Schema<StatementPart> = {
  description: "string | integer | bytes",
  parse(value, path) {
    if (typeof value === "string" || value instanceof Uint8Array) return value;
    if (typeof value === "number" && Number.isSafeInteger(value)) return value;
    throw new DecodeError("expected a string, a safe integer or bytes", path);
  },
};

/**
 * Ceilings of a statement. Statements are built by local code from values that already passed their
 * own message limits, and are never decoded, so these only stop a runaway: they must be far above
 * what any protocol signs (a PBFT batch of 1,024 request digests, a view change carrying thousands
 * of prepared certificates, a 4 MiB state transfer). They were once 64 parts and 1 MiB, a decode
 * limit that became an encode limit when codecs began refusing what they would not decode: PBFT
 * batches of more than 62 requests then threw inside the primary, and ordering stopped.
 */
export const MAX_STATEMENT_PARTS = 1 << 20;
/** Largest statement, in bytes (see {@link MAX_STATEMENT_PARTS}). */
export const MAX_STATEMENT_BYTES = 64 << 20;

const statementSchema: Schema<StatementPart[]> = {
  description: "statement",
  parse(value, path) {
    if (!Array.isArray(value) || value.length > MAX_STATEMENT_PARTS) throw new DecodeError(`expected an array of at most ${MAX_STATEMENT_PARTS} parts`, path);
    return value.map((part, i) => partSchema.parse(part, `${path}[${i}]`));
  },
};

const statementCodec = createCodec(statementSchema, { maxBytes: MAX_STATEMENT_BYTES });

/**
 * The canonical bytes a signature, MAC or proof covers: the core msgpack codec's encoding of
 * `[domain, ...parts]`. The domain string separates uses (an envelope signature can never be
 * replayed as a rotation certificate), and msgpack's length-prefixed fields make the encoding
 * injective (no two different part lists give the same bytes).
 * @param domain - a versioned domain tag such as `"synod/envelope/v1"`
 * @param parts - the fields, in a fixed order
 * @returns the bytes to sign
 */
export function statementBytes(domain: string, ...parts: readonly StatementPart[]): Uint8Array {
  return directStatement(domain, parts) ?? statementCodec.encode([domain, ...parts]);
}

/** @returns msgpack's header length for a string, a byte string or an array of `length` (ASCII strings: one byte a character) */
function headerLength(length: number, short: number): number {
  return length < short ? 1 : length < 0x100 && short !== 0x10 ? 2 : length < 0x10000 ? 3 : 5;
}

/** @returns the encoded length of one part, or -1 when it is not one {@link directStatement} writes */
function partLength(part: StatementPart): number {
  if (typeof part === "number") return part >>> 0 !== part ? -1 : part < 0x80 ? 1 : part < 0x100 ? 2 : part < 0x10000 ? 3 : 5;
  if (typeof part === "string") {
    for (let i = 0; i < part.length; i++) if (part.charCodeAt(i) >= 0x80) return -1;
    return headerLength(part.length, 0x20) + part.length;
  }
  return part instanceof Uint8Array ? headerLength(part.length, 0) + part.length : -1;
}

function writeHeader(out: Uint8Array, at: number, length: number, fix: number, short: number, codes: readonly [number, number, number]): number {
  if (length < short) {
    out[at] = fix | length;
    return at + 1;
  }
  if (length < 0x100 && short !== 0x10) {
    out[at] = codes[0];
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 0x10000) {
    out[at] = codes[1];
    out[at + 1] = length >>> 8;
    out[at + 2] = length & 0xff;
    return at + 3;
  }
  out[at] = codes[2];
  out[at + 1] = length >>> 24;
  out[at + 2] = (length >>> 16) & 0xff;
  out[at + 3] = (length >>> 8) & 0xff;
  out[at + 4] = length & 0xff;
  return at + 5;
}

const STR = [0xd9, 0xda, 0xdb] as const;
const BIN = [0xc4, 0xc5, 0xc6] as const;
const ARRAY = [0, 0xdc, 0xdd] as const;

function writePart(out: Uint8Array, at: number, part: StatementPart): number {
  if (typeof part === "number") {
    if (part < 0x80) {
      out[at] = part;
      return at + 1;
    }
    const width = part < 0x100 ? 1 : part < 0x10000 ? 2 : 4;
    out[at++] = width === 1 ? 0xcc : width === 2 ? 0xcd : 0xce;
    for (let shift = 8 * (width - 1); shift >= 0; shift -= 8) out[at++] = (part >>> shift) & 0xff;
    return at;
  }
  if (typeof part === "string") {
    at = writeHeader(out, at, part.length, 0xa0, 0x20, STR);
    for (let i = 0; i < part.length; i++) out[at++] = part.charCodeAt(i);
    return at;
  }
  at = writeHeader(out, at, part.length, 0, 0, BIN);
  out.set(part, at);
  return at + part.length;
}

/** Most domains whose encoding is remembered (a protocol signs under a handful). */
const DOMAIN_MEMO_ENTRIES = 256;
const encodedDomains = new Map<string, Uint8Array>();

/** @returns the encoding of a domain string (remembered), or undefined when it is not ASCII */
function domainBytes(domain: string): Uint8Array | undefined {
  let encoded = encodedDomains.get(domain);
  if (encoded !== undefined) return encoded;
  const length = partLength(domain);
  if (length < 0) return undefined;
  encoded = new Uint8Array(length);
  writePart(encoded, 0, domain);
  if (encodedDomains.size < DOMAIN_MEMO_ENTRIES) encodedDomains.set(domain, encoded);
  return encoded;
}

/**
 * The same bytes as the codec's encoding of `[domain, ...parts]`, written directly (no schema pass,
 * no intermediate array, no shared encoder buffer) for what statements are made of: ASCII strings,
 * integers in [0, 2^32) and byte strings. Anything else (a negative or larger number, a non-ASCII
 * string, an oversize statement) returns undefined and goes through the codec, which validates it.
 */
function directStatement(domain: string, parts: readonly StatementPart[]): Uint8Array | undefined {
  if (parts.length >= MAX_STATEMENT_PARTS) return undefined;
  const encodedDomain = domainBytes(domain);
  if (encodedDomain === undefined) return undefined;
  let length = headerLength(parts.length + 1, 0x10) + encodedDomain.length;
  for (const part of parts) {
    const n = partLength(part);
    if (n < 0) return undefined;
    length += n;
  }
  if (length > MAX_STATEMENT_BYTES) return undefined;
  const out = new Uint8Array(length);
  let at = writeHeader(out, 0, parts.length + 1, 0x90, 0x10, ARRAY);
  out.set(encodedDomain, at);
  at += encodedDomain.length;
  for (const part of parts) at = writePart(out, at, part);
  return out;
}
