import { createCodec, DecodeError, EncodeError, err, ok, s, type Codec, type Result, type Schema } from "@synod/core";
import { asciiLength, MAX_UTF8_BYTES_PER_UNIT, readUtf8, writeAscii, writeUtf8 } from "../utf8.js";

/** Largest key, in characters. */
export const MAX_KEY_LENGTH = 256;
/** Largest value, in characters. */
export const MAX_VALUE_LENGTH = 16 * 1024;

/** A value under a key; null means absent (the @synod/lincheck KV convention). */
export type KvValue = string | null;

/**
 * One key-value operation, shaped exactly as @synod/lincheck's `KvOp` so histories check as they are.
 * - get: read `key`; put: set it to `value`; cas: if it holds `expected` (null = absent) set it to
 *   `value`; delete: remove it.
 */
export interface KvOp {
  readonly type: "get" | "put" | "cas" | "delete";
  readonly key: string;
  readonly value?: KvValue;
  readonly expected?: KvValue;
}

/**
 * Why an operation did not take effect. Every reason but `stale-session` is a definite failure:
 * the command was applied and changed nothing. `stale-session` is not: the session has moved past
 * this sequence number, so the command was applied earlier (or superseded), and its result is no
 * longer held — the outcome is unknown.
 * - `cas-missing`: cas expected a value but the key is absent (`value` is null);
 * - `cas-mismatch`: the key holds a value other than the expected one (`value` is that current value);
 * - `store-full`: a write would create a key beyond the store's `maxKeys`;
 * - `malformed`: the command did not decode or lacks a value;
 * - `stale-session`: see above.
 */
export type KvFailureReason = "cas-missing" | "cas-mismatch" | "store-full" | "malformed" | "stale-session";

/** Every {@link KvFailureReason}. */
export const KV_FAILURE_REASONS: readonly KvFailureReason[] = ["cas-missing", "cas-mismatch", "store-full", "malformed", "stale-session"];

/**
 * The result of an operation, shaped as @synod/lincheck's `KvResult`: get → ok with `value`;
 * put → ok; cas → ok says whether it swapped (on a failed compare, `reason` says why and `value`
 * is the current value); delete → ok says whether the key existed. `error` (with `reason`) is set,
 * and ok false, when the command was malformed, over a limit, or stale: nothing changed.
 */
export interface KvResult {
  readonly ok: boolean;
  readonly value?: KvValue;
  readonly error?: string;
  /** Why the operation did not take effect (absent when ok, and for a delete of an absent key). */
  readonly reason?: KvFailureReason;
}

/** @returns whether `result` is a failure known to have changed nothing (every failure but a stale session) */
export function isDefiniteFailure(result: KvResult): boolean {
  return !result.ok && result.reason !== undefined && result.reason !== "stale-session";
}

/** The schema of a {@link KvResult} (results are replicated in sessions and snapshots, and sent as PBFT replies). */
export const kvResultSchema: Schema<KvResult> = s.object({
  ok: s.boolean(),
  value: s.optional(s.nullable(s.string({ maxLength: MAX_VALUE_LENGTH }))),
  error: s.optional(s.string({ maxLength: 256 })),
  reason: s.optional(s.enumOf(KV_FAILURE_REASONS)),
}) as Schema<KvResult>;

/**
 * A command in the log: the operation plus the client session that issued it. A command whose
 * (client, seq) was already applied returns the recorded result instead of applying twice.
 */
export interface KvCommand {
  readonly client: number;
  readonly seq: number;
  readonly op: KvOp;
}

/** A state machine result: the session it answers and the operation's result. */
export interface KvReply {
  readonly client: number;
  readonly seq: number;
  readonly result: KvResult;
}

