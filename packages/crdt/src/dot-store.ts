import { DecodeError, s, type NodeId, type Schema } from "@synod/core";
import type { CausalContext } from "./causal-context.js";
import { compareDots, dotKey, type Dot } from "./dot.js";
import { MAX_DOT_STORE_ENTRIES, MAX_KEY_LENGTH } from "./limits.js";
import { byCodeUnits, sortSmall } from "./sort-small.js";

/** A primitive value held by registers and maps (plain data, comparable with ===). */
export type Primitive = string | number | boolean;

/**
 * A kind of dot store (Almeida et al., "Delta state replicated data types", §6): the part of a
 * causal CRDT's state that maps dots to payload. Joins take each side's causal context, which is
 * what lets a removal be a dot that is in the context but no longer in the store (no tombstones).
 *
 * Stores are immutable values: `join` returns a new store.
 * @typeParam S - the in-memory store
 * @typeParam W - its wire form
 */
export interface DotStoreKind<S, W> {
  /** Short name for error messages. */
  readonly name: string;
  /** @returns the empty store */
  empty(): S;
  /** @returns whether the store holds no dot */
  isEmpty(store: S): boolean;
  /** Push every dot of the store into `into`. */
  collectDots(store: S, into: Dot[]): void;
  /** @returns the join of `(a, ca)` and `(b, cb)`'s stores */
  join(a: S, ca: CausalContext, b: S, cb: CausalContext): S;
  /** @returns structural equality */
  equals(a: S, b: S): boolean;
  /** Schema of the wire form (shape only). */
  readonly schema: Schema<W>;
  /** @returns the canonical wire form */
  toWire(store: S): W;
  /**
   * @returns the store rebuilt from a shape-checked wire form
   * @throws {DecodeError} on duplicate dots or keys
   */
  fromWire(wire: W, path: string): S;
}

/** A set of dots (the payload of a flag, or of one element of an OR-Set). */
export type DotSet = ReadonlyMap<string, Dot>;

const dotSchema: Schema<[NodeId, number]> = s.tuple([s.nodeId(), s.uint()] as const);

/** The dot-set kind. */
export const dotSetKind: DotStoreKind<DotSet, [NodeId, number][]> = {
  name: "dot-set",
  empty: () => new Map(),
  isEmpty: (store) => store.size === 0,
  collectDots(store, into) {
    for (const dot of store.values()) into.push(dot);
  },
  join(a, ca, b, cb) {
    const out = new Map<string, Dot>();
    for (const [key, dot] of a) if (b.has(key) || !cb.contains(dot)) out.set(key, dot);
    for (const [key, dot] of b) if (!a.has(key) && !ca.contains(dot)) out.set(key, dot);
    return out;
  },
  equals(a, b) {
    if (a.size !== b.size) return false;
    for (const key of a.keys()) if (!b.has(key)) return false;
    return true;
  },
  schema: s.array(dotSchema, { maxLength: MAX_DOT_STORE_ENTRIES }),
  toWire: (store) => sortSmall([...store.values()], compareDots).map((d) => [d[0], d[1]]),
  fromWire(wire, path) {
    const out = new Map<string, Dot>();
    for (const dot of wire) {
      if (dot[1] < 1) throw new DecodeError(`dot counter must be ≥ 1, got ${dot[1]}`, path);
      const key = dotKey(dot);
      if (out.has(key)) throw new DecodeError(`duplicate dot [${dot[0]}, ${dot[1]}]`, path);
      out.set(key, dot);
    }
    return out;
  },
};

/** One entry of a dot function: the dot that wrote `value`. */
export interface DotValue<V> {
  readonly dot: Dot;
  readonly value: V;
}

const byEntryDot = (x: DotValue<unknown>, y: DotValue<unknown>): number => compareDots(x.dot, y.dot);

/** A map from dots to values (the payload of an MV-Register or a causal counter). */
export type DotFun<V> = ReadonlyMap<string, DotValue<V>>;

/**
 * The dot-function kind for values validated by `valueSchema`.
 * @param valueSchema - validates each value on decode
 * @returns the kind
 */
