/**
 * Every error code synod raises. Codes are stable; messages are for people.
 * - `decode`: bytes from a peer or from storage could not be decoded or failed validation.
 * - `config`: a configuration value is invalid (the message says which and why).
 * - `usage`: a command-line or API argument is invalid.
 * - `not-leader`: a request reached a node that cannot serve it (see the protocol's error type for the hint).
 * - `invariant`: an internal invariant failed; always a bug.
 * - `limit`: an explicit limit (queue, batch, size) would be exceeded.
 * - `storage`: durable state is missing, torn or corrupted.
 * - `crypto`: a key, signature or proof is malformed or does not verify.
 * - `unsupported`: the operation is not supported by this configuration.
 */
export type SynodErrorCode =
  | "decode"
  | "config"
  | "usage"
  | "not-leader"
  | "invariant"
  | "limit"
  | "storage"
  | "crypto"
  | "unsupported";

/** Base class of all typed errors in synod. Match on `code`, not on the message. */
export class SynodError extends Error {
  /** The stable error code. */
  readonly code: SynodErrorCode;
  /** Structured details for programs (never secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: SynodErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "SynodError";
    this.code = code;
    this.details = details;
  }
}

/** Bytes or a value could not be decoded or failed validation. `path` locates the bad field. */
export class DecodeError extends SynodError {
  /** Where in the value the problem is, e.g. `message.entries[3].term`; empty for the whole input. */
  readonly path: string;

  constructor(message: string, path = "", details: Record<string, unknown> = {}) {
    super("decode", path ? `${path}: ${message}` : message, { ...details, path });
    this.name = "DecodeError";
    this.path = path;
  }
}

/**
 * A value given to a codec's `encode` is one its `decode` would reject (code `usage`: a caller's
 * bug, caught before the bytes leave). `path` locates the bad field.
 */
export class EncodeError extends SynodError {
  /** Where in the value the problem is, e.g. `entries[3].term`; empty for the whole value. */
  readonly path: string;

  constructor(message: string, path = "", details: Record<string, unknown> = {}) {
    super("usage", `cannot encode: ${path ? `${path}: ${message}` : message}`, { ...details, path });
    this.name = "EncodeError";
    this.path = path;
  }
}

/** A configuration value is invalid. `field` names it. */
export class ConfigError extends SynodError {
  readonly field: string;

  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super("config", `${field}: ${message}`, { ...details, field });
    this.name = "ConfigError";
    this.field = field;
  }
}

/** An internal invariant failed. This is always a bug in synod, never a user error. */
export class InvariantError extends SynodError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invariant", message, details);
    this.name = "InvariantError";
  }
}

/**
 * Assert an internal invariant (TigerBeetle style: state what must hold, where it holds).
 * @throws {InvariantError} when `condition` is false
 */
export function assert(condition: boolean, message: string, details?: Record<string, unknown>): asserts condition {
  if (!condition) throw new InvariantError(message, details);
}