/**
 * Codec of commands (entry payloads): a compact binary layout, decoded and validated without
 * msgpack (commands are decoded by every replica for every entry: the apply hot path).
 * Layout: `[1][op u8][tags u8][client f64][seq f64][keyLen u16][key][valueLen u32][value][expectedLen u32][expected]`,
 * strings UTF-8, value/expected present only when their tag (2 bits each: 0 absent, 1 null, 2 string) is 2.
 * `encode` throws {@link EncodeError} for a command `decode` would refuse (a key over MAX_KEY_LENGTH or a value over
 * MAX_VALUE_LENGTH characters, a negative or fractional client or seq, an unknown operation, a value not a string).
 */
export const kvCommandCodec: Codec<KvCommand> = {
  maxBytes: 64 * 1024,
  encode: encodeCommandBytes,
  decode: decodeCommandBytes,
};

const OPS = ["get", "put", "cas", "delete"] as const;

// Float64 fields go through one shared 8-byte scratch on little-endian hosts (no DataView, and no
// `.buffer` of a fresh array, which V8 would have to move off the heap); DataView elsewhere.
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeFloat64(out: Uint8Array, at: number, x: number): void {
  if (!LITTLE_ENDIAN) {
    new DataView(out.buffer, out.byteOffset, out.byteLength).setFloat64(at, x, true);
    return;
  }
  f64[0] = x;
  for (let i = 0; i < 8; i++) out[at + i] = f64Bytes[i] as number;
}

function readFloat64(bytes: Uint8Array, at: number): number {
  if (!LITTLE_ENDIAN) return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(at, true);
  for (let i = 0; i < 8; i++) f64Bytes[i] = bytes[at + i] as number;
  return f64[0] as number;
}

function writeUint32(out: Uint8Array, at: number, x: number): void {
  out[at] = x & 0xff;
  out[at + 1] = (x >>> 8) & 0xff;
  out[at + 2] = (x >>> 16) & 0xff;
  out[at + 3] = x >>> 24;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) + (bytes[at + 3] as number) * 0x1000000;
}

function tagOf(v: KvValue | undefined): number {
  return v === undefined ? 0 : v === null ? 1 : 2;
}

function refuse(why: string, path = ""): never {
  throw new EncodeError(why, path);
}

/** Throws the {@link EncodeError} the decoder's refusal of `command` would correspond to, before any byte is written. */
function checkEncodable(command: KvCommand): void {
  const { op } = command;
  if (!Number.isSafeInteger(command.client) || command.client < 0) refuse(`expected a non-negative safe integer, got ${String(command.client)}`, "client");
  if (!Number.isSafeInteger(command.seq) || command.seq < 0) refuse(`expected a non-negative safe integer, got ${String(command.seq)}`, "seq");
  if (typeof op !== "object" || op === null) refuse("expected an operation object", "op");
  if (!OPS.includes(op.type)) refuse(`unknown operation ${String(op.type)}`, "op.type");
  if (typeof op.key !== "string") refuse("expected a string", "op.key");
  if (op.key.length > MAX_KEY_LENGTH) refuse(`longer than ${MAX_KEY_LENGTH} characters`, "op.key");
  for (const field of ["value", "expected"] as const) {
    const v: unknown = op[field];
    if (v !== undefined && v !== null && typeof v !== "string") refuse("expected a string, null or nothing", `op.${field}`);
    if (typeof v === "string" && v.length > MAX_VALUE_LENGTH) refuse(`longer than ${MAX_VALUE_LENGTH} characters`, `op.${field}`);
  }
}

/**
 * Writes commands into a buffer before their size is known (each string's UTF-8 length is known
 * only once written); the result is a copy of its prefix. The buffer grows on demand, never past the
 * largest command the encoder accepts. Not re-entrant: {@link encode} starts over at byte 0.
 */
class CommandWriter {
  private buffer = new Uint8Array(1024);

