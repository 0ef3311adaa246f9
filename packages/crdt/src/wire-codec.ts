import { createCodec, DecodeError, err, ok, type Codec, type Schema } from "@synod/core";

/**
 * Build a codec for an in-memory CRDT value through its plain wire form: `schema` checks the shape
 * of untrusted input, `fromWire` checks the semantics (e.g. dots inside their own causal context).
 * Decoding never throws and never touches any existing state.
 * @param schema - shape of the wire form
 * @param toWire - canonical wire form of a value
 * @param fromWire - rebuilds a value; throws {@link DecodeError} on semantically bad input
 * @param options.maxBytes - largest accepted input (default: the core codec's 1 MiB)
 * @returns the codec
 */
export function wireCodec<T, W>(
  schema: Schema<W>,
  toWire: (value: T) => W,
  fromWire: (wire: W) => T,
  options: { maxBytes?: number } = {},
): Codec<T> {
  const inner = createCodec(schema, options);
  return {
    maxBytes: inner.maxBytes,
    encode: (value) => inner.encode(toWire(value)),
    decode(bytes) {
      const decoded = inner.decode(bytes);
      if (!decoded.ok) return decoded;
      try {
        return ok(fromWire(decoded.value));
      } catch (error) {
        if (error instanceof DecodeError) return err(error);
        return err(new DecodeError(`invalid value (${error instanceof Error ? error.message : String(error)})`));
      }
    },
  };
}