export function dotFunKind<V extends Primitive>(valueSchema: Schema<V>): DotStoreKind<DotFun<V>, [NodeId, number, V][]> {
  return {
    name: "dot-fun",
    empty: () => new Map(),
    isEmpty: (store) => store.size === 0,
    collectDots(store, into) {
      for (const entry of store.values()) into.push(entry.dot);
    },
    join(a, ca, b, cb) {
      const out = new Map<string, DotValue<V>>();
      for (const [key, entry] of a) if (b.has(key) || !cb.contains(entry.dot)) out.set(key, entry);
      for (const [key, entry] of b) if (!a.has(key) && !ca.contains(entry.dot)) out.set(key, entry);
      return out;
    },
    equals(a, b) {
      if (a.size !== b.size) return false;
      for (const [key, entry] of a) if (b.get(key)?.value !== entry.value) return false;
      return true;
    },
    schema: s.array(s.tuple([s.nodeId(), s.uint(), valueSchema] as const), { maxLength: MAX_DOT_STORE_ENTRIES }),
    toWire: (store) =>
      sortSmall([...store.values()], byEntryDot).map((e) => [e.dot[0], e.dot[1], e.value]),
    fromWire(wire, path) {
      const out = new Map<string, DotValue<V>>();
      for (const [replica, counter, value] of wire) {
        if (counter < 1) throw new DecodeError(`dot counter must be ≥ 1, got ${counter}`, path);
        const dot: Dot = [replica, counter];
        const key = dotKey(dot);
        if (out.has(key)) throw new DecodeError(`duplicate dot [${replica}, ${counter}]`, path);
        out.set(key, { dot, value });
      }
      return out;
    },
  };
}

/** @returns whether none of `store`'s dots is in `ctx` (a function of its own: joins run on every delivery) */
function noDotIn<S, W>(inner: DotStoreKind<S, W>, store: S, ctx: CausalContext): boolean {
  const dots: Dot[] = [];
  inner.collectDots(store, dots);
  for (const dot of dots) if (ctx.contains(dot)) return false;
  return true;
}

/** A map from string keys to nested dot stores (the payload of an OR-Set or an OR-Map). */
export type DotMap<S> = ReadonlyMap<string, S>;

/**
 * The dot-map kind over nested stores of `inner` kind (nesting is what makes OR-Maps of CRDTs).
 * @param inner - the kind of each value
 * @returns the kind
 */
export function dotMapKind<S, W>(inner: DotStoreKind<S, W>): DotStoreKind<DotMap<S>, [string, W][]> {
  return {
    name: `dot-map(${inner.name})`,
    empty: () => new Map(),
    isEmpty: (store) => store.size === 0,
    collectDots(store, into) {
      for (const value of store.values()) inner.collectDots(value, into);
    },
    join(a, ca, b, cb) {
      const out = new Map<string, S>();
      for (const [key, value] of a) {
        const other = b.get(key);
        // Fast path: a key only on one side whose dots the other side has never seen is kept as is.
        if (other === undefined && noDotIn(inner, value, cb)) {
          out.set(key, value);
          continue;
        }
        const joined = inner.join(value, ca, other ?? inner.empty(), cb);
        if (!inner.isEmpty(joined)) out.set(key, joined);
      }
      for (const [key, value] of b) {
        if (a.has(key)) continue;
        const joined = noDotIn(inner, value, ca) ? value : inner.join(inner.empty(), ca, value, cb);
        if (!inner.isEmpty(joined)) out.set(key, joined);
      }
      return out;
    },
    equals(a, b) {
      if (a.size !== b.size) return false;
      for (const [key, value] of a) {
        const other = b.get(key);
        if (other === undefined || !inner.equals(value, other)) return false;
      }
      return true;
    },
    schema: s.array(s.tuple([s.string({ maxLength: MAX_KEY_LENGTH }), s.lazy(() => inner.schema)] as const), {
      maxLength: MAX_DOT_STORE_ENTRIES,
    }),
    toWire: (store) =>
      sortSmall([...store.keys()], byCodeUnits).map((key) => [key, inner.toWire(store.get(key) as S)] as [string, W]),
    fromWire(wire, path) {
      const out = new Map<string, S>();
      for (const [key, value] of wire) {
        if (out.has(key)) throw new DecodeError(`duplicate key ${JSON.stringify(key)}`, path);
        const store = inner.fromWire(value, `${path}[${JSON.stringify(key)}]`);
        if (inner.isEmpty(store)) throw new DecodeError(`key ${JSON.stringify(key)} maps to an empty store`, path);
        out.set(key, store);
      }
      return out;
    },
  };
}