  /** @throws {EncodeError} when the decoder would refuse the command (a field out of range, too long, or of the wrong type) */
  encode(command: KvCommand): Uint8Array {
    checkEncodable(command);
    const { op } = command;
    const units = op.key.length + (typeof op.value === "string" ? op.value.length : 0) + (typeof op.expected === "string" ? op.expected.length : 0);
    const room = 21 + 8 + MAX_UTF8_BYTES_PER_UNIT * units;
    if (this.buffer.length < room) this.buffer = new Uint8Array(Math.max(room, 2 * this.buffer.length));
    const out = this.buffer;
    out[0] = 1;
    out[1] = OPS.indexOf(op.type);
    out[2] = tagOf(op.value) | (tagOf(op.expected) << 2);
    writeFloat64(out, 3, command.client);
    writeFloat64(out, 11, command.seq);
    const keyLength = writeUtf8(out, 21, op.key);
    out[19] = keyLength & 0xff;
    out[20] = (keyLength >>> 8) & 0xff;
    const end = this.optional(this.optional(21 + keyLength, op.value), op.expected);
    if (end > kvCommandCodec.maxBytes) refuse(`command of ${end} bytes exceeds ${kvCommandCodec.maxBytes}`);
    return out.slice(0, end);
  }

  /** Writes the optional string `text` (length-prefixed) at `at`. @returns where it ends */
  private optional(at: number, text: KvValue | undefined): number {
    if (typeof text !== "string") return at;
    const length = writeUtf8(this.buffer, at + 4, text);
    writeUint32(this.buffer, at, length);
    return at + 4 + length;
  }
}

/** The one writer: encoding is synchronous and never nested, so its buffer is shared by every encode. */
const commandWriter = new CommandWriter();

/** @throws {EncodeError} when the decoder would refuse the command (see {@link CommandWriter.encode}) */
function encodeCommandBytes(command: KvCommand): Uint8Array {
  return commandWriter.encode(command);
}

function bad(why: string, path = ""): Result<KvCommand, DecodeError> {
  return err(new DecodeError(why, path));
}

/**
 * A cursor over a command's optional strings (value, then expected), which follow the key at
 * offsets known only once the one before is read.
 */
class OptionalReader {
  /** Offset of the next byte: where the last string read ended. */
  at: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.at = start;
  }

  /**
   * Reads an optional string for `tag` (0 absent, 1 null, 2 string) and moves past it.
   * @returns the value, or a {@link BadField} saying why the bytes are bad (no object per call)
   */
  next(tag: number): KvValue | undefined | BadField {
    if (tag === 0) return undefined;
    if (tag === 1) return null;
    const { bytes, at } = this;
    if (at + 4 > bytes.length) return TRUNCATED;
    const length = readUint32(bytes, at);
    if (length > MAX_VALUE_LENGTH * 4 || at + 4 + length > bytes.length) return OUT_OF_RANGE;
    const text = readUtf8(bytes, at + 4, length);
    if (text.length > MAX_VALUE_LENGTH) return TOO_LONG;
    this.at = at + 4 + length;
    return text;
  }
}

/** Why an optional string field does not decode (shared constants: nothing is allocated per call). */
class BadField {
  constructor(readonly why: string) {}
}
const TRUNCATED = new BadField("truncated value");
const OUT_OF_RANGE = new BadField("value out of range");
const TOO_LONG = new BadField(`longer than ${MAX_VALUE_LENGTH} characters`);

