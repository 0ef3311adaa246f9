import { DecodeError } from "./errors.js";
import type { NodeId } from "./ids.js";
import {
  DEFAULT_MAX_ARRAY_LENGTH,
  DEFAULT_MAX_BYTES_LENGTH,
  DEFAULT_MAX_RECORD_ENTRIES,
  DEFAULT_MAX_RECORD_KEY_LENGTH,
  DEFAULT_MAX_STRING_LENGTH,
  MAX_NODE_ID_LENGTH,
} from "./limits.js";
import { err, ok, type Result } from "./result.js";

/**
 * A validator for untrusted plain data (what the codec decodes from a peer's bytes). `parse`
 * returns a fresh value holding only the declared fields, or throws a {@link DecodeError} naming the
 * bad field; use {@link validate} at a trust boundary to get a {@link Result} instead.
 */
export interface Schema<T> {
  /** Short human description, used in error messages (`"uint <= 2^32"`). */
  readonly description: string;
  /** @throws {DecodeError} when `value` does not match */
  parse(value: unknown, path: string): T;
  /** Present (true) on schemas made by {@link s.optional}: the field may be absent. */
  readonly optional?: boolean;
  /** Present (true) on schemas made by {@link s.nullable}: null is one of its values. */
  readonly nullable?: boolean;
}

/** The type a schema validates. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
/** The object type a shape validates: optional schemas become optional keys. */
export type InferShape<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * Validate untrusted data without throwing.
 * @returns the validated copy, or the {@link DecodeError} naming the first bad field
 */
export function validate<T>(schema: Schema<T>, value: unknown, path = ""): Result<T, DecodeError> {
  try {
    return ok(schema.parse(value, path));
  } catch (error) {
    if (error instanceof DecodeError) return err(error);
    // A validator must only throw DecodeError; anything else (e.g. stack overflow on absurd nesting) is still bad input.
    return err(new DecodeError(`invalid value (${error instanceof Error ? error.message : String(error)})`, path));
  }
}

