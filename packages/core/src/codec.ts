import { Packr } from "msgpackr";
import type { Envelope } from "./envelope.js";
import { DecodeError, EncodeError } from "./errors.js";
import { DEFAULT_MAX_MESSAGE_BYTES } from "./limits.js";
import { err, type Result } from "./result.js";
import { s, validate, type Schema } from "./schema.js";

/** Turns validated values into bytes and untrusted bytes back into validated values. */
export interface Codec<T> {
  /** Largest input `decode` accepts, in bytes. */
  readonly maxBytes: number;
  /**
   * @returns the bytes of `value` (msgpack, for codecs built by {@link createCodec})
   * @throws {EncodeError} when `decode` would reject the value (it fails the schema, or is too large)
   */
  encode(value: T): Uint8Array;
  /**
   * Decode untrusted bytes. Never throws: malformed input (msgpack, or the codec's own layout),
   * trailing bytes, oversize input and values that fail the schema all come back as a {@link DecodeError}.
   */
  decode(bytes: Uint8Array): Result<T, DecodeError>;
}

// Plain msgpack only: no records/shared structures (stateful across messages), no extension types
// beyond what msgpackr always understands, maps decoded as plain objects.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, structuredClone: false, int64AsType: "number" });

/**
 * The msgpack bytes of any plain value, NOT validated: for tests and fuzzers that need bytes a
 * correct encoder never writes (what a faulty or hostile peer could send). Drivers use `encode`.
 */
export function encodeUnchecked(value: unknown): Uint8Array {
  return packr.pack(value);
}

/**
 * Build a codec for values described by `schema`.
 * @param schema - validates every decoded value
 * @param options.maxBytes - inputs larger than this are rejected before decoding (default 1 MiB)
 * @example
 * const codec = createCodec(s.object({ seq: s.uint() }));
 * const bytes = codec.encode({ seq: 1 });
 * const back = codec.decode(bytes); // { ok: true, value: { seq: 1 } }
 */
export function createCodec<T>(schema: Schema<T>, options: { maxBytes?: number } = {}): Codec<T> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return {
    maxBytes,
    encode(value: T): Uint8Array {
      const checked = validate(schema, value);
      if (!checked.ok) {
        const { path, message } = checked.error;
        throw new EncodeError(path && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message, path);
      }
      const bytes = packr.pack(value);
      if (bytes.length > maxBytes) throw new EncodeError(`${bytes.length} bytes exceed the limit of ${maxBytes}`);
      return bytes;
    },
    decode(bytes: Uint8Array): Result<T, DecodeError> {
      if (!(bytes instanceof Uint8Array)) return err(new DecodeError("expected bytes"));
      if (bytes.length === 0) return err(new DecodeError("empty input"));
      if (bytes.length > maxBytes) return err(new DecodeError(`input of ${bytes.length} bytes exceeds the limit of ${maxBytes}`));
      let raw: unknown;
      try {
        const values = packr.unpackMultiple(bytes);
        if (!values || values.length !== 1) {
          return err(new DecodeError(`expected exactly one msgpack value, found ${values?.length ?? 0}`));
        }
        raw = values[0];
      } catch (error) {
        return err(new DecodeError(`malformed msgpack (${error instanceof Error ? error.message : String(error)})`));
      }
      return validate(schema, raw);
    },
  };
}

/** The schema of an {@link Envelope} carrying messages described by `message`. */
export function envelopeSchema<M>(message: Schema<M>): Schema<Envelope<M>> {
  return s.object({ from: s.nodeId(), to: s.nodeId(), message });
}