function decodeCommandBytes(bytes: Uint8Array): Result<KvCommand, DecodeError> {
  if (!(bytes instanceof Uint8Array) || bytes.length < 21) return bad("command shorter than its header");
  if (bytes.length > kvCommandCodec.maxBytes) return bad(`command of ${bytes.length} bytes exceeds ${kvCommandCodec.maxBytes}`);
  if (bytes[0] !== 1) return bad(`unknown command version ${String(bytes[0])}`);
  const type = OPS[bytes[1] as number];
  if (type === undefined) return bad(`unknown operation ${String(bytes[1])}`, "op.type");
  const tags = bytes[2] as number;
  const valueTag = tags & 3;
  const expectedTag = (tags >> 2) & 3;
  if (tags > 15 || valueTag === 3 || expectedTag === 3) return bad("bad value tags", "op");
  const client = readFloat64(bytes, 3);
  const seq = readFloat64(bytes, 11);
  if (!Number.isSafeInteger(client) || client < 0) return bad("expected a non-negative safe integer", "client");
  if (!Number.isSafeInteger(seq) || seq < 0) return bad("expected a non-negative safe integer", "seq");
  const keyLength = (bytes[19] as number) | ((bytes[20] as number) << 8);
  if (keyLength > MAX_KEY_LENGTH * 4 || 21 + keyLength > bytes.length) return bad("key out of range", "op.key");
  try {
    const key = readUtf8(bytes, 21, keyLength);
    if (key.length > MAX_KEY_LENGTH) return bad(`longer than ${MAX_KEY_LENGTH} characters`, "op.key");
    const optionals = new OptionalReader(bytes, 21 + keyLength);
    const value = optionals.next(valueTag);
    if (value instanceof BadField) return bad(value.why, "op.value");
    const expected = optionals.next(expectedTag);
    if (expected instanceof BadField) return bad(expected.why, "op.expected");
    if (optionals.at !== bytes.length) return bad(`${bytes.length - optionals.at} trailing bytes`);
    const op: KvOp =
      value === undefined
        ? expected === undefined
          ? { type, key }
          : { type, key, expected }
        : expected === undefined
          ? { type, key, value }
          : { type, key, value, expected };
    return ok({ client, seq, op });
  } catch {
    return bad("invalid UTF-8");
  }
}

/** Schema and codec of read queries (the key to read). */
export const kvQueryCodec: Codec<{ key: string }> = createCodec(s.object({ key: s.string({ maxLength: MAX_KEY_LENGTH }) }), { maxBytes: 1024 });

/**
 * @returns the entry payload of a command
 * @example encodeKvCommand({ client: 1, seq: 7, op: { type: "put", key: "x", value: "1" } })
 */
export function encodeKvCommand(command: KvCommand): Uint8Array {
  return kvCommandCodec.encode(command);
}

/** msgpack of `{ key: <fixstr> }` up to the key, as the codec writes it: a map16 of one entry, the fixstr "key". */
const QUERY_PREFIX = [0xde, 0x00, 0x01, 0xa3, 0x6b, 0x65, 0x79] as const;

/**
 * Decode a read query: the exact bytes {@link encodeKvQuery} writes for a short ASCII key are read
 * directly (the codec would give the same `{ key }`); anything else goes through the codec.
 * @returns the query, or why the bytes are not one
 */
export function decodeKvQuery(bytes: Uint8Array): Result<{ key: string }, DecodeError> {
  const n = QUERY_PREFIX.length;
  if (bytes instanceof Uint8Array && bytes.length > n && ((bytes[n] as number) & 0xe0) === 0xa0 && bytes.length === n + 1 + ((bytes[n] as number) & 0x1f)) {
    let same = true;
    for (let i = 0; i < n && same; i++) same = bytes[i] === QUERY_PREFIX[i];
    for (let i = n + 1; i < bytes.length && same; i++) same = (bytes[i] as number) < 0x80;
    if (same) {
      let key = "";
      for (let i = n + 1; i < bytes.length; i++) key += String.fromCharCode(bytes[i] as number);
      return ok({ key });
    }
  }
  return kvQueryCodec.decode(bytes);
}

/** @returns the read query for `key` */
export function encodeKvQuery(key: string): Uint8Array {
  // Fast path for short ASCII keys (the common case): the exact msgpack bytes the codec writes,
  // `{ key }` with a fixstr value (tests compare with the codec); anything else goes through the codec.
  const length = key.length < 32 ? asciiLength(key) : -1;
  if (length < 0) return kvQueryCodec.encode({ key });
  const out = new Uint8Array(QUERY_PREFIX.length + 1 + length);
  for (let i = 0; i < QUERY_PREFIX.length; i++) out[i] = QUERY_PREFIX[i] as number;
  out[QUERY_PREFIX.length] = 0xa0 | length;
  writeAscii(out, QUERY_PREFIX.length + 1, key);
  return out;
}
