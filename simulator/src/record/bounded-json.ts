/** Limits of {@link boundedJson}: how deep, how many items per array/object, how long a string. */
export interface JsonBounds {
  readonly depth: number;
  readonly items: number;
  readonly chars: number;
}

const DEFAULT_BOUNDS: JsonBounds = { depth: 4, items: 12, chars: 120 };

/**
 * A plain, bounded JSON value of anything (a node object included): a class instance's public getters
 * first (a node's `term`, `role`, `vote`… are getters over its private state), then own enumerable
 * fields to `depth` levels, at most `items` entries of each array, map, set or object (the rest counted as `"… N more"`),
 * strings and byte arrays cut to `chars`. For showing a node's state in a report, not for reading back.
 * @returns a JSON-safe value
 */
export function boundedJson(value: unknown, bounds: JsonBounds = DEFAULT_BOUNDS): unknown {
  return walk(value, bounds, 0, new Set());
}

function walk(value: unknown, b: JsonBounds, depth: number, seen: Set<object>): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.length > b.chars ? `${value.slice(0, b.chars)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return `(${typeof value})`;
  if (seen.has(value)) return "(cycle)";
  if (value instanceof Uint8Array) return `bytes[${value.length}]`;
  if (depth >= b.depth) return Array.isArray(value) ? `[${value.length} items]` : "{…}";
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) return list([...(value as Iterable<unknown>)], b, depth, seen);
    if (value instanceof Map) return list([...value.entries()], b, depth, seen);
    const out: Record<string, unknown> = depth === 0 ? getters(value, b, seen) : {};
    const keys = Object.keys(value);
    for (const key of keys.slice(0, b.items * 2)) out[key] = walk((value as Record<string, unknown>)[key], b, depth + 1, seen);
    if (keys.length > b.items * 2) out["…"] = `${keys.length - b.items * 2} more fields`;
    return out;
  } finally {
    seen.delete(value);
  }
}

function list(items: readonly unknown[], b: JsonBounds, depth: number, seen: Set<object>): unknown[] {
  const out = items.slice(0, b.items).map((item) => walk(item, b, depth + 1, seen));
  if (items.length > b.items) out.push(`… ${items.length - b.items} more`);
  return out;
}

/** @returns the values of the getters a class instance's prototypes define (a getter that throws is shown as such) */
function getters(value: object, b: JsonBounds, seen: Set<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const parent = (o: object): object | null => Object.getPrototypeOf(o) as object | null;
  for (let proto = parent(value); proto !== null && proto !== Object.prototype; proto = parent(proto)) {
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (d.get === undefined || key in out) continue;
      try {
        out[key] = walk(d.get.call(value), b, 1, seen);
      } catch (error) {
        out[key] = `(threw: ${error instanceof Error ? error.message : String(error)})`;
      }
    }
  }
  return out;
}