function fail(path: string, expected: string, value: unknown): never {
  throw new DecodeError(`expected ${expected}, got ${describe(value)}`, path);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (typeof value === "string") return value.length > 20 ? `string(${value.length})` : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

interface IntOptions {
  readonly min?: number;
  readonly max?: number;
}

/** Schema combinators. Every container takes an explicit maximum size ("put a limit on everything"). */
export const s = {
  /** A string of bounded length (default at most 4096 characters). */
  string(options: { minLength?: number; maxLength?: number } = {}): Schema<string> {
    const min = options.minLength ?? 0;
    const max = options.maxLength ?? DEFAULT_MAX_STRING_LENGTH;
    const description = `string[${min}..${max}]`;
    return {
      description,
      parse(value, path) {
        if (typeof value !== "string" || value.length < min || value.length > max) fail(path, description, value);
        return value;
      },
    };
  },

  /** A {@link NodeId}: a non-empty string of at most 64 characters. */
  nodeId(): Schema<NodeId> {
    return s.string({ minLength: 1, maxLength: MAX_NODE_ID_LENGTH });
  },

  /** A safe integer in [min, max] (defaults: the whole safe range). */
  int(options: IntOptions = {}): Schema<number> {
    const min = options.min ?? Number.MIN_SAFE_INTEGER;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    const description = `integer in [${min}, ${max}]`;
    return {
      description,
      parse(value, path) {
        if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) fail(path, description, value);
        return value;
      },
    };
  },

  /** A non-negative safe integer, at most `max` (default 2^53 − 1). */
  uint(max: number = Number.MAX_SAFE_INTEGER): Schema<number> {
    return s.int({ min: 0, max });
  },

  /** A finite number in [min, max]. */
  number(options: IntOptions = {}): Schema<number> {
    const min = options.min ?? -Number.MAX_VALUE;
    const max = options.max ?? Number.MAX_VALUE;
    const description = `finite number in [${min}, ${max}]`;
    return {
      description,
      parse(value, path) {
        if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) fail(path, description, value);
        return value;
      },
    };
  },

  /** true or false. */
  boolean(): Schema<boolean> {
    return {
      description: "boolean",
      parse(value, path) {
        if (typeof value !== "boolean") fail(path, "boolean", value);
        return value;
      },
    };
  },

  /** Exactly `expected` (a string, number or boolean). */
  literal<const L extends string | number | boolean>(expected: L): Schema<L> {
    const description = JSON.stringify(expected);
    return {
      description,
      parse(value, path) {
        if (value !== expected) fail(path, description, value);
        return expected;
      },
    };
  },

  /** One of a fixed set of strings. */
  enumOf<const L extends string>(values: readonly L[]): Schema<L> {
    const set = new Set<string>(values);
    const description = `one of ${values.join("|")}`;
    return {
      description,
      parse(value, path) {
        if (typeof value !== "string" || !set.has(value)) fail(path, description, value);
        return value as L;
      },
    };
  },

  /** Binary data of bounded length (default at most 1 MiB), returned as a plain Uint8Array. */
  bytes(options: { minLength?: number; maxLength?: number } = {}): Schema<Uint8Array> {
    const min = options.minLength ?? 0;
    const max = options.maxLength ?? DEFAULT_MAX_BYTES_LENGTH;
    const description = `bytes[${min}..${max}]`;
    return {
      description,
      parse(value, path) {
        if (!(value instanceof Uint8Array) || value.length < min || value.length > max) fail(path, description, value);
        return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
      },
    };
  },

  /** An array of at most `maxLength` items (default 10,000), each validated by `item`. */
  array<T>(item: Schema<T>, options: { maxLength?: number; minLength?: number } = {}): Schema<T[]> {
    const max = options.maxLength ?? DEFAULT_MAX_ARRAY_LENGTH;
    const min = options.minLength ?? 0;
    const description = `array[${min}..${max}] of ${item.description}`;
    return {
      description,
      parse(value, path) {
        if (!Array.isArray(value) || value.length < min || value.length > max) fail(path, description, value);
        const out: T[] = new Array<T>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = item.parse(value[i], `${path}[${i}]`);
        return out;
      },
    };
  },

  /** A fixed-length array whose positions have their own schemas. */
  tuple<const T extends readonly Schema<unknown>[]>(items: T): Schema<{ -readonly [K in keyof T]: Infer<T[K]> }> {
    const description = `[${items.map((i) => i.description).join(", ")}]`;
    return {
      description,
      parse(value, path) {
        if (!Array.isArray(value) || value.length !== items.length) fail(path, description, value);
        return items.map((schema, i) => schema.parse(value[i], `${path}[${i}]`)) as { -readonly [K in keyof T]: Infer<T[K]> };
      },
    };
  },

  /**
   * A field that may be absent (or undefined on the wire, or null when `inner` has no null); absent
   * fields stay absent. Around a {@link s.nullable} schema a null stays null: absent and null are
   * then two values (a KV result's `value: null` says the key is absent, and must decode as written).
   */
  optional<T>(inner: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
    return {
      description: `${inner.description}?`,
      optional: true,
      parse(value, path) {
        if (value === undefined || (value === null && inner.nullable !== true)) return undefined;
        return inner.parse(value, path);
      },
    };
  },

  /** A value or null. */
  nullable<T>(inner: Schema<T>): Schema<T | null> {
    return {
      description: `${inner.description} | null`,
      nullable: true,
      parse(value, path) {
        return value === null ? null : inner.parse(value, path);
      },
    };
  },

  /** A plain object with the given fields; unknown fields are dropped (forward compatibility). */
  object<S extends Shape>(shape: S): Schema<Simplify<InferShape<S>>> {
    const keys = Object.keys(shape);
    const description = `{${keys.join(", ")}}`;
    return {
      description,
      parse(value, path) {
        if (!isPlainObject(value)) fail(path, `object ${description}`, value);
        const out: Record<string, unknown> = {};
        for (const key of keys) {
          const schema = shape[key] as Schema<unknown>;
          const fieldPath = path ? `${path}.${key}` : key;
          const present = hasOwn(value, key) && value[key] !== undefined;
          if (!present) {
            if (schema.optional) continue;
            throw new DecodeError("required field is missing", fieldPath);
          }
          const parsed = schema.parse(value[key], fieldPath);
          if (parsed !== undefined) out[key] = parsed;
        }
        return out as Simplify<InferShape<S>>;
      },
    };
  },

  /**
   * A discriminated union of objects: `tag` names the field whose value selects the variant.
   * @example s.variant("type", { ping: { seq: s.uint() }, pong: { seq: s.uint() } })
   */
  variant<const K extends string, V extends Record<string, Shape>>(
    tag: K,
    variants: V,
  ): Schema<{ [T in keyof V]: Simplify<{ [P in K]: T } & InferShape<V[T]>> }[keyof V]> {
    const schemas = new Map<string, Schema<unknown>>();
    for (const [name, shape] of Object.entries(variants)) schemas.set(name, s.object(shape));
    const description = `${tag} in ${[...schemas.keys()].join("|")}`;
    return {
      description,
      parse(value, path) {
        if (!isPlainObject(value)) fail(path, `object with ${description}`, value);
        const name = value[tag];
        const schema = typeof name === "string" && hasOwn(variants, name) ? schemas.get(name) : undefined;
        if (schema === undefined) fail(path ? `${path}.${tag}` : tag, description, name);
        const out = schema.parse(value, path) as Record<string, unknown>;
        out[tag] = name;
        return out as never;
      },
    };
  },

  /** A string-keyed map of at most `maxEntries` entries (default 10,000). */
  record<T>(valueSchema: Schema<T>, options: { maxEntries?: number; key?: Schema<string> } = {}): Schema<Record<string, T>> {
    const max = options.maxEntries ?? DEFAULT_MAX_RECORD_ENTRIES;
    const keySchema = options.key ?? s.string({ maxLength: DEFAULT_MAX_RECORD_KEY_LENGTH });
    const description = `record[..${max}] of ${valueSchema.description}`;
    return {
      description,
      parse(value, path) {
        if (!isPlainObject(value)) fail(path, description, value);
        const keys = Object.keys(value);
        if (keys.length > max) fail(path, description, value);
        const out: Record<string, T> = Object.create(null) as Record<string, T>;
        for (const key of keys) {
          const keyPath = `${path}[${JSON.stringify(key)}]`;
          if (key === "__proto__") throw new DecodeError("forbidden key", keyPath);
          keySchema.parse(key, keyPath);
          out[key] = valueSchema.parse(value[key], keyPath);
        }
        return out;
      },
    };
  },

  /** A schema defined later (for recursive types). */
  lazy<T>(make: () => Schema<T>): Schema<T> {
    let cached: Schema<T> | undefined;
    return {
      get description() {
        return "lazy";
      },
      parse(value, path) {
        cached ??= make();
        return cached.parse(value, path);
      },
    };
  },

  /** Refine a schema with an extra check; `check` returns an error message or undefined. */
  refine<T>(inner: Schema<T>, check: (value: T) => string | undefined): Schema<T> {
    return {
      description: inner.description,
      parse(value, path) {
        const parsed = inner.parse(value, path);
        const problem = check(parsed);
        if (problem !== undefined) throw new DecodeError(problem, path);
        return parsed;
      },
    };
  },
};
