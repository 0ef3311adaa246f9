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
  return statementCodec.encode([domain, ...parts]);
}
