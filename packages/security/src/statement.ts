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

const statementSchema: Schema<StatementPart[]> = {
  description: "statement",
  parse(value, path) {
    if (!Array.isArray(value) || value.length > 64) throw new DecodeError("expected an array of at most 64 parts", path);
    return value.map((part, i) => partSchema.parse(part, `${path}[${i}]`));
  },
};

const statementCodec = createCodec(statementSchema);

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
